#!/usr/bin/env bash
# Regenerates the example captures in examples/ by recording real traffic on loopback.
#
#   sudo scripts/make-examples/record.sh [OUTPUT_DIR]     (default: <repo>/examples)
#
# Needs root (tcpdump on lo) and: tcpdump, python3, curl, dnsmasq, dig (dnsutils), ping
# (iputils-ping), editcap and capinfos (tshark). Every run rewrites the same files; contents differ
# only in timestamps, ports chosen by the kernel and the like. Servers use ports of their own
# (HTTP 18080, DNS 53531) and a private temp dir, and are stopped by pid, so the script can run next
# to other tests. The captures are filtered on those ports, so unrelated loopback traffic stays out.
set -euo pipefail

readonly HTTP_PORT=18080
readonly DNS_PORT=53531

repo_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out_dir="${1:-${repo_dir}/examples}"
mkdir -p "${out_dir}"
work="$(mktemp -d /tmp/mcpcap-examples.XXXXXX)"
pids=()

cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    kill "${pid}" 2>/dev/null || true
    wait "${pid}" 2>/dev/null || true
  done
  rm -rf "${work}"
}
trap cleanup EXIT

need() {
  local tool
  for tool in "$@"; do
    command -v "${tool}" >/dev/null || { echo "record.sh: missing ${tool}" >&2; exit 1; }
  done
}
need tcpdump python3 curl dnsmasq dig ping editcap capinfos

# Waits until something accepts TCP connections on 127.0.0.1:$1 (before recording starts, so the
# probes stay out of the capture).
wait_tcp() {
  local i
  for i in $(seq 50); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "record.sh: nothing listening on port $1" >&2
  exit 1
}

# start_capture FILE FILTER [tcpdump options...]: starts tcpdump on lo and waits until it listens.
capture_pid=""
start_capture() {
  local file="$1" filter="$2"
  shift 2
  tcpdump -i lo -U -n --immediate-mode -Z root "$@" -w "${file}" "${filter}" 2>"${work}/tcpdump.log" &
  capture_pid=$!
  pids+=("${capture_pid}")
  local i
  for i in $(seq 50); do
    grep -q "listening on" "${work}/tcpdump.log" && { sleep 0.3; return 0; }
    sleep 0.1
  done
  echo "record.sh: tcpdump did not start: $(cat "${work}/tcpdump.log")" >&2
  exit 1
}

stop_capture() {
  sleep 1  # let the last packets (FINs, late answers) reach the capture
  kill -INT "${capture_pid}"
  wait "${capture_pid}" || true
}

# Stops one server started by this script, by pid.
stop_pid() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

record_http() {
  local www="${work}/www"
  mkdir -p "${www}/docs"
  cat >"${www}/index.html" <<'EOF'
<!doctype html>
<html><head><title>mcpcap example</title></head>
<body><h1>mcpcap example page</h1><p>See <a href="/docs/guide.html">the guide</a>.</p></body>
</html>
EOF
  {
    echo '<!doctype html><html><head><title>Guide</title></head><body>'
    for i in $(seq 1 60); do echo "<p>Section ${i}: capture files, dissectors and flows.</p>"; done
    echo '</body></html>'
  } >"${www}/docs/guide.html"

  python3 -m http.server "${HTTP_PORT}" --bind 127.0.0.1 --directory "${www}" \
    >"${work}/http.log" 2>&1 &
  local server=$!
  pids+=("${server}")
  wait_tcp "${HTTP_PORT}"

  start_capture "${out_dir}/http_loopback.pcap" "tcp port ${HTTP_PORT}"
  local base="http://127.0.0.1:${HTTP_PORT}"
  curl -sS -o /dev/null "${base}/"
  curl -sS -o /dev/null -A "mcpcap-example/1.0" "${base}/docs/guide.html"
  curl -sS -o /dev/null "${base}/missing.html"  # 404
  stop_capture
  stop_pid "${server}"
}

record_dns() {
  # --local makes example.test ours, so unknown names in it are NXDOMAIN rather than REFUSED.
  dnsmasq --keep-in-foreground --conf-file=/dev/null --no-resolv --no-hosts \
    --listen-address=127.0.0.1 --bind-interfaces --port="${DNS_PORT}" --pid-file= \
    --local=/example.test/ \
    --host-record=www.example.test,192.0.2.10,2001:db8::10 \
    --host-record=mail.example.test,192.0.2.25 \
    --cname=web.example.test,www.example.test \
    --mx-host=example.test,mail.example.test,10 \
    --txt-record=example.test,"v=spf1 mx -all" \
    --srv-host=_sip._udp.example.test,sip.example.test,5060,0,5 \
    >"${work}/dnsmasq.log" 2>&1 &
  local server=$!
  pids+=("${server}")
  wait_tcp "${DNS_PORT}"

  start_capture "${out_dir}/dns_loopback.pcap" "port ${DNS_PORT}"
  local q=(dig @127.0.0.1 -p "${DNS_PORT}" +tries=1 +time=2)
  "${q[@]}" www.example.test A >/dev/null
  "${q[@]}" www.example.test AAAA >/dev/null
  "${q[@]}" example.test MX >/dev/null
  "${q[@]}" example.test TXT >/dev/null
  "${q[@]}" web.example.test A >/dev/null
  "${q[@]}" _sip._udp.example.test SRV >/dev/null
  "${q[@]}" nosuchhost.example.test A >/dev/null  # NXDOMAIN
  "${q[@]}" +tcp mail.example.test A >/dev/null
  stop_capture
  stop_pid "${server}"
}

record_ping() {
  local raw="${work}/ping.pcap"
  start_capture "${raw}" "icmp or icmp6" --time-stamp-precision=nano
  ping -n -c 4 -i 0.2 127.0.0.1 >/dev/null
  ping -6 -n -c 3 -i 0.2 ::1 >/dev/null
  stop_capture
  editcap -F pcapng "${raw}" "${out_dir}/ping_loopback.pcapng"
}

record_http
record_dns
record_ping

for f in http_loopback.pcap dns_loopback.pcap ping_loopback.pcapng; do
  printf '%-24s %s packets\n' "${f}" "$(capinfos -c -M -T -r "${out_dir}/${f}" | cut -f2)"
done

#!/bin/bash
# Re-creates mixed_tls_http_dns.pcap: on loopback, in this order,
#   HTTP   python3 -m http.server on 127.0.0.1:8080, curl GET / twice (two connections)
#   DNS    dnsmasq on 127.0.0.2:53 (UDP), dig A mixed.test (answer 10.1.2.3)
#   TLS    openssl s_server -tls1_2 on 127.0.0.1:8443 (self-signed CN=mixed.test), s_client sends
#          a line
#   other  a line protocol of our own on 127.0.0.1:9000 (python3: "HELLO name" / "WELCOME name"),
#          which no parser knows
# For analyze_payload with protocol "tls": only the TLS flow may be called TLS or encrypted.
# Needs (apt): openssl dnsmasq dnsutils curl tcpdump python3. Servers stopped by pid. Root.
set -euo pipefail
OUT=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=record_lib.sh
source "$OUT/record_lib.sh"
start_work record_mixed

openssl req -x509 -newkey rsa:2048 -nodes -days 365 -keyout "$WORK/key.pem" -out "$WORK/cert.pem" \
  -subj "/CN=mixed.test" 2>/dev/null
echo "<html>mixed</html>" >"$WORK/index.html"
(cd "$WORK" && exec python3 -m http.server 8080 --bind 127.0.0.1 >/dev/null 2>&1) &
PIDS+=($!)
dnsmasq --no-daemon --port=53 --listen-address=127.0.0.2 --bind-interfaces --no-resolv \
  --no-hosts --address=/mixed.test/10.1.2.3 --pid-file="$WORK/dnsmasq.pid" >/dev/null 2>&1 &
PIDS+=($!)
openssl s_server -accept 127.0.0.1:8443 -cert "$WORK/cert.pem" -key "$WORK/key.pem" -tls1_2 \
  -rev -naccept 1 -quiet >/dev/null 2>&1 &
PIDS+=($!)
cat >"$WORK/line.py" <<'PY'
import socket, sys
if sys.argv[1] == "server":
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 9000)); s.listen(1)
    c, _ = s.accept()
    line = c.recv(100)
    c.sendall(b"WELCOME " + line.split(b" ", 1)[1])
    c.close()
else:
    c = socket.create_connection(("127.0.0.1", 9000))
    c.sendall(b"HELLO mcpcap\n"); c.recv(100); c.close()
PY
python3 "$WORK/line.py" server &
PIDS+=($!)
wait_listen 8080
wait_listen 8443
wait_listen 9000
sleep 0.5

talk() {
  curl -s http://127.0.0.1:8080/ >/dev/null
  curl -s http://127.0.0.1:8080/index.html >/dev/null
  dig +short +tries=1 +time=2 @127.0.0.2 mixed.test A >/dev/null
  (echo "hello tls"; sleep 0.5) | timeout 10 openssl s_client -connect 127.0.0.1:8443 \
    -servername mixed.test -tls1_2 -quiet -no_ign_eof >/dev/null 2>&1 || true
  python3 "$WORK/line.py" client
}
record mixed_tls_http_dns "tcp port 8080 or tcp port 8443 or tcp port 9000 or (udp port 53 and host 127.0.0.2)" talk

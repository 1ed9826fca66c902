#!/usr/bin/env bash
# Runs the README's C++ and Python clients against mcpcapd and checks what they print against
# the facts of examples/dns_loopback.pcap (tshark: 14 DNS messages, 7 queries) and one unknown
# path.
set -euo pipefail
mcpcapd="$1" cpp_client="$2" root="$3" googleapis="$4" out="$5"
capture="$root/examples/dns_loopback.pcap"
dir=$(mktemp -d)
socket="unix:$dir/mcpcapd.sock"
"$mcpcapd" --listen "$socket" --quiet &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 100); do [ -S "$dir/mcpcapd.sock" ] && break; sleep 0.1; done

check() {  # check NAME OUTPUT: the facts every client must print
  local name="$1" text="$2"
  grep -Eq '^capture captures/[0-9a-f]{32} sha256=' <<<"$text" || { echo "$name: no capture line"; exit 1; }
  [ "$(grep -c '^  #' <<<"$text")" -eq 14 ] || { echo "$name: not 14 messages listed"; exit 1; }
  grep -q '^queries=7 listed=14$' <<<"$text" || { echo "$name: wrong totals"; exit 1; }
  grep -q '^error NOT_FOUND CAPTURE_NOT_FOUND$' <<<"$text" || { echo "$name: no error reason"; exit 1; }
  # Pages follow each other: frame numbers strictly grow.
  grep '^  #' <<<"$text" | sed -E 's/^  #([0-9]+).*/\1/' | sort -n -c || { echo "$name: order"; exit 1; }
}

cpp=$("$cpp_client" "$socket" "$capture")
echo "$cpp"
check "C++ client" "$cpp"

python=/usr/bin/python3  # Debian's, with the packages setup-deps installs
if ! "$python" -c 'import grpc, google.protobuf' 2>/dev/null; then
  echo "python3-grpcio / python3-protobuf not installed (scripts/setup-deps installs them): Python client skipped"
  exit 77
fi
rm -rf "$out" && mkdir -p "$out"
protoc -I "$root/proto" -I "$googleapis" --python_out="$out" --grpc_out="$out" \
  --plugin=protoc-gen-grpc="$(command -v grpc_python_plugin)" \
  "$root"/proto/mcpcap/v1/*.proto google/rpc/status.proto google/rpc/error_details.proto
py=$(PYTHONPATH="$out" "$python" "$root/examples/clients/python/analyze.py" "$socket" "$capture")
echo "$py"
check "Python client" "$py"

#!/bin/bash
# Re-creates http_port_reuse.pcap and http_port_reuse_lost_fins.pcap: two HTTP connections on the
# same 5-tuple (port reuse). A real python3 -m http.server (HTTP/1.0: it closes each connection
# after its response) on 8081; the client binds the same source port for both connections
# (SO_REUSEADDR), so the second SYN comes with a new initial sequence number while the server
# holds the first connection in TIME_WAIT.
#   connection 1: GET /first.txt   -> 200
#   connection 2: GET /second.txt  -> 200
# The same exchange is recorded twice at once: whole, and by a capture that lost the FINs (its
# filter drops them), so the first connection never looks closed when the second one starts.
# Expected in both: 2 TCP connections (tcp.stream 0 and 1), 2 HTTP flows, 2 requests, 2
# responses; 12 packets per connection, 10 without the FINs.
# Needs (apt): python3 tcpdump. Run as root.
set -euo pipefail
OUT=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
# shellcheck source=record_lib.sh
source "$OUT/record_lib.sh"
start_work record_port_reuse

mkdir -p "$WORK/www"
printf 'first file\n' >"$WORK/www/first.txt"
printf 'second file\n' >"$WORK/www/second.txt"
(cd "$WORK/www" && exec $PY -m http.server 8081 --bind 127.0.0.1) >/dev/null 2>&1 &
PIDS+=($!)
wait_listen 8081

same_port_twice() {
  $PY - <<'PY'
import socket, time
for path in ("/first.txt", "/second.txt"):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 40081))
    s.connect(("127.0.0.1", 8081))
    s.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1:8081\r\nUser-Agent: port-reuse\r\n"
               "Connection: close\r\n\r\n" % path).encode())
    while s.recv(4096):
        pass
    s.close()
    time.sleep(0.3)
PY
}
start_dump "$OUT/http_port_reuse_lost_fins.pcap" 'tcp port 8081 and tcp[tcpflags] & tcp-fin == 0' \
  "$WORK/lost_fins.log"
record http_port_reuse 'tcp port 8081' same_port_twice
stop_dump
echo "http_port_reuse_lost_fins.pcap: $(tcpdump -r "$OUT/http_port_reuse_lost_fins.pcap" 2>/dev/null | wc -l) packets"

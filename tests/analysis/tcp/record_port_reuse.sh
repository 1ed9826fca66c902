#!/bin/sh
# Regenerates data/port_reuse.pcap: three TCP connections on the same 5-tuple (port reuse) to a
# small echo server (python3) on loopback. The client binds the same source port each time
# (SO_REUSEADDR), so every new SYN comes with a new initial sequence number:
#   connection 1: "one" echoed, the server closes first (it holds the 5-tuple in TIME_WAIT)
#   connection 2: "two" echoed, the same
#   connection 3: "three" echoed, then the client aborts (SO_LINGER 0: a RST, no FIN)
# Expected: 3 connections (tcp.stream 0, 1, 2), tcp.analysis.reused_ports on the 2nd and 3rd SYN.
# Needs root (tcpdump on lo), tcpdump and python3.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/data/port_reuse.pcap"

tcpdump -i lo -U -s 0 -w "$out" "tcp port 7007" 2>/dev/null &
dump=$!
trap 'kill $dump 2>/dev/null' EXIT
sleep 1

python3 - <<'PY'
import socket, struct, threading, time
SRV, CLI = ("127.0.0.1", 7007), ("127.0.0.1", 40007)

listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(SRV)
listener.listen(4)

# The server echoes one chunk; it closes first unless the client aborts before.
def serve(count):
    for i in range(count):
        conn, _ = listener.accept()
        conn.sendall(conn.recv(4096))
        if i < 2:
            conn.close()
        else:
            try:
                while conn.recv(4096):
                    pass
            except ConnectionResetError:  # the abort we asked for
                pass
            conn.close()

server = threading.Thread(target=serve, args=(3,))
server.start()
for word in (b"one", b"two", b"three"):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(CLI)
    s.connect(SRV)
    s.sendall(word)
    if word == b"three":
        s.recv(4096)
        time.sleep(0.1)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    else:
        while s.recv(4096):
            pass
    s.close()
    time.sleep(0.3)
server.join()
listener.close()
PY
sleep 1
kill $dump
wait $dump 2>/dev/null || true
trap - EXIT
echo "wrote $out ($(wc -c < "$out") bytes)"

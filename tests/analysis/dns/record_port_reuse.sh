#!/bin/sh
# Regenerates data/dns_tcp_port_reuse.pcap: two DNS-over-TCP exchanges on the same 5-tuple (port
# reuse). A small DNS server (python3) answers one A query per connection and closes; the client
# binds the same source port for both connections (SO_REUSEADDR), so the second SYN arrives while
# the server still holds the first connection in TIME_WAIT, with a new initial sequence number.
# Expected: 2 TCP connections (tcp.stream 0 and 1), 4 DNS messages (2 queries, 2 responses).
# Needs root (tcpdump on lo), tcpdump and python3.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/data/dns_tcp_port_reuse.pcap"
srv=127.53.0.1
cli=127.53.0.20
cport=40053

tcpdump -i lo -U -s 0 -w "$out" "host $srv and tcp port 53" 2>/dev/null &
dump=$!
trap 'kill $dump 2>/dev/null' EXIT
sleep 1

python3 - "$srv" "$cli" "$cport" <<'PY'
import socket, struct, sys, threading, time
srv, cli, cport = sys.argv[1], sys.argv[2], int(sys.argv[3])

def name(n):
    return b"".join(bytes([len(l)]) + l.encode() for l in n.split(".")) + b"\0"

def read_exact(s, n):
    data = b""
    while len(data) < n:
        chunk = s.recv(n - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data

# The server: one framed query in, one framed answer (A 10.1.2.3) out, then it closes first.
listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind((srv, 53))
listener.listen(4)

def serve(count):
    for _ in range(count):
        conn, _ = listener.accept()
        query = read_exact(conn, struct.unpack(">H", read_exact(conn, 2))[0])
        qid, flags = struct.unpack(">HH", query[:4])
        question = query[12:]
        answer = struct.pack(">HHHHHH", qid, 0x8180 | (flags & 0x0100), 1, 1, 0, 0) + question
        answer += struct.pack(">HHHIH", 0xC00C, 1, 1, 60, 4) + bytes([10, 1, 2, 3])
        conn.sendall(struct.pack(">H", len(answer)) + answer)
        conn.close()

server = threading.Thread(target=serve, args=(2,))
server.start()

# The client: the same source port for both connections.
for qid, qname in ((0x3001, "first.example.test"), (0x3002, "second.example.test")):
    query = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0) + name(qname) + struct.pack(">HH", 1, 1)
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((cli, cport))
    s.connect((srv, 53))
    s.sendall(struct.pack(">H", len(query)) + query)
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

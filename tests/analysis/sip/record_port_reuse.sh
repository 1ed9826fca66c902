#!/bin/sh
# Regenerates data/sip_tcp_port_reuse.pcap: two SIP-over-TCP connections on the same 5-tuple
# (port reuse). A small SIP server (python3) answers each request with 200 OK and closes; the
# client binds the same source port for both connections (SO_REUSEADDR), so the second SYN comes
# with a new initial sequence number while the server holds the first connection in TIME_WAIT.
# Connection 1: REGISTER / 200 OK; connection 2: OPTIONS / 200 OK.
# Expected: 2 TCP connections (tcp.stream 0 and 1), 4 SIP messages (2 requests, 2 responses).
# Needs root (tcpdump on lo), tcpdump and python3.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/data/sip_tcp_port_reuse.pcap"

tcpdump -i lo -U -s 0 -w "$out" "tcp port 5060" 2>/dev/null &
dump=$!
trap 'kill $dump 2>/dev/null' EXIT
sleep 1

python3 - <<'PY'
import socket, threading, time
SRV, CLI = ("127.0.0.1", 5060), ("127.0.0.1", 40601)

def msg(start, headers):
    return ("\r\n".join([start] + headers + ["Content-Length: 0"]) + "\r\n\r\n").encode()

def headers(call_id, cseq, to_tag=None):
    return ["Via: SIP/2.0/TCP 127.0.0.1:%d;branch=z9hG4bK%s" % (CLI[1], call_id),
            "From: Alice <sip:alice@example.com>;tag=1",
            "To: <sip:example.com>%s" % (";tag=" + to_tag if to_tag else ""),
            "Call-ID: %s@127.0.0.1" % call_id, "CSeq: %d %s" % cseq]

def read_message(s):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(4096)
        if not chunk:
            raise EOFError
        data += chunk
    return data.decode()

listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(SRV)
listener.listen(4)

# The server: one request in, 200 OK out with the request's dialog headers, then it closes first.
def serve(count):
    for _ in range(count):
        conn, _ = listener.accept()
        request = read_message(conn).split("\r\n")
        kept = [h for h in request[1:] if h.split(":")[0] in ("Via", "From", "Call-ID", "CSeq")]
        to = [h for h in request[1:] if h.startswith("To:")][0] + ";tag=srv"
        conn.sendall(msg("SIP/2.0 200 OK", kept + [to, "Server: TestRegistrar/1.0"]))
        conn.close()

server = threading.Thread(target=serve, args=(2,))
server.start()

# The client: the same source port for both connections.
requests = [msg("REGISTER sip:example.com SIP/2.0", headers("reuse-reg", (1, "REGISTER")) +
                ["Contact: <sip:alice@127.0.0.1:40601;transport=tcp>", "Expires: 3600",
                 "User-Agent: TestPhone/1.2.3"]),
            msg("OPTIONS sip:example.com SIP/2.0", headers("reuse-opt", (1, "OPTIONS")) +
                ["User-Agent: TestPhone/1.2.3"])]
for request in requests:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(CLI)
    s.connect(SRV)
    s.sendall(request)
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

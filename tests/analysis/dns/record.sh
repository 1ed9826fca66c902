#!/bin/sh
# Regenerates data/dnsmasq.pcap: real DNS traffic on loopback between dig (and a few hand-made
# messages) and a local dnsmasq, small enough to commit. Needs root, dnsmasq, dnsutils, tcpdump,
# python3. The addresses 127.53.0.x keep it clear of any resolver already running.
#   apt-get install -y dnsmasq dnsutils tcpdump
# Then: MCPCAP_UPDATE_GOLDEN=1 ctest -R Dns  (and review the golden diff).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/data/dnsmasq.pcap"
srv=127.53.0.1      # dnsmasq, port 53
dead=127.53.0.2     # nobody answers here (routed on lo via 127/8)
conf=$(mktemp)
cat > "$conf" <<CONF
no-resolv
no-hosts
bind-interfaces
listen-address=$srv
local=/example.test/
auth-zone=example.test
auth-server=ns.example.test
auth-soa=2024010101,hostmaster.example.test
host-record=www.example.test,10.1.2.3
host-record=web.example.test,10.1.2.5
host-record=v6.example.test,10.1.2.4,2001:db8::4
host-record=ns.example.test,10.1.2.53
cname=alias.example.test,web.example.test
mx-host=example.test,mail.example.test,10
host-record=mail.example.test,10.1.2.25
txt-record=example.test,"v=spf1 -all","second string"
srv-host=_sip._udp.example.test,sip.example.test,5060,10,20
ptr-record=5.2.1.10.in-addr.arpa,web.example.test
CONF

tcpdump -i lo -U -s 0 -w "$out" "net 127.53.0.0/24 and (udp or tcp)" 2>/dev/null &
dump=$!
dnsmasq --conf-file="$conf" --no-daemon --port=53 --pid-file=/tmp/mcpcap-dnsmasq-53.pid 2>/dev/null &
d53=$!
dnsmasq --conf-file="$conf" --no-daemon --port=5533 --pid-file=/tmp/mcpcap-dnsmasq-5533.pid 2>/dev/null &
d5533=$!
trap 'kill $d53 $d5533 $dump 2>/dev/null; rm -f "$conf"' EXIT
sleep 1

q() { dig @$srv +tries=1 +timeout=2 +nocookie "$@" >/dev/null || true; }
q www.example.test A
q v6.example.test AAAA
q example.test MX
q example.test TXT
q _sip._udp.example.test SRV
q alias.example.test A
q -x 10.1.2.5
q example.test SOA
q nope.example.test A                    # NXDOMAIN
q outside.invalid A                       # REFUSED: no upstream servers
q +tcp www.example.test A                 # over TCP
q +bufsize=1232 +subnet=192.0.2.0/24 +cookie www.example.test A   # EDNS options
dig @$srv -p 5533 +tries=1 +timeout=2 +nocookie web.example.test A >/dev/null || true
dig @$dead +tries=2 +timeout=1 +nocookie unanswered.example.test A >/dev/null || true

# Hand-made: two queries in one TCP segment, then one query split over two segments; an mDNS
# query and response; an LLMNR query.
python3 - "$srv" <<'PY'
import socket, struct, sys, time
srv = sys.argv[1]
def name(n):
    return b"".join(bytes([len(l)]) + l.encode() for l in n.split(".")) + b"\0"
def query(i, n, t=1, flags=0x0100):
    return struct.pack(">HHHHHH", i, flags, 1, 0, 0, 0) + name(n) + struct.pack(">HH", t, 1)
def framed(m):
    return struct.pack(">H", len(m)) + m
def exchange(*chunks):
    s = socket.create_connection((srv, 53))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    s.settimeout(2)
    try:
        for c in chunks:
            s.sendall(c)
            time.sleep(0.3)
        while s.recv(4096): pass
    except OSError:
        pass
    s.close()
# dnsmasq answers one query per connection: the second of the pair stays unanswered.
exchange(framed(query(0x1001, "www.example.test")) + framed(query(0x1002, "web.example.test")))
split = framed(query(0x1003, "v6.example.test", 28))
exchange(split[:7], split[7:])
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("127.53.0.9", 5353))
u.sendto(query(0, "printer.local", 1, 0), ("127.53.0.10", 5353))
resp = struct.pack(">HHHHHH", 0, 0x8400, 0, 1, 0, 0) + name("printer.local") + \
    struct.pack(">HHIH", 1, 0x8001, 120, 4) + bytes([127, 53, 0, 9])
u.sendto(resp, ("127.53.0.10", 5353))
u.close()
l = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
l.bind(("127.53.0.9", 0))
l.sendto(query(0x2001, "fileserver", 1, 0), ("127.53.0.10", 5355))
l.close()
PY
sleep 1
kill $d53 $d5533 $dump
wait $dump 2>/dev/null || true
trap - EXIT
rm -f "$conf"
echo "wrote $out ($(wc -c < "$out") bytes)"

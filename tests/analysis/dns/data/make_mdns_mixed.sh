#!/bin/bash
# Records mdns_mixed.pcap: unicast DNS, mDNS and LLMNR side by side on one link, all from real
# programs in two network namespaces (dnA, the client, and dnB, the server) joined by a veth pair,
# captured on dnA's end. Needs root, iproute2, tcpdump, dnsmasq, dnsutils (dig), avahi-daemon and
# python3.
#   dnB: dnsmasq (10.77.0.1:53, zone example.test; slow.test forwarded to a python upstream on
#        127.0.0.1:5300 that answers after 400 ms), avahi-daemon "probe-b", an LLMNR responder
#        (python, answers "probe-b" from its unicast address).
#   dnA: avahi-daemon "probe-a"; dig: A, AAAA, 5 x ANY example.test, slow.test A, an NXDOMAIN;
#        python: an mDNS query (QM) for probe-b.local A, LLMNR queries for probe-b (answered) and
#        nobody (unanswered, as LLMNR leaves names nobody holds).
# Both avahi daemons probe their host and reverse names with ANY questions (RFC 6762 8.1) and
# announce them to 224.0.0.251 and ff02::fb: the mDNS ANY questions that must not count as DNS
# reconnaissance. Re-running changes timings, ids and link-local addresses: the tests read
# counts and roles, not those.
set -euo pipefail
cd "$(dirname "$0")"
out=$PWD/mdns_mixed.pcap
A=dnA B=dnB
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 0.5
  ip netns del $A 2>/dev/null || true
  ip netns del $B 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
ip netns del $A 2>/dev/null || true
ip netns del $B 2>/dev/null || true
ip netns add $A
ip netns add $B
for ns in $A $B; do ip -n $ns link set lo up; done
ip link add d0 netns $A type veth peer name d1 netns $B
ip -n $A addr add 10.77.0.2/24 dev d0
ip -n $A addr add fd00:77::2/64 dev d0 nodad
ip -n $B addr add 10.77.0.1/24 dev d1
ip -n $B addr add fd00:77::1/64 dev d1 nodad
ip -n $A link set d0 up
ip -n $B link set d1 up
ip -n $A route add default via 10.77.0.1  # multicast (LLMNR) needs a route
sleep 2  # link-local addresses

cat > "$work/dnsmasq.conf" <<CONF
no-resolv
no-hosts
bind-interfaces
listen-address=10.77.0.1
local=/example.test/
host-record=www.example.test,10.1.2.3,2001:db8::3
mx-host=example.test,mail.example.test,10
host-record=mail.example.test,10.1.2.25
txt-record=example.test,"v=spf1 -all"
server=/slow.test/127.0.0.1#5300
CONF
cat > "$work/slow.py" <<'PY'
# A DNS upstream that answers every A question with 192.0.2.99 after 400 ms.
import socket, struct, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 5300))
while True:
    q, peer = s.recvfrom(512)
    time.sleep(0.4)
    qend = 12
    while q[qend] != 0:
        qend += q[qend] + 1
    qend += 5
    hdr = q[:2] + struct.pack(">HHHHH", 0x8180, 1, 1, 0, 0)
    ans = b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 60, 4) + bytes([192, 0, 2, 99])
    s.sendto(hdr + q[12:qend] + ans, peer)
PY
cat > "$work/llmnr.py" <<'PY'
# LLMNR (RFC 4795): "responder NAME" answers A questions for NAME; "query NAME..." asks.
import socket, struct, sys, time
GROUP = "224.0.0.252"
def name_bytes(n):
    return b"".join(bytes([len(l)]) + l.encode() for l in n.split(".")) + b"\0"
if sys.argv[1] == "responder":
    me = sys.argv[2]
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("", 5355))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                 socket.inet_aton(GROUP) + socket.inet_aton("10.77.0.1"))
    while True:
        q, peer = s.recvfrom(512)
        if q[2] & 0x80 or q[12:12 + len(name_bytes(me))] != name_bytes(me):
            continue
        qend = 12 + len(name_bytes(me)) + 4
        hdr = q[:2] + struct.pack(">HHHHH", 0x8000, 1, 1, 0, 0)
        ans = b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 30, 4) + socket.inet_aton("10.77.0.1")
        s.sendto(hdr + q[12:qend] + ans, peer)
else:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
    s.settimeout(1)
    for i, n in enumerate(sys.argv[2:]):
        s.sendto(struct.pack(">HHHHHH", 0x4c00 + i, 0, 1, 0, 0, 0) + name_bytes(n) +
                 struct.pack(">HH", 1, 1), (GROUP, 5355))
        try:
            s.recvfrom(512)
        except socket.timeout:
            pass
PY
cat > "$work/mdnsq.py" <<'PY'
# One mDNS query (QM) for NAME A, from port 5353 to the group, as a resolver would send it.
import socket, struct, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 255)
s.bind(("10.77.0.2", 5353))
name = b"".join(bytes([len(l)]) + l.encode() for l in sys.argv[1].split(".")) + b"\0"
s.sendto(struct.pack(">HHHHHH", 0, 0, 1, 0, 0, 0) + name + struct.pack(">HH", 1, 1),
         ("224.0.0.251", 5353))
time.sleep(1)
PY
avahi() {  # avahi() NS HOSTNAME IFACE: an avahi-daemon without D-Bus, its own /run.
  cat > "$work/avahi-$2.conf" <<CONF
[server]
host-name=$2
use-ipv4=yes
use-ipv6=yes
allow-interfaces=$3
enable-dbus=no
[publish]
publish-hinfo=no
publish-workstation=no
CONF
  ip netns exec "$1" unshare -m sh -c "mount -t tmpfs none /run/avahi-daemon && exec avahi-daemon \
    -f $work/avahi-$2.conf --no-drop-root --no-chroot --no-rlimits" >/dev/null 2>&1 &
  pids+=($!)
}

ip netns exec $A tcpdump -q -U -s 0 -i d0 -w "$out" udp 2>/dev/null &
pids+=($!)
sleep 1
ip netns exec $B python3 "$work/slow.py" & pids+=($!)
ip netns exec $B python3 "$work/llmnr.py" responder probe-b & pids+=($!)
ip netns exec $B dnsmasq --conf-file="$work/dnsmasq.conf" --no-daemon \
  --pid-file="$work/dnsmasq.pid" 2>/dev/null & pids+=($!)
avahi $B probe-b d1
sleep 1
avahi $A probe-a d0
sleep 3  # probes and announcements

q() { ip netns exec $A dig @10.77.0.1 +tries=1 +timeout=2 +nocookie "$@" >/dev/null || true; }
q www.example.test A
q www.example.test AAAA
for i in 1 2 3 4 5; do q +notcp example.test ANY; done  # dig sends ANY over TCP otherwise
q slow.test A
q nope.example.test A
ip netns exec $A python3 "$work/mdnsq.py" probe-b.local
ip netns exec $A python3 "$work/llmnr.py" query probe-b nobody
sleep 1

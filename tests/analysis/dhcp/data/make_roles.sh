#!/bin/bash
# Records two captures with a real dnsmasq server across a veth pair (namespaces dhS, server, and
# dhC, client), captured on the client's end. Needs root, iproute2, tcpdump, dnsmasq,
# isc-dhcp-client (dhclient) and python3.
#   dhcpv6_veth.pcap: dhclient -6 against dnsmasq's DHCPv6 service (fd00:66::/64): SOLICIT from
#     the client's link-local address port 546 to ff02::1:2 port 547, ADVERTISE, REQUEST, REPLY,
#     then dhclient -6 -r: RELEASE, REPLY.
#   ack_decline.pcap: DHCPv4 from dnsmasq (10.66.0.0/24). The client of the first transaction is
#     a python script (decline_client.py, a plain UDP socket: no real client declines on demand)
#     that takes DISCOVER, OFFER, REQUEST, ACK and then sends DECLINE for the acknowledged
#     address, as a client whose ARP check found the address in use does (RFC 2131 4.4.1). Then a
#     real dhclient takes a lease (DISCOVER, OFFER, REQUEST, ACK).
set -euo pipefail
cd "$(dirname "$0")"
S=dhS C=dhC
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 0.3
  ip netns del $S 2>/dev/null || true
  ip netns del $C 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
ip netns del $S 2>/dev/null || true
ip netns del $C 2>/dev/null || true
ip netns add $S
ip netns add $C
ip link add s0 netns $S address 02:66:00:00:00:01 type veth peer name c0 netns $C \
  address 02:66:00:00:00:02
for ns in $S $C; do ip -n $ns link set lo up; done
ip -n $S addr add 10.66.0.1/24 dev s0
ip -n $S addr add fd00:66::1/64 dev s0 nodad
ip -n $S link set s0 up
ip -n $C link set c0 up
sleep 2  # link-local addresses

cat > "$work/dnsmasq.conf" <<CONF
port=0
interface=s0
bind-interfaces
dhcp-range=10.66.0.100,10.66.0.150,255.255.255.0,1h
dhcp-range=fd00:66::100,fd00:66::1ff,64,1h
dhcp-leasefile=$work/leases
dhcp-authoritative
CONF
ip netns exec $S dnsmasq --conf-file="$work/dnsmasq.conf" --no-daemon \
  --pid-file="$work/dnsmasq.pid" 2>/dev/null &
pids+=($!)
sleep 1

capture_start() {
  ip netns exec $C tcpdump -q -U -s 0 -i c0 -w "$1" "$2" 2>/dev/null &
  dump=$!
  sleep 1
}
capture_stop() {
  sleep 1
  kill $dump
  wait $dump 2>/dev/null || true
}

capture_start "$PWD/dhcpv6_veth.pcap" 'udp port 546 or udp port 547'
ip netns exec $C dhclient -6 -1 -v -sf /bin/true -lf "$work/c6.leases" -pf "$work/c6.pid" c0 \
  2>/dev/null
ip netns exec $C dhclient -6 -r -v -sf /bin/true -lf "$work/c6.leases" -pf "$work/c6.pid" c0 \
  2>/dev/null || true
capture_stop

cat > "$work/decline_client.py" <<'PY'
# DISCOVER, REQUEST the offered address, then DECLINE the acknowledged one (broadcast replies).
import socket, struct, sys
MAC = bytes.fromhex("026600000002")
XID = 0x0d5c0001
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b"c0")
s.bind(("0.0.0.0", 68))
s.settimeout(5)
def message(kind, extra=b"", flags=0x8000):
    head = struct.pack(">BBBBIHH4s4s4s4s16s64s128s", 1, 1, 6, 0, XID, 0, flags, bytes(4),
                       bytes(4), bytes(4), bytes(4), MAC + bytes(10), bytes(64), bytes(128))
    opts = bytes([53, 1, kind]) + bytes([61, 7, 1]) + MAC + extra + b"\xff"
    return head + b"\x63\x82\x53\x63" + opts
def answer(kind):
    while True:
        data, _ = s.recvfrom(2048)
        if struct.unpack(">I", data[4:8])[0] != XID:
            continue
        opts, i, found = data[240:], 0, {}
        while i < len(opts) and opts[i] != 255:
            if opts[i] == 0:
                i += 1
                continue
            found[opts[i]] = opts[i + 2:i + 2 + opts[i + 1]]
            i += 2 + opts[i + 1]
        if found.get(53) == bytes([kind]):
            return data[16:20], found[54]
s.sendto(message(1), ("255.255.255.255", 67))
offered, server = answer(2)
s.sendto(message(3, bytes([50, 4]) + offered + bytes([54, 4]) + server), ("255.255.255.255", 67))
acked, server = answer(5)
s.sendto(message(4, bytes([50, 4]) + acked + bytes([54, 4]) + server +
                 bytes([56, 20]) + b"address in use (ARP)", flags=0),
         ("255.255.255.255", 67))
PY
capture_start "$PWD/ack_decline.pcap" 'udp port 67 or udp port 68'
ip netns exec $C python3 "$work/decline_client.py"
sleep 0.5
ip netns exec $C dhclient -4 -1 -v -sf /bin/true -lf "$work/c4.leases" -pf "$work/c4.pid" c0 \
  2>/dev/null
capture_stop
ip netns exec $C dhclient -4 -x -pf "$work/c4.pid" c0 2>/dev/null || true

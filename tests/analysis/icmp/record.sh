#!/bin/bash
# Records the ICMP test captures in data/ with our own traffic only: loopback, and network
# namespaces joined by veth pairs (A -- R -- B, R forwarding). Needs root, iproute2, tcpdump,
# iputils-ping and traceroute. Re-running changes timings and link-local addresses, so the golden
# JSON must be rewritten afterwards (MCPCAP_UPDATE_GOLDEN=1).
set -euo pipefail
cd "$(dirname "$0")/data"

A=icA R=icR B=icB L=icL
cleanup() {
  for ns in $A $R $B $L; do ip netns del $ns 2>/dev/null || true; done
}
trap cleanup EXIT
cleanup

for ns in $A $R $B $L; do
  ip netns add $ns
  ip -n $ns link set lo up
  # No ICMP error rate limit: every probe gets its answer, so captures are complete.
  ip netns exec $ns sysctl -qw net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0
done
ip link add a0 netns $A type veth peer name r0 netns $R
ip link add b0 netns $B type veth peer name r1 netns $R
ip -n $A addr add 10.99.1.2/24 dev a0
ip -n $A addr add fd00:99:1::2/64 dev a0 nodad
ip -n $R addr add 10.99.1.1/24 dev r0
ip -n $R addr add fd00:99:1::1/64 dev r0 nodad
ip -n $R addr add 10.99.2.1/24 dev r1
ip -n $R addr add fd00:99:2::1/64 dev r1 nodad
ip -n $B addr add 10.99.2.2/24 dev b0
ip -n $B addr add fd00:99:2::2/64 dev b0 nodad
for l in "$A a0" "$R r0" "$R r1" "$B b0"; do set -- $l; ip -n $1 link set $2 up; done
ip -n $A route add default via 10.99.1.1
ip -n $A -6 route add default via fd00:99:1::1
ip -n $B route add default via 10.99.2.1
ip -n $B -6 route add default via fd00:99:2::1
ip netns exec $R sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
# Traffic to 10.99.3.0/24 vanishes silently in the router: pure loss.
ip -n $R route add blackhole 10.99.3.0/24
sleep 2  # let links settle (IPv6 neighbour discovery)

# capture NS IFACE FILE COMMAND...: tcpdump in NS on IFACE while COMMAND runs.
capture() {
  local ns=$1 iface=$2 file=$3
  shift 3
  ip netns exec "$ns" tcpdump -q -U -s 0 -i "$iface" -w "$file" 2>/dev/null &
  local pid=$!
  sleep 1
  ip netns exec "$ns" "$@" || true
  sleep 1
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}

capture $L lo echo_loopback.pcap bash -c 'ping -c 4 -i 0.2 127.0.0.1; ping -6 -c 3 -i 0.2 ::1'

capture $A a0 errors.pcap bash -c '
  ping -c 3 -i 0.2 -W 1 10.99.3.5        # blackholed: loss, no error
  ping -c 2 -i 0.2 -W 4 10.99.2.77       # nobody there: host unreachable from the router
  echo probe > /dev/udp/10.99.2.2/9999   # closed port: port unreachable from the target
  sleep 0.5
  ping -c 3 -i 0.2 10.99.2.2             # answered
  ping -6 -c 2 -i 0.2 fd00:99:2::2
  ping -6 -c 1 -W 3 fd00:99:2::77        # address unreachable from the router
'

capture $A a0 traceroute.pcap bash -c '
  traceroute -n -N 1 -q 2 -w 1 -m 5 10.99.2.2
  traceroute -I -n -N 1 -q 2 -w 1 -m 5 10.99.2.2
  traceroute -6 -n -N 1 -q 1 -w 1 -m 5 fd00:99:2::2
'

capture $A a0 bigping.pcap ping -c 2 -i 0.3 -s 3000 10.99.2.2

# ICMP headers cut by the snap length, made from echo_loopback.pcap: IPv4 echo requests cut to
# 4 and 6 bytes of ICMP, a reply to 7, a whole request/reply pair, and ICMPv6 echoes cut to 1 and
# 4 bytes. tshark lists ICMP from 6 bytes of header and ICMPv6 from 1.
snap() { editcap -s "$1" -r echo_loopback.pcap "snap_$2.pcap" "$2"; }
snap 38 1 && snap 40 3 && snap 41 4 && snap 262144 5-6 && snap 55 9 && snap 58 10
mergecap -a -w snapped.pcap snap_1.pcap snap_3.pcap snap_4.pcap snap_5-6.pcap snap_9.pcap \
  snap_10.pcap
rm -f snap_*.pcap

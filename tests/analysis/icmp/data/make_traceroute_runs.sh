#!/bin/bash
# Records traceroute_runs.pcap: five traceroute runs, back to back, from one host to one
# destination two routers away, captured on the prober (so every probe is in the capture).
# Namespaces trA -- trR1 -- trR2 -- trB joined by veth pairs, the routers forwarding (and sending
# TTL exceeded without rate limit). Needs root, iproute2, tcpdump, traceroute, iputils-tracepath.
#   1-2: traceroute -n -q 2 -N 1 (UDP; both runs use the same destination ports)
#   3-4: traceroute -I -n -q 2 -N 1 (ICMP echo; one identifier per run)
#   5:   tracepath -n (UDP, one probe per TTL, its own port range)
# The destination 10.98.3.2 is three hops away: 10.98.1.1, 10.98.2.1, then itself.
set -euo pipefail
cd "$(dirname "$0")"
out=$PWD/traceroute_runs.pcap
A=trA R1=trR1 R2=trR2 B=trB
cleanup() { for ns in $A $R1 $R2 $B; do ip netns del $ns 2>/dev/null || true; done; }
trap cleanup EXIT
cleanup
for ns in $A $R1 $R2 $B; do
  ip netns add $ns
  ip -n $ns link set lo up
  ip netns exec $ns sysctl -qw net.ipv4.icmp_ratelimit=0
done
ip link add a0 netns $A type veth peer name r10 netns $R1
ip link add r11 netns $R1 type veth peer name r20 netns $R2
ip link add r21 netns $R2 type veth peer name b0 netns $B
ip -n $A addr add 10.98.1.2/24 dev a0
ip -n $R1 addr add 10.98.1.1/24 dev r10
ip -n $R1 addr add 10.98.12.1/24 dev r11
ip -n $R2 addr add 10.98.12.2/24 dev r20
ip -n $R2 addr add 10.98.2.1/24 dev r21
ip -n $B addr add 10.98.2.2/24 dev b0
ip -n $B addr add 10.98.3.2/32 dev lo
for l in "$A a0" "$R1 r10" "$R1 r11" "$R2 r20" "$R2 r21" "$B b0"; do
  set -- $l
  ip -n $1 link set $2 up
done
ip -n $A route add default via 10.98.1.1
ip -n $R1 route add default via 10.98.12.2
ip -n $R2 route add 10.98.1.0/24 via 10.98.12.1
ip -n $R2 route add 10.98.3.2/32 via 10.98.2.2
ip -n $B route add default via 10.98.2.1
for ns in $R1 $R2; do ip netns exec $ns sysctl -qw net.ipv4.ip_forward=1; done
# R2 answers TTL exceeded from its address towards the prober's side, R1 from 10.98.1.1.
sleep 1

ip netns exec $A tcpdump -q -U -s 0 -i a0 -w "$out" 'icmp or udp' 2>/dev/null &
dump=$!
sleep 1
ip netns exec $A traceroute -n -q 2 -N 1 -w 1 -m 6 10.98.3.2
ip netns exec $A traceroute -n -q 2 -N 1 -w 1 -m 6 10.98.3.2
ip netns exec $A traceroute -I -n -q 2 -N 1 -w 1 -m 6 10.98.3.2
ip netns exec $A traceroute -I -n -q 2 -N 1 -w 1 -m 6 10.98.3.2
ip netns exec $A tracepath -n -m 6 10.98.3.2 || true
sleep 1
kill $dump
wait $dump 2>/dev/null || true

# traceroute_gap.pcap: the first UDP run whole (frames 1-12), then only the answers of the
# second (frames 14-24, even) an hour later, as a capture that missed the probes of a later run
# would hold them. A run made of answers alone must stand apart, with no RTT.
editcap -r "$out" run1.pcap 1-12
editcap -r "$out" run2.pcap 14 16 18 20 22 24
editcap -t 3600 run2.pcap run2_late.pcap
mergecap -a -w traceroute_gap.pcap run1.pcap run2_late.pcap
rm -f run1.pcap run2.pcap run2_late.pcap

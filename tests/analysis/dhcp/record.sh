#!/bin/bash
# Records the DHCP test captures in data/ on a private segment: network namespaces joined by a
# bridge, dnsmasq as server(s) and dhclient as client. Needs root, iproute2, tcpdump, dnsmasq and
# isc-dhcp-client. Re-running changes MACs, xids and timings: rewrite the golden JSON afterwards
# (MCPCAP_UPDATE_GOLDEN=1).
set -euo pipefail
cd "$(dirname "$0")/data"
WORK=$(mktemp -d)
B=dhB S=dhS R=dhR C=dhC
cleanup() {
  for f in "$WORK"/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done
  for ns in $B $S $R $C; do ip netns del $ns 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
for ns in $B $S $R $C; do ip netns del $ns 2>/dev/null || true; done

for ns in $B $S $R $C; do ip netns add $ns; ip -n $ns link set lo up; done
ip -n $B link add br0 type bridge
ip -n $B link set br0 up
for pair in "$S s0" "$R r0" "$C c0"; do
  set -- $pair
  ip link add $2 netns $1 type veth peer name br-$2 netns $B
  ip -n $B link set br-$2 master br0
  ip -n $B link set br-$2 up
  ip -n $1 link set $2 up
done
ip -n $S addr add 10.98.0.1/24 dev s0
ip -n $S addr add fd00:98::1/64 dev s0 nodad
ip -n $R addr add 10.98.0.254/24 dev r0

# The client's script only sets the address, so nothing outside the namespace changes.
cat > "$WORK/script" <<'EOS'
#!/bin/sh
case "$reason" in
  BOUND|RENEW|REBIND|REBOOT) ip addr add "$new_ip_address/24" dev "$interface" 2>/dev/null ;;
  BOUND6|RENEW6|REBIND6) ip -6 addr add "$new_ip6_address/128" dev "$interface" 2>/dev/null ;;
  RELEASE|EXPIRE|STOP) ip addr flush dev "$interface" scope global ;;
esac
exit 0
EOS
chmod +x "$WORK/script"
cat > "$WORK/dhclient.conf" <<'EOC'
option rfc3442-classless-static-routes code 121 = array of unsigned integer 8;
send host-name "testhost";
send vendor-class-identifier "mcpcap-test";
request subnet-mask, broadcast-address, routers, domain-name-servers, domain-name,
        domain-search, ntp-servers, rfc3442-classless-static-routes, dhcp-lease-time;
EOC

server() {  # NS NAME ARGS...: a dnsmasq DHCP server, no DNS
  local ns=$1 name=$2
  shift 2
  ip netns exec "$ns" dnsmasq --port=0 --no-resolv --no-hosts --bind-interfaces \
    --dhcp-leasefile="$WORK/$name.leases" --pid-file="$WORK/$name.pid" "$@"
}
client() {  # ARGS...: dhclient in the client namespace
  ip netns exec $C dhclient -cf "$WORK/dhclient.conf" -sf "$WORK/script" -lf "$WORK/client.leases" -pf "$WORK/dhclient.pid" "$@"
}
capture_start() {
  ip netns exec $C tcpdump -q -U -s 0 -i c0 -w "$1" "udp port 67 or udp port 68 or udp port 546 or udp port 547" 2>/dev/null &
  TCPDUMP=$!
  sleep 1
}
capture_stop() {
  sleep 1
  kill $TCPDUMP
  wait $TCPDUMP 2>/dev/null || true
}

# 1. DORA with many options, then a release.
server $S main --interface=s0 --dhcp-authoritative \
  --dhcp-range=10.98.0.100,10.98.0.150,255.255.255.0,1h \
  --dhcp-option=option:router,10.98.0.1,10.98.0.2 \
  --dhcp-option=option:dns-server,10.98.0.1,10.98.0.3 \
  --dhcp-option=option:ntp-server,10.98.0.1 \
  --dhcp-option=option:domain-name,lab.example \
  --dhcp-option=option:domain-search,lab.example,example.com \
  --dhcp-option=121,10.10.0.0/16,10.98.0.1 \
  --dhcp-range=fd00:98::100,fd00:98::1ff,64,1h \
  --dhcp-option=option6:dns-server,[fd00:98::1]
sleep 1
capture_start dora_release.pcap
client -1 c0
client -r c0
capture_stop

# 2. A stale lease from another network: INIT-REBOOT is refused (NAK), then a fresh DORA.
cat > "$WORK/client.leases" <<'EOL'
lease {
  interface "c0";
  fixed-address 192.168.77.5;
  option subnet-mask 255.255.255.0;
  option dhcp-server-identifier 192.168.77.1;
  renew 4 2037/01/01 00:00:00;
  rebind 4 2037/01/01 00:00:00;
  expire 4 2037/01/01 00:00:00;
}
EOL
capture_start nak.pcap
client -1 c0
client -r c0
capture_stop

# 3. A second server on the segment answers too (rogue).
server $R rogue --interface=r0 --no-ping --dhcp-range=10.98.0.200,10.98.0.250,255.255.255.0,10m \
  --dhcp-option=option:router,10.98.0.254 --dhcp-option=option:dns-server,10.98.0.254
sleep 1
rm -f "$WORK/client.leases"
capture_start rogue.pcap
client -1 c0
client -r c0
capture_stop

# 4. DHCPv6: solicit, advertise, request, reply, release.
rm -f "$WORK/client.leases"
capture_start dhcpv6.pcap
ip netns exec $C sysctl -qw net.ipv6.conf.c0.accept_dad=0
sleep 1
client -6 -1 c0 || true
client -6 -r c0 || true
capture_stop

#!/bin/sh
# Records the SIP test captures in data/ from real SIP messages sent over loopback (sip_send.py).
# Needs root (tcpdump on lo), tcpdump and python3. Re-run only to change the captures; then
# refresh the golden files with MCPCAP_UPDATE_GOLDEN=1 and review the diff.
set -eu
cd "$(dirname "$0")/data"
record() {  # record NAME SCENARIO FILTER
  tcpdump -i lo -w "$1.pcap" -U -s 0 "$3" 2>/dev/null &
  pid=$!
  sleep 1
  python3 sip_send.py "$2"
  sleep 1
  kill "$pid"
  wait "$pid" || true
}
# ICMP port-unreachable replies are left out: nothing listens for the UDP replies' peers.
record sip_udp udp "udp port 5060"
record sip_tcp tcp "tcp port 5060"

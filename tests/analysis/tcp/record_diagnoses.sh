#!/bin/bash
# Records the captures behind the TCP diagnoses (issue 19) with real Linux stacks in two network
# namespaces joined by a veth pair: t19s (scanner / clients, 10.79.0.1 and 10.79.0.11-13) and
# t19v (server, 10.79.0.2). Headers only (snaplen 96); tcpdump runs in t19s on its veth, so the
# captures show what the clients sent and received. Needs root, iproute2, tcpdump, nftables,
# nmap, python3, editcap. Re-running changes timings and frame numbers: update the assertions of
# tcp_diagnosis_test.cc afterwards.
#
#   scan.pcap        nmap -sS of ports 1-300 of 10.79.0.2 from 10.79.0.1: ports 22, 80 and 111
#                    open, 200-300 dropped by the server's firewall (filtered), the rest closed
#                    (RST). The scanner's own firewall drops its outgoing RSTs, so the server
#                    re-sends its SYN-ACKs to the open ports (1, 3, 7 s back-off) and nobody ACKs.
#   outage.pcap      three clients (10.79.0.11-13) each try 10.79.0.2:5432 three times (2 s connect
#                    time-out) while the server's firewall drops that port; each client also
#                    fetches a page from 10.79.0.2:8080, which works.
#   fastretx.pcap    a 150 kB upload to 10.79.0.2:7010 with 5% of the client's data segments
#                    dropped at the server's input (nftables numgen: this kernel has no netem),
#                    then 3 s idle before the client closes.
#   midhandshake.pcap  http.pcap without its first frame (the IPv4 SYN): the capture begins
#                    between the SYN and the SYN-ACK (editcap -r http.pcap midhandshake.pcap 2-100000).
set -euo pipefail
cd "$(dirname "$0")/data"
S=t19s V=t19v
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  ip netns del $S 2>/dev/null || true
  ip netns del $V 2>/dev/null || true
}
trap cleanup EXIT
cleanup

ip netns add $S
ip netns add $V
ip link add s0 netns $S type veth peer name v0 netns $V
ip -n $S addr add 10.79.0.1/24 dev s0
for h in 11 12 13; do ip -n $S addr add 10.79.0.$h/24 dev s0; done
ip -n $V addr add 10.79.0.2/24 dev v0
for l in "$S s0" "$V v0" "$S lo" "$V lo"; do set -- $l; ip -n $1 link set $2 up; done
ip netns exec $S ethtool -K s0 tso off gso off gro off 2>/dev/null || true
ip netns exec $V ethtool -K v0 tso off gso off gro off 2>/dev/null || true
sleep 2

server() {
  ip netns exec $V "$@" &
  PIDS+=($!)
  sleep 2
}
stop_servers() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  PIDS=()
}
# capture FILE SECONDS_AFTER COMMAND...: tcpdump in t19s while COMMAND runs there.
capture() {
  local file=$1 after=$2
  shift 2
  ip netns exec $S tcpdump -q -U -s 96 -i s0 -w "$file" tcp 2>/dev/null &
  local pid=$!
  sleep 1
  ip netns exec $S "$@" || true
  sleep "$after"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}

# 1. SYN scan.
server python3 -c '
import socket, time
socks = []
for port in (22, 80, 111):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("10.79.0.2", port)); s.listen(); socks.append(s)
time.sleep(3600)'
ip netns exec $V nft -f - <<'NFT'
table inet filtered {
  chain input {
    type filter hook input priority 0;
    tcp dport 200-300 drop
  }
}
NFT
ip netns exec $S nft -f - <<'NFT'
table inet norst {
  chain output {
    type filter hook output priority 0;
    tcp flags & rst == rst drop
  }
}
NFT
capture scan.pcap 9 nmap -n -Pn -sS -T4 --max-retries 1 -p 1-300 -S 10.79.0.1 -e s0 10.79.0.2
ip netns exec $S nft delete table inet norst
ip netns exec $V nft delete table inet filtered
stop_servers

# 2. One service dropped by the server's firewall while several clients retry; another works.
mkdir -p /tmp/t19_www.$$ && head -c 2000 /dev/zero | tr '\0' x >/tmp/t19_www.$$/page.txt
server python3 -m http.server 8080 --bind 10.79.0.2 --directory /tmp/t19_www.$$
server python3 -c '
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.79.0.2", 5432)); s.listen(); time.sleep(3600)'
ip netns exec $V nft -f - <<'NFT'
table inet outage {
  chain input {
    type filter hook input priority 0;
    tcp dport 5432 drop
  }
}
NFT
capture outage.pcap 1 python3 -c '
import socket, threading, urllib.request
def client(src):
    for attempt in range(3):
        s = socket.socket(); s.bind((src, 0)); s.settimeout(2)
        try: s.connect(("10.79.0.2", 5432))
        except OSError as e: pass
        s.close()
    s = socket.socket(); s.bind((src, 0)); s.connect(("10.79.0.2", 8080))
    s.sendall(b"GET /page.txt HTTP/1.0\r\n\r\n")
    while s.recv(65536): pass
    s.close()
ts = [threading.Thread(target=client, args=("10.79.0.%d" % h,)) for h in (11, 12, 13)]
for t in ts: t.start()
for t in ts: t.join()'
ip netns exec $V nft delete table inet outage
stop_servers
rm -rf /tmp/t19_www.$$

# 3. Bulk upload under random loss, then idle before the close.
server python3 -c '
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.79.0.2", 7010)); s.listen()
c, _ = s.accept()
while c.recv(65536): pass
c.close()'
ip netns exec $V nft -f - <<'NFT'
table inet loss {
  chain input {
    type filter hook input priority 0;
    tcp dport 7010 tcp flags & (syn | fin) == 0 meta length > 100 numgen random mod 20 0 counter drop
  }
}
NFT
capture fastretx.pcap 1 python3 -c '
import socket, time
s = socket.create_connection(("10.79.0.2", 7010))
s.sendall(b"y" * 150000); time.sleep(3); s.close()'
ip netns exec $V nft list table inet loss | grep -o 'packets [0-9]*' || true
ip netns exec $V nft delete table inet loss
stop_servers

# 4. The capture begins between a SYN and its SYN-ACK.
editcap -r http.pcap midhandshake.pcap 2-100000
ls -l scan.pcap outage.pcap fastretx.pcap midhandshake.pcap

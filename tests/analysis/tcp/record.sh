#!/bin/bash
# Records the TCP test captures in data/ with real Linux stacks in two network namespaces joined
# by a veth pair (client tcA 10.77.0.1 / fd00:77::1, server tcB 10.77.0.2 / fd00:77::2). Loss
# comes from nftables (this kernel has no netem). Headers only (snaplen 128) keeps files small;
# the analyses take segment lengths from the IP header. Needs root, iproute2, tcpdump, nftables,
# python3, curl. Re-running changes timings, so rewrite the golden JSON afterwards
# (MCPCAP_UPDATE_GOLDEN=1).
set -euo pipefail
cd "$(dirname "$0")/data"
A=tcA B=tcB
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  ip netns del $A 2>/dev/null || true
  ip netns del $B 2>/dev/null || true
}
trap cleanup EXIT
cleanup

ip netns add $A
ip netns add $B
ip link add a0 netns $A type veth peer name b0 netns $B
ip -n $A addr add 10.77.0.1/24 dev a0
ip -n $A addr add fd00:77::1/64 dev a0 nodad
ip -n $B addr add 10.77.0.2/24 dev b0
ip -n $B addr add fd00:77::2/64 dev b0 nodad
for l in "$A a0" "$B b0" "$A lo" "$B lo"; do set -- $l; ip -n $1 link set $2 up; done
# No segmentation offload: the capture shows the segments as they go on the wire.
ip netns exec $A ethtool -K a0 tso off gso off gro off 2>/dev/null || true
ip netns exec $B ethtool -K b0 tso off gso off gro off 2>/dev/null || true
sleep 2

# server COMMAND...: starts a server in tcB, remembered for cleanup.
server() {
  ip netns exec $B "$@" &
  PIDS+=($!)
  sleep 2
}
stop_servers() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  PIDS=()
}
# capture FILE COMMAND...: tcpdump on the client side while COMMAND runs in tcA.
capture() {
  local file=$1
  shift
  ip netns exec $A tcpdump -q -U -s 128 -i a0 -w "$file" tcp 2>/dev/null &
  local pid=$!
  sleep 1
  ip netns exec $A "$@" || true
  sleep 1
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}

# 1. Normal HTTP over IPv4 and IPv6, then a refused port.
mkdir -p /tmp/tcp_www.$$ && head -c 3000 /dev/zero | tr '\0' x > /tmp/tcp_www.$$/page.txt
server python3 -m http.server 8080 --bind :: --directory /tmp/tcp_www.$$
capture http.pcap bash -c '
  curl -s -o /dev/null http://10.77.0.2:8080/page.txt
  curl -s -o /dev/null "http://[fd00:77::2]:8080/page.txt"'
stop_servers
capture refused.pcap bash -c 'curl -s -o /dev/null http://10.77.0.2:9/ ; true'

# 2. A SYN nobody answers (dropped by the server's firewall): SYN retries, then give up.
ip netns exec $B nft -f - <<'NFT'
table inet drop_syn {
  chain input {
    type filter hook input priority 0;
    tcp dport 7001 drop
  }
}
NFT
capture unanswered.pcap timeout 4 bash -c 'echo hi > /dev/tcp/10.77.0.2/7001'
ip netns exec $B nft delete table inet drop_syn

# 3. A bulk transfer with 10% of the client's data segments dropped: retransmissions, dup ACKs,
#    fast retransmissions, SACK.
server python3 -c '
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.77.0.2", 7000)); s.listen()
c, _ = s.accept()
while c.recv(65536): pass
c.close()'
# Dropped on the server's input, so the capture on the client side shows each lost segment and
# its retransmission.
ip netns exec $B nft -f - <<'NFT'
table inet loss {
  chain input {
    type filter hook input priority 0;
    tcp dport 7000 tcp flags & (syn | fin) == 0 numgen random mod 10 0 counter drop
  }
}
NFT
capture loss.pcap python3 -c '
import socket
s = socket.create_connection(("10.77.0.2", 7000))
s.sendall(b"y" * 150000); s.close()'
ip netns exec $B nft list table inet loss | grep -o 'packets [0-9]*' || true
ip netns exec $B nft delete table inet loss
stop_servers

# 4. A server that answers, then aborts mid-stream (SO_LINGER 0 close sends a RST).
server python3 -c '
import socket, struct
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.77.0.2", 7002)); s.listen()
c, _ = s.accept()
c.recv(100); c.sendall(b"partial answer")
c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)); c.close()'
capture reset.pcap python3 -c '
import socket, time
s = socket.create_connection(("10.77.0.2", 7002))
s.sendall(b"GET something\n"); time.sleep(0.5)
try:
    print(s.recv(100)); s.sendall(b"more"); time.sleep(0.2); s.recv(100)
except OSError as e: print(e)'
stop_servers

# 5. A receiver that stops reading: zero windows, window full, zero-window probes, recovery.
server python3 -c '
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.bind(("10.77.0.2", 7003)); s.listen()
c, _ = s.accept()
time.sleep(3)
while c.recv(65536): pass
c.close()'
capture zerowindow.pcap python3 -c '
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
s.connect(("10.77.0.2", 7003))
s.sendall(b"z" * 60000); s.close()'
stop_servers

# 6. Keep-alives on an idle connection (TCP_KEEPIDLE 1 s, interval 1 s).
server python3 -c '
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.77.0.2", 7004)); s.listen()
c, _ = s.accept()
while c.recv(100): pass
c.close()'
capture keepalive.pcap python3 -c '
import socket, time
s = socket.create_connection(("10.77.0.2", 7004))
s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1)
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
s.sendall(b"hello"); time.sleep(3.6); s.close()'
stop_servers
rm -rf /tmp/tcp_www.$$
ls -l

#!/bin/bash
# Records data/mysql_loopback.pcap: a real MariaDB server and client talking over the loopback
# interface of a private network namespace (no delay at all, so the handshake RTT is a few
# microseconds), with 8% of the data segments dropped on input after tcpdump has seen them:
# retransmissions, fast retransmissions, out-of-order decisions at loopback speed, dup ACKs, and
# FIN retransmissions. Headers only (snaplen 128) keeps the file small. Needs root, iproute2,
# tcpdump, nftables, mariadb-server, mariadb-client.
set -euo pipefail
out="$(cd "$(dirname "$0")/data" && pwd)/mysql_loopback.pcap"
NS=tcmysql
DIR=$(mktemp -d /tmp/tcp_mysql.XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  ip netns del $NS 2>/dev/null || true
  rm -rf "$DIR"
}
trap cleanup EXIT
ip netns del $NS 2>/dev/null || true
ip netns add $NS
ip -n $NS link set lo up

mariadb-install-db --no-defaults --datadir="$DIR/data" --user=root >/dev/null 2>&1
ip netns exec $NS mariadbd --no-defaults --datadir="$DIR/data" --user=root --socket="$DIR/sock" \
  --pid-file="$DIR/pid" --port=3306 --bind-address=127.0.0.1 --skip-grant-tables \
  --skip-log-bin --innodb-buffer-pool-size=16M >"$DIR/log" 2>&1 &
PIDS+=($!)
for _ in $(seq 60); do
  ip netns exec $NS mariadb -h 127.0.0.1 -P 3306 -u root -e 'select 1' >/dev/null 2>&1 && break
  sleep 0.5
done

ip netns exec $NS nft -f - <<'NFT'
table inet loss {
  chain input {
    type filter hook input priority 0;
    tcp sport 3306 tcp flags & (syn | rst) == 0 numgen random mod 100 < 8 counter drop
    tcp dport 3306 tcp flags & (syn | rst) == 0 numgen random mod 100 < 8 counter drop
  }
}
NFT
ip netns exec $NS tcpdump -q -U -s 128 -i lo -w "$out" 'tcp port 3306' 2>/dev/null &
TCPDUMP=$!
sleep 1
for i in 1 2 3 4 5 6 7 8; do
  ip netns exec $NS mariadb -h 127.0.0.1 -P 3306 -u root -e \
    "select repeat('x', 300000); select $i, @@version; select repeat('y', 120000)" \
    >/dev/null 2>&1 || true
done
sleep 1
kill $TCPDUMP
wait $TCPDUMP 2>/dev/null || true
ip netns exec $NS nft list table inet loss | grep -o 'packets [0-9]*' || true
ls -l "$out"

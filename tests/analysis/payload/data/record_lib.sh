# Shared by the record_*.sh scripts (source it; bash): capture loopback traffic with tcpdump
# while a command runs, wait for a server's port, and stop the servers started, by their pid.
# shellcheck shell=bash

# Pids of the servers a script starts (PIDS+=($!)); stop_servers kills them.
PIDS=()
stop_servers() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 0.5
}

# start_work NAME: WORK is a new temp dir /tmp/NAME.XXXXXX that the servers can read; on exit the
# servers in PIDS are stopped and WORK is removed.
start_work() {
  WORK=$(mktemp -d "/tmp/$1.XXXXXX")
  chmod 755 "$WORK"
  trap 'stop_servers; rm -rf "$WORK"' EXIT
}

# record NAME FILTER COMMAND...: runs COMMAND while tcpdump writes $OUT/NAME.pcap.
record() {
  local name=$1 filter=$2
  shift 2
  tcpdump -i lo -U -s 0 -w "$OUT/$name.pcap" "$filter" 2>/dev/null &
  local dump=$!
  sleep 1
  "$@" || true
  sleep 1
  kill "$dump"
  wait "$dump" 2>/dev/null || true
  echo "$name.pcap: $(tcpdump -r "$OUT/$name.pcap" 2>/dev/null | wc -l) packets"
}

# start_dump FILE FILTER LOG: tcpdump writes FILE (replaced) in the background until stop_dump;
# returns once it listens. Its pid is DUMP_PID.
DUMP_PID=""
start_dump() {
  rm -f "$1"
  tcpdump -i lo -U -s 0 -Z root -w "$1" "$2" 2>"$3" &
  DUMP_PID=$!
  for _ in $(seq 1 50); do grep -q listening "$3" 2>/dev/null && break; sleep 0.1; done
  sleep 0.5
}
stop_dump() {
  sleep 1
  kill "$DUMP_PID"; wait "$DUMP_PID" 2>/dev/null || true
  DUMP_PID=""
}

# wait_port PORT: until a connection to 127.0.0.1:PORT succeeds.
wait_port() {
  for _ in $(seq 1 50); do
    if (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  echo "nothing listens on $1" >&2
  return 1
}

# wait_listen PORT: until something listens on PORT, without connecting (for servers that
# accept a single connection).
wait_listen() {
  for _ in $(seq 1 50); do
    if ss -ltn "sport = :$1" | grep -q LISTEN; then return 0; fi
    sleep 0.2
  done
  echo "nothing listens on $1" >&2
  return 1
}

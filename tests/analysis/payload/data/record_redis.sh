#!/bin/bash
# Re-creates the Redis captures used by tests/analysis/database/kv_capture_test.cc: a real redis-server
# (Debian 12: redis 7.0) on port 16380 of the loopback, real redis-cli clients, tcpdump.
#   apt-get install -y redis-server redis-tools tcpdump
#   tests/analysis/payload/data/record_redis.sh            # writes redis_*.pcap beside this script
# Each capture is one or two TCP connections:
#   redis_basic.pcap     AUTH alice (ACL user), SELECT 1, SET/GET/DEL/INCR/HSET/HGETALL/LPUSH/
#                        LRANGE, a WRONGTYPE error, INFO server, then a wrong password
#   redis_pipeline.pcap  redis-cli --pipe: many commands in one write, replies in order
#   redis_resp3.pcap     redis-cli -3: HELLO 3, map/set/double/null/boolean replies, pub/sub push
#   redis_large.pcap     SET of a 200000-byte value (skipped, not buffered), then STRLEN
set -euo pipefail

port=16380
out_dir=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
server_pid=""
dump_pid=""
cleanup() {
  [[ -n "$dump_pid" ]] && kill "$dump_pid" 2>/dev/null || true
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

cat >"$work/redis.conf" <<EOF
port $port
bind 127.0.0.1
save ""
appendonly no
dir $work
user default on >defaultpass ~* &* +@all
user alice on >alicepass123 ~* &* +@all
EOF
redis-server "$work/redis.conf" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 50); do
  redis-cli -p $port --no-auth-warning -a defaultpass PING >/dev/null 2>&1 && break
  sleep 0.1
done

cli() { redis-cli -p $port --no-auth-warning "$@"; }

# record NAME COMMAND...: runs the command while tcpdump writes NAME.
record() {
  local name=$1
  shift
  tcpdump -i lo -U -s 0 -w "$work/$name" "tcp port $port" >/dev/null 2>&1 &
  dump_pid=$!
  sleep 1
  "$@"
  sleep 1
  kill "$dump_pid"
  wait "$dump_pid" 2>/dev/null || true
  dump_pid=""
  cp "$work/$name" "$out_dir/$name"
}

# redis-cli reading commands from stdin first fetches COMMAND DOCS (a 170 KB reply), so each
# command runs as its own redis-cli (one connection each: AUTH, SELECT, the command).
basic() {
  local command
  for command in 'SET greeting hello' 'GET greeting' 'INCR counter' 'INCR counter' \
    'HSET user:1 name Ada lang C' 'HGETALL user:1' 'LPUSH jobs a b c' 'LRANGE jobs 0 -1' \
    'LPUSH greeting x' 'DEL greeting counter nothere' 'GET greeting' 'INFO server'; do
    # shellcheck disable=SC2086
    cli --user alice --pass alicepass123 -n 1 $command >/dev/null
  done
  cli --user alice --pass wrongpassword PING >/dev/null 2>&1 || true
}

pipeline() {
  {
    for i in 1 2 3 4 5; do printf '*3\r\n$3\r\nSET\r\n$4\r\npk:%d\r\n$1\r\n%d\r\n' "$i" "$i"; done
    printf '*2\r\n$4\r\nINCR\r\n$4\r\npk:1\r\n'
    printf '*3\r\n$4\r\nMGET\r\n$4\r\npk:1\r\n$4\r\npk:2\r\n'
    printf '*2\r\n$3\r\nDEL\r\n$4\r\npk:3\r\n'
  } | cli -a defaultpass --pipe >/dev/null
}

resp3() {
  local command
  cli -a defaultpass DEL h s z >/dev/null
  for command in 'HSET h f1 v1 f2 v2' 'HGETALL h' 'SADD s a b c' 'SMEMBERS s' 'ZADD z 1.5 m' \
    'ZSCORE z m' 'GET nosuchkey' 'EXISTS h' 'SISMEMBER s a'; do
    # shellcheck disable=SC2086
    cli -3 --user alice --pass alicepass123 $command >/dev/null
  done
  # A RESP3 subscriber gets the message as a push; it is stopped by timeout.
  timeout 2 redis-cli -p $port --no-auth-warning -3 -a defaultpass SUBSCRIBE news >/dev/null &
  local subscriber=$!
  sleep 0.5
  cli -a defaultpass PUBLISH news hello >/dev/null
  wait "$subscriber" || true
}

large() {
  head -c 200000 /dev/zero | tr '\0' 'x' | cli -a defaultpass -x SET bigvalue >/dev/null
  cli -a defaultpass STRLEN bigvalue >/dev/null
}

record redis_basic.pcap basic
record redis_pipeline.pcap pipeline
record redis_resp3.pcap resp3
record redis_large.pcap large
ls -l "$out_dir"/redis_*.pcap

#!/bin/bash
# Re-creates the tls_*.pcap captures: openssl s_server with a self-signed certificate made here
# ("/CN=mcpcap.test/O=mcpcap tests") and openssl s_client offering SNI mcpcap.test and ALPN
# h2,http/1.1, one capture per protocol version, each exchanging a line of application data
# (s_server -rev answers it reversed), plus a failed handshake:
#   tls_1_0.pcap tls_1_1.pcap tls_1_2.pcap tls_1_3.pcap on ports 8443..8446
#   tls_fail.pcap  the client offers only TLS 1.3, the server allows only TLS 1.2: alert (8447)
# TLS 1.0 and 1.1 need SECLEVEL=0 on both sides with OpenSSL 3. Needs (apt): openssl tcpdump.
# Servers run from a temp dir and are stopped by their pid. Run as root.
set -euo pipefail
OUT=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=record_lib.sh
source "$OUT/record_lib.sh"
start_work record_tls

openssl req -x509 -newkey rsa:2048 -nodes -days 365 -keyout "$WORK/key.pem" \
  -out "$WORK/cert.pem" -subj "/CN=mcpcap.test/O=mcpcap tests" 2>/dev/null

# session NAME PORT SERVER_OPTS CLIENT_OPTS: one connection, a line each way.
session() {
  local name=$1 port=$2 server_opts=$3 client_opts=$4
  # shellcheck disable=SC2086
  openssl s_server -accept "127.0.0.1:$port" -cert "$WORK/cert.pem" -key "$WORK/key.pem" \
    -alpn http/1.1 -rev -naccept 1 -quiet $server_opts >/dev/null 2>&1 &
  PIDS+=($!)
  wait_listen "$port"
  talk() {
    # shellcheck disable=SC2086
    (echo "hello mcpcap"; sleep 1) |
      timeout 10 openssl s_client -connect "127.0.0.1:$port" -servername mcpcap.test -alpn h2,http/1.1 \
        -quiet -no_ign_eof $client_opts >/dev/null 2>&1
  }
  record "$name" "tcp port $port" talk
}

LEGACY="-cipher DEFAULT:@SECLEVEL=0"
session tls_1_0 8443 "-tls1 $LEGACY" "-tls1 $LEGACY"
session tls_1_1 8444 "-tls1_1 $LEGACY" "-tls1_1 $LEGACY"
session tls_1_2 8445 "-tls1_2" "-tls1_2"
session tls_1_3 8446 "-tls1_3" "-tls1_3"
session tls_fail 8447 "-tls1_2" "-tls1_3"

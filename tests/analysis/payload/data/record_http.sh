#!/bin/bash
# Re-creates the http_*.pcap captures: real Debian 12 HTTP servers on odd ports (detection must
# go by content) and real clients, recorded on loopback with tcpdump.
#   http_python.pcap  python3 -m http.server (HTTP/1.1) on 8081, curl: GET, HEAD, a 404, a POST
#                     with a form body holding password=, basic auth, a bearer token with an
#                     X-API-Key, keep-alive (two URLs on one connection).
#   http_nginx.pcap   nginx on 8082: a gzip (chunked) response, three requests pipelined in one
#                     segment (socat), keep-alive.
# Needs (apt): python3 nginx-light curl socat tcpdump. Servers run from a temp dir and are
# stopped by their pid. Run as root.
set -euo pipefail
OUT=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
# shellcheck source=record_lib.sh
source "$OUT/record_lib.sh"
start_work record_http

mkdir -p "$WORK/www"
printf '<html><body>mcpcap index</body></html>\n' >"$WORK/www/index.html"
printf 'first file\n' >"$WORK/www/a.txt"
printf 'second file\n' >"$WORK/www/b.txt"
# Compressible enough for nginx to gzip it (and then send it chunked).
for i in $(seq 1 40); do echo "line $i of a text that nginx compresses on the fly"; done \
  >"$WORK/www/big.txt"

# ---- python3 -m http.server on 8081 ----
(cd "$WORK/www" && exec $PY -m http.server 8081 --bind 127.0.0.1 --protocol HTTP/1.1) \
  >/dev/null 2>&1 &
PIDS+=($!)
wait_port 8081
python_talk() {
  local u=http://127.0.0.1:8081
  curl -s -o /dev/null "$u/index.html"
  curl -s -o /dev/null -I "$u/a.txt"
  curl -s -o /dev/null "$u/missing.html"
  curl -s -o /dev/null -d 'username=alice&password=s3cretPassw0rd' "$u/login"
  curl -s -o /dev/null -u 'webuser:webpass123' "$u/a.txt"
  curl -s -o /dev/null -H 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtY3BjYXAifQ.sig' \
    -H 'X-API-Key: 4f3c2b1a09876543210fedcba' "$u/b.txt"
  curl -s -o /dev/null -o /dev/null "$u/a.txt" "$u/b.txt?pwd=hunter2"
}
record http_python 'tcp port 8081' python_talk

# ---- nginx on 8082 ----
mkdir -p "$WORK/nginx/logs"
cat >"$WORK/nginx/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  types { text/html html; text/plain txt; }
  gzip on;
  gzip_types text/plain;
  gzip_min_length 1;
  server {
    listen 127.0.0.1:8082;
    root $WORK/www;
  }
}
CONF
nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" &
PIDS+=($!)
wait_port 8082
nginx_talk() {
  local u=http://127.0.0.1:8082
  curl -s -o /dev/null --compressed "$u/big.txt"
  # Three requests in one segment; the server answers in order (HEAD without a body).
  printf 'GET /a.txt HTTP/1.1\r\nHost: 127.0.0.1:8082\r\nUser-Agent: socat-pipeline\r\n\r\nHEAD /b.txt HTTP/1.1\r\nHost: 127.0.0.1:8082\r\n\r\nGET /nothing-here HTTP/1.1\r\nHost: 127.0.0.1:8082\r\nConnection: close\r\n\r\n' |
    socat -t 2 - TCP:127.0.0.1:8082 >/dev/null
  curl -s -o /dev/null -o /dev/null "$u/index.html" "$u/a.txt"
}
record http_nginx 'tcp port 8082' nginx_talk

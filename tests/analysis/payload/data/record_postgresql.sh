#!/usr/bin/env bash
# Re-creates the PostgreSQL captures used by the payload tests: a real PostgreSQL 15 server
# (Debian's postgresql) on 127.0.0.1:15432 in a temporary directory, real clients (psql and a
# small C program against libpq for prepared statements), traffic recorded on loopback with
# tcpdump. Needs: postgresql postgresql-client libpq-dev tcpdump gcc openssl; run as root (the
# server runs as the postgres user).
#   tests/analysis/payload/data/record_postgresql.sh      # writes postgresql_*.pcap next to this script
set -euo pipefail
out_dir="$(cd "$(dirname "$0")" && pwd)"
port=15432
bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
work="$(mktemp -d /tmp/mcpcap-pg-rec.XXXXXX)"
chown postgres "$work"
# shellcheck source=record_lib.sh
source "$out_dir/record_lib.sh"
as_pg() { runuser -u postgres -- "$@"; }
stop_server() { as_pg "$bin/pg_ctl" -D "$work/data" -m fast stop >/dev/null 2>&1 || true; }
cleanup() {
  [[ -n "$DUMP_PID" ]] && kill "$DUMP_PID" 2>/dev/null || true
  stop_server
  rm -rf "$work"
}
trap cleanup EXIT

as_pg "$bin/initdb" -D "$work/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 >/dev/null
cat >"$work/data/pg_hba.conf" <<HBA
local all all trust
host all clear_user 127.0.0.1/32 password
host all md5_user 127.0.0.1/32 md5
host all all 127.0.0.1/32 scram-sha-256
HBA
openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj /CN=mcpcap-test-db \
  -keyout "$work/data/server.key" -out "$work/data/server.crt" >/dev/null 2>&1
chown postgres "$work/data/server.key" "$work/data/server.crt"
chmod 600 "$work/data/server.key"
start_server() {  # start_server on|off: with or without SSL
  as_pg "$bin/pg_ctl" -D "$work/data" -l "$work/log" -w -o \
    "-p $port -k $work -c listen_addresses=127.0.0.1 -c ssl=$1" start >/dev/null
}
start_server off
as_pg psql -h "$work" -p $port -U postgres -q <<SQL
SET password_encryption = 'scram-sha-256';
CREATE USER app PASSWORD 'secret';
CREATE USER clear_user PASSWORD 'clearpw';
SET password_encryption = 'md5';
CREATE USER md5_user PASSWORD 'md5pw';
CREATE DATABASE shop OWNER app;
SQL

# capture NAME: tcpdump of the server port into NAME next to this script, until stop_dump.
capture() { start_dump "$out_dir/$1" "tcp port $port" "$work/tcpdump.log"; }

# --- 1. psql session (scram-sha-256; sslmode=prefer against a server without SSL: refused) ---
capture postgresql_session.pcap
PGPASSWORD=secret psql "host=127.0.0.1 port=$port user=app dbname=shop sslmode=prefer gssencmode=disable application_name=mcpcap-test" -q <<'SQL' || true
CREATE TABLE items (id serial PRIMARY KEY, name text, price numeric(8,2));
INSERT INTO items (name, price) VALUES ('apple', 1.20), ('pear', 0.80), ('plum', 2.50);
INSERT INTO items (name, price) VALUES ('kiwi', 3.10);
SELECT id, name, price FROM items ORDER BY id;
UPDATE items SET price = price + 1 WHERE price < 2;
DELETE FROM items WHERE name = 'plum';
SELECT * FROM missing_table;
SELEC 1;
COPY items TO STDOUT;
SQL
PGPASSWORD=secret psql "host=127.0.0.1 port=$port user=app dbname=shop sslmode=disable" \
  -c "INSERT INTO items (name, price) VALUES ('fig', 4.00); SELECT count(*) FROM items; DELETE FROM items WHERE name = 'fig'" || true
PGPASSWORD=secret psql "host=127.0.0.1 port=$port user=app dbname=shop sslmode=disable" \
  -c "SELECT 1; SELECT * FROM nope; SELECT 2" || true
stop_dump

# --- 2. libpq prepared statements, clear-text password (pg_hba "password"), md5 ---
cat >"$work/prepared.c" <<'C'
#include <libpq-fe.h>
#include <stdio.h>
static void show(PGresult* r, const char* what) {
  ExecStatusType s = PQresultStatus(r);
  if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) fprintf(stderr, "%s: %s", what, PQresultErrorMessage(r));
  PQclear(r);
}
int main(int argc, char** argv) {
  PGconn* c = PQconnectdb(argv[1]);
  if (PQstatus(c) != CONNECTION_OK) { fprintf(stderr, "%s", PQerrorMessage(c)); return 1; }
  show(PQexec(c, "CREATE TABLE IF NOT EXISTS stock (id int, qty int)"), "create");
  show(PQprepare(c, "ins", "INSERT INTO stock (id, qty) VALUES ($1, $2)", 2, NULL), "prepare ins");
  for (int i = 1; i <= 3; ++i) {
    char id[8], qty[8];
    snprintf(id, sizeof id, "%d", i);
    snprintf(qty, sizeof qty, "%d", i * 10);
    const char* values[2] = {id, qty};
    show(PQexecPrepared(c, "ins", 2, values, NULL, NULL, 0), "exec ins");
  }
  const char* min[1] = {"15"};
  show(PQexecParams(c, "SELECT id, qty FROM stock WHERE qty > $1 ORDER BY id", 1, NULL, min, NULL, NULL, 0), "select");
  show(PQprepare(c, "bad", "SELECT nope FROM stock", 0, NULL), "prepare bad (expected)");
  PQfinish(c);
  return 0;
}
C
gcc -o "$work/prepared" "$work/prepared.c" -I"$(pg_config --includedir)" -lpq
as_pg psql -h "$work" -p $port -U postgres -q -c "GRANT ALL ON SCHEMA public TO clear_user" shop
capture postgresql_prepared.pcap
"$work/prepared" "host=127.0.0.1 port=$port user=clear_user password=clearpw dbname=shop sslmode=disable application_name=prepared-test"
PGPASSWORD=md5pw psql "host=127.0.0.1 port=$port user=md5_user dbname=shop sslmode=disable" -c "SELECT current_user" || true
PGPASSWORD=wrong psql "host=127.0.0.1 port=$port user=app dbname=shop sslmode=disable" -c "SELECT 1" || true
stop_dump

# --- 3. SSL accepted ---
stop_server
start_server on
capture postgresql_ssl.pcap
PGPASSWORD=secret psql "host=127.0.0.1 port=$port user=app dbname=shop sslmode=require gssencmode=disable" -c "SELECT 1" || true
stop_dump

ls -l "$out_dir"/postgresql_*.pcap

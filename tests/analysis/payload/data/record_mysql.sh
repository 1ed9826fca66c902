#!/usr/bin/env bash
# Re-creates the MySQL/MariaDB captures used by the payload tests: a real MariaDB server
# (Debian's mariadb-server) on 127.0.0.1:13306 with a temporary datadir, real clients (the
# mariadb CLI and a small C program against libmariadb for the binary protocol), traffic recorded
# on loopback with tcpdump. Needs: mariadb-server mariadb-client libmariadb-dev tcpdump gcc.
#   tests/analysis/payload/data/record_mysql.sh            # writes mysql_*.pcap next to this script
#   tests/analysis/payload/data/record_mysql.sh mysql_use  # only the captures named (no .pcap)
set -euo pipefail
out_dir="$(cd "$(dirname "$0")" && pwd)"
port=13306
work="$(mktemp -d /tmp/mcpcap-mysql-rec.XXXXXX)"
server_pid=""
# shellcheck source=record_lib.sh
source "$out_dir/record_lib.sh"
cleanup() {
  [[ -n "$DUMP_PID" ]] && kill "$DUMP_PID" 2>/dev/null || true
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
# wanted NAME: record NAME.pcap: every capture, or only those named on the command line.
ONLY=("$@")
wanted() { [[ ${#ONLY[@]} -eq 0 || " ${ONLY[*]} " == *" $1 "* ]]; }

# --- server ---
mariadb-install-db --no-defaults --datadir="$work/data" --user=root --auth-root-authentication-method=socket >"$work/install.log" 2>&1
openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj /CN=mcpcap-test-db \
  -keyout "$work/key.pem" -out "$work/cert.pem" >/dev/null 2>&1
mariadbd --no-defaults --datadir="$work/data" --user=root --port=$port --bind-address=127.0.0.1 \
  --socket="$work/sock" --pid-file="$work/pid" --skip-name-resolve --local-infile=1 \
  --ssl-cert="$work/cert.pem" --ssl-key="$work/key.pem" --log-error="$work/err.log" &
server_pid=$!
for _ in $(seq 1 100); do [[ -S "$work/sock" ]] && break; sleep 0.1; done
admin() { mariadb --no-defaults --socket="$work/sock" -u root "$@"; }
admin -e "CREATE DATABASE shop; CREATE USER 'app'@'%' IDENTIFIED BY 'secret';
  GRANT ALL ON *.* TO 'app'@'%';"

client() { mariadb --no-defaults -h 127.0.0.1 -P $port -u app -psecret --ssl=0 "$@"; }

# capture NAME: tcpdump of the server port into NAME next to this script, until stop_dump.
capture() { start_dump "$out_dir/$1" "tcp port $port" "$work/tcpdump.log"; }

# --- 1. a CLI session: DDL, DML with affected rows, rows, errors, USE, multi-results, infile ---
if wanted mysql_session; then
printf '1,fig,4.00\n2,lime,0.50\n' >"$work/fruit.csv"
capture mysql_session.pcap
client --force --local-infile=1 -D shop <<SQL || true
CREATE TABLE items (id INT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(40), price DECIMAL(8,2));
INSERT INTO items (name, price) VALUES ('apple', 1.20), ('pear', 0.80), ('plum', 2.50);
INSERT INTO items (name, price) VALUES ('kiwi', 3.10);
SELECT id, name, price FROM items ORDER BY id;
UPDATE items SET price = price + 1 WHERE price < 2;
DELETE FROM items WHERE name = 'plum';
SELECT * FROM missing_table;
SELEC 1;
USE shop;
DELIMITER //
SELECT COUNT(*) FROM items; SELECT name FROM items WHERE id = 1 //
DELIMITER ;
CREATE TABLE fruit (id INT, name VARCHAR(10), price DECIMAL(8,2));
LOAD DATA LOCAL INFILE '$work/fruit.csv' INTO TABLE fruit FIELDS TERMINATED BY ',';
SELECT name FROM fruit;
SQL
stop_dump
fi

# --- 2. prepared statements over the binary protocol (libmariadb) ---
if wanted mysql_prepared; then
cat >"$work/prepared.c" <<'C'
#include <mysql.h>
#include <stdio.h>
#include <string.h>
static void check(int bad, MYSQL* db, const char* what) {
  if (bad) { fprintf(stderr, "%s: %s\n", what, mysql_error(db)); }
}
int main(int argc, char** argv) {
  MYSQL* db = mysql_init(NULL);
  unsigned int port = 13306;
  my_bool off = 0;
  mysql_optionsv(db, MYSQL_OPT_SSL_ENFORCE, &off);
  if (!mysql_real_connect(db, "127.0.0.1", "app", "secret", "shop", port, NULL, 0)) {
    fprintf(stderr, "connect: %s\n", mysql_error(db));
    return 1;
  }
  check(mysql_query(db, "CREATE TABLE IF NOT EXISTS stock (id INT, qty INT)"), db, "create");
  MYSQL_STMT* ins = mysql_stmt_init(db);
  const char* ins_sql = "INSERT INTO stock (id, qty) VALUES (?, ?)";
  check(mysql_stmt_prepare(ins, ins_sql, strlen(ins_sql)), db, "prepare insert");
  for (int i = 1; i <= 3; ++i) {
    int id = i, qty = i * 10;
    MYSQL_BIND b[2];
    memset(b, 0, sizeof b);
    b[0].buffer_type = MYSQL_TYPE_LONG; b[0].buffer = &id;
    b[1].buffer_type = MYSQL_TYPE_LONG; b[1].buffer = &qty;
    mysql_stmt_bind_param(ins, b);
    check(mysql_stmt_execute(ins), db, "execute insert");
  }
  mysql_stmt_close(ins);
  MYSQL_STMT* sel = mysql_stmt_init(db);
  const char* sel_sql = "SELECT id, qty FROM stock WHERE qty > ? ORDER BY id";
  check(mysql_stmt_prepare(sel, sel_sql, strlen(sel_sql)), db, "prepare select");
  int min = 15;
  MYSQL_BIND p[1];
  memset(p, 0, sizeof p);
  p[0].buffer_type = MYSQL_TYPE_LONG; p[0].buffer = &min;
  mysql_stmt_bind_param(sel, p);
  check(mysql_stmt_execute(sel), db, "execute select");
  int id = 0, qty = 0;
  MYSQL_BIND r[2];
  memset(r, 0, sizeof r);
  r[0].buffer_type = MYSQL_TYPE_LONG; r[0].buffer = &id;
  r[1].buffer_type = MYSQL_TYPE_LONG; r[1].buffer = &qty;
  mysql_stmt_bind_result(sel, r);
  mysql_stmt_store_result(sel);
  while (mysql_stmt_fetch(sel) == 0) printf("%d %d\n", id, qty);
  mysql_stmt_close(sel);
  MYSQL_STMT* bad = mysql_stmt_init(db);
  const char* bad_sql = "SELECT nope FROM stock";
  check(mysql_stmt_prepare(bad, bad_sql, strlen(bad_sql)), db, "prepare bad (expected)");
  mysql_stmt_close(bad);
  check(mysql_ping(db), db, "ping");
  mysql_close(db);
  return 0;
}
C
gcc -o "$work/prepared" "$work/prepared.c" $(mariadb_config --cflags --libs)
capture mysql_prepared.pcap
"$work/prepared"
stop_dump
fi

# --- 3. clear-text password plugin, then a failed login ---
if wanted mysql_cleartext; then
capture mysql_cleartext.pcap
client --default-auth=mysql_clear_password -D shop -e "SELECT 1" || true
mariadb --no-defaults -h 127.0.0.1 -P $port -u app -pwrong --ssl=0 -e "SELECT 1" || true
stop_dump
fi

# --- 4. TLS: the client asks for SSL in its handshake response ---
if wanted mysql_tls; then
capture mysql_tls.pcap
mariadb --no-defaults -h 127.0.0.1 -P $port -u app -psecret --ssl --ssl-verify-server-cert=0 \
  -e "SELECT 1" || true
stop_dump
fi

# --- 5. USE as the server reads it: behind comments, in multi-statements, quoted, refused ---
# COM_QUERY texts sent as they are (the CLI would strip comments and send a plain USE as
# COM_INIT_DB), one connection without a database at login, multi-statements on.
if wanted mysql_use; then
admin -e "CREATE DATABASE IF NOT EXISTS stock;
  CREATE TABLE IF NOT EXISTS shop.items (id INT); INSERT INTO shop.items VALUES (1), (2);
  CREATE TABLE IF NOT EXISTS stock.items (id INT); INSERT INTO stock.items VALUES (3);"
cat >"$work/use.c" <<'C'
#include <mysql.h>
#include <stdio.h>
static void run(MYSQL* db, const char* sql) {
  if (mysql_query(db, sql)) { fprintf(stderr, "%s: %s\n", sql, mysql_error(db)); return; }
  do {
    MYSQL_RES* res = mysql_store_result(db);
    if (res) mysql_free_result(res);
  } while (mysql_next_result(db) == 0);
}
int main(void) {
  MYSQL* db = mysql_init(NULL);
  my_bool off = 0;
  mysql_optionsv(db, MYSQL_OPT_SSL_ENFORCE, &off);
  if (!mysql_real_connect(db, "127.0.0.1", "app", "secret", NULL, 13306, NULL,
                          CLIENT_MULTI_STATEMENTS)) {
    fprintf(stderr, "connect: %s\n", mysql_error(db));
    return 1;
  }
  run(db, "SELECT DATABASE()");
  run(db, "/* app=web */ USE shop");
  run(db, "SELECT COUNT(*) FROM items");
  run(db, "USE stock; SELECT 1");
  run(db, "SELECT COUNT(*) FROM items");
  run(db, "SELECT 2; USE shop");
  run(db, "SELECT COUNT(*) FROM items");
  run(db, "-- c\nUSE `stock`");
  run(db, "# c\n  use\tshop;");
  run(db, "USE `no``such`");
  run(db, "SELECT DATABASE()");
  mysql_close(db);
  return 0;
}
C
gcc -o "$work/use" "$work/use.c" $(mariadb_config --cflags --libs)
capture mysql_use.pcap
"$work/use"
stop_dump
fi

# --- 6. COM_INIT_DB: the CLI's `use` (sent as COM_INIT_DB) and --database at login ---
# mysql_init_db.pcap: connection 1 logs in without a database, runs a query, `use shop`, a
# query; connection 2 logs in with --database=stock, runs a query, `use shop`, a query.
# mysql_late.pcap: connection 1 from its first query on (editcap drops the handshake, greeting,
# login and its OK), as a capture started mid-session: nothing names the protocol there.
if wanted mysql_init_db; then
admin -e "CREATE DATABASE IF NOT EXISTS stock;
  CREATE TABLE IF NOT EXISTS shop.items (id INT); INSERT INTO shop.items VALUES (1), (2);
  CREATE TABLE IF NOT EXISTS stock.items (id INT); INSERT INTO stock.items VALUES (3);"
capture mysql_init_db.pcap
client --skip-auto-rehash <<'SQL'
SELECT COUNT(*) FROM shop.items;
use shop
SELECT COUNT(*) FROM items;
SQL
client --skip-auto-rehash --database=stock <<'SQL'
SELECT COUNT(*) FROM items;
use shop
SELECT COUNT(*) FROM items;
SQL
stop_dump
# The first COM_QUERY of the first connection: everything before it is dropped.
first=$(tshark -n -r "$out_dir/mysql_init_db.pcap" -d tcp.port==$port,mysql -Y 'mysql.command == 3' -T fields \
  -e frame.number | head -1)
last=$(tshark -n -r "$out_dir/mysql_init_db.pcap" -Y 'tcp.stream == 0' -T fields \
  -e frame.number | tail -1)
editcap -r "$out_dir/mysql_init_db.pcap" "$out_dir/mysql_late.pcap" "$first-$last"
fi

ls -l "$out_dir"/mysql_*.pcap

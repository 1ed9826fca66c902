#!/bin/bash
# Re-creates the detect_*.pcap captures: real Debian 12 servers on odd ports (so that only their
# content can name them) and their real clients, recorded on loopback with tcpdump.
#   redis-server 6380, PostgreSQL 15 on 15432, python3 -m http.server 8081, OpenSSH sshd 2222,
#   dnsmasq 5300 (UDP and TCP), aiosmtpd 2525 (with AUTH), pyftpdlib 2121, Dovecot POP3 1110 and
#   IMAP 1143.
# Needs (apt): redis-server postgresql openssh-server openssh-client dnsmasq dnsutils curl
#   python3-aiosmtpd python3-pyftpdlib dovecot-imapd dovecot-pop3d tcpdump.
# Every server runs from a temp dir and is stopped by its pid. Run as root.
set -euo pipefail
OUT=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
# shellcheck source=record_lib.sh
source "$OUT/record_lib.sh"
start_work record_detect

# ---- Redis on 6380 ----
redis-server --port 6380 --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" \
  >/dev/null &
PIDS+=($!)
wait_port 6380
redis_talk() {
  redis-cli -p 6380 PING
  redis-cli -p 6380 SET greeting hello
  redis-cli -p 6380 GET greeting
}
record detect_redis_6380 'tcp port 6380' redis_talk

# ---- PostgreSQL on 15432 ----
mkdir -p "$WORK/pg"
chown postgres "$WORK/pg"
PGBIN=/usr/lib/postgresql/15/bin
runuser -u postgres -- "$PGBIN/initdb" -D "$WORK/pg/data" -A trust -U postgres >/dev/null
runuser -u postgres -- "$PGBIN/postgres" -D "$WORK/pg/data" -p 15432 -k "$WORK/pg" \
  -c listen_addresses=127.0.0.1 >/dev/null 2>&1 &
PIDS+=($!)
wait_port 15432
pg_talk() { psql -h 127.0.0.1 -p 15432 -U postgres -c 'SELECT 1 AS one' postgres; }
record detect_postgresql_15432 'tcp port 15432' pg_talk

# ---- HTTP on 8081 ----
mkdir -p "$WORK/www" && echo "hello" >"$WORK/www/index.html"
(cd "$WORK/www" && exec $PY -m http.server 8081 --bind 127.0.0.1 >/dev/null 2>&1) &
PIDS+=($!)
wait_port 8081
record detect_http_8081 'tcp port 8081' curl -s -o /dev/null http://127.0.0.1:8081/index.html

# ---- SSH on 2222 (the login fails: only the banners and key exchange matter) ----
mkdir -p "$WORK/ssh" /run/sshd
ssh-keygen -q -t ed25519 -N '' -f "$WORK/ssh/host_key"
cat >"$WORK/ssh/sshd_config" <<EOF
HostKey $WORK/ssh/host_key
ListenAddress 127.0.0.1
PidFile $WORK/ssh/sshd.pid
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
EOF
/usr/sbin/sshd -D -f "$WORK/ssh/sshd_config" -p 2222 &
PIDS+=($!)
wait_port 2222
ssh_talk() {
  ssh -p 2222 -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
    -o PasswordAuthentication=no nobody@127.0.0.1 true 2>/dev/null
}
record detect_ssh_2222 'tcp port 2222' ssh_talk

# ---- DNS on 5300 (UDP, then TCP) ----
dnsmasq --no-daemon --port=5300 --listen-address=127.0.0.1 --bind-interfaces --no-resolv \
  --no-hosts --address=/example.test/192.0.2.7 --pid-file="$WORK/dnsmasq.pid" 2>/dev/null &
PIDS+=($!)
sleep 1
dns_talk() {
  dig @127.0.0.1 -p 5300 +tries=1 +time=2 example.test A
  dig @127.0.0.1 -p 5300 +tcp +tries=1 +time=2 www.example.test A
}
record detect_dns_5300 'port 5300' dns_talk

# ---- SMTP on 2525: aiosmtpd with AUTH PLAIN/LOGIN over plain text ----
cat >"$WORK/smtpd.py" <<'EOF'
import asyncio
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

class Handler:
    async def handle_DATA(self, server, session, envelope):
        return "250 OK"

def authenticator(server, session, envelope, mechanism, auth_data):
    return AuthResult(success=True)

controller = Controller(Handler(), hostname="127.0.0.1", port=2525, authenticator=authenticator,
                        auth_require_tls=False)
controller.start()
asyncio.get_event_loop().run_forever()
EOF
$PY "$WORK/smtpd.py" >/dev/null 2>&1 &
PIDS+=($!)
wait_port 2525
printf 'Subject: hello\r\n\r\nEHLO inside the body is not a command\r\n' >"$WORK/mail.txt"
smtp_talk() {
  curl -s --url smtp://127.0.0.1:2525 --mail-from alice@example.org \
    --mail-rcpt bob@example.org --user 'alice:w0nderland' --upload-file "$WORK/mail.txt"
}
record detect_smtp_2525 'tcp port 2525' smtp_talk

# ---- FTP on 2121: pyftpdlib with one user ----
mkdir -p "$WORK/ftp" && echo "file" >"$WORK/ftp/readme.txt"
cat >"$WORK/ftpd.py" <<EOF
from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler
from pyftpdlib.servers import FTPServer
a = DummyAuthorizer()
a.add_user("alice", "s3cr3tpw", "$WORK/ftp", perm="elr")
h = FTPHandler
h.authorizer = a
h.passive_ports = range(40400, 40410)
FTPServer(("127.0.0.1", 2121), h).serve_forever()
EOF
$PY "$WORK/ftpd.py" >/dev/null 2>&1 &
PIDS+=($!)
wait_port 2121
record detect_ftp_2121 'tcp port 2121 or tcp portrange 40400-40409' \
  curl -s -o /dev/null ftp://alice:s3cr3tpw@127.0.0.1:2121/readme.txt

# ---- POP3 on 1110 and IMAP on 1143: Dovecot with a passwd-file ----
mkdir -p "$WORK/dovecot/run" "$WORK/dovecot/home/carol/Maildir/new"
printf 'Subject: x\n\nhi\n' >"$WORK/dovecot/home/carol/Maildir/new/1.host"
chown -R nobody:nogroup "$WORK/dovecot/home"
echo 'carol:{PLAIN}p0p3secret' >"$WORK/dovecot/passwd"
cat >"$WORK/dovecot/dovecot.conf" <<EOF
base_dir = $WORK/dovecot/run
state_dir = $WORK/dovecot/run
protocols = imap pop3
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
log_path = $WORK/dovecot/log
mail_location = maildir:~/Maildir
passdb {
  driver = passwd-file
  args = $WORK/dovecot/passwd
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=$WORK/dovecot/home/%u
}
service imap-login {
  inet_listener imap {
    port = 1143
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3-login {
  inet_listener pop3 {
    port = 1110
  }
  inet_listener pop3s {
    port = 0
  }
}
EOF
dovecot -F -c "$WORK/dovecot/dovecot.conf" &
PIDS+=($!)
wait_port 1110
wait_port 1143
record detect_pop3_1110 'tcp port 1110' curl -s -o /dev/null pop3://carol:p0p3secret@127.0.0.1:1110/1
record detect_imap_1143 'tcp port 1143' \
  curl -s -o /dev/null 'imap://carol:p0p3secret@127.0.0.1:1143/INBOX;UID=1'

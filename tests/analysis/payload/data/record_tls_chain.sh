#!/bin/bash
# Re-creates tls_chain.pcap: four openssl s_server processes on loopback, each presenting its own
# certificate chain (made here with openssl req/ca, TLS 1.2 so the certificates are in clear), and
# openssl s_client connecting to each (SNI = the server's name):
#   127.0.0.1:8450  self-signed leaf CN=selfsigned.test, alone; two sessions (one server)
#   127.0.0.1:8451  leaf CN=chain.test <- intermediate CN=mcpcap Test Intermediate <- root
#                   CN=mcpcap Test Root (self-signed), the server sends all three
#   127.0.0.1:8452  leaf CN=oldca.test <- intermediate CN=mcpcap Expired Intermediate (valid
#                   2020-01-01..2021-01-01) <- root, all three sent
#   127.0.0.1:8453  leaf CN=expired.test (valid 2020-01-01..2021-01-01) <- root, both sent
# Needs (apt): openssl tcpdump. Servers run from a temp dir and are stopped by their pid. Root.
set -euo pipefail
OUT=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=record_lib.sh
source "$OUT/record_lib.sh"
start_work record_tls_chain
cd "$WORK"

cat >ca.cnf <<'CNF'
[ca]
default_ca = here
[here]
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = any
copy_extensions = none
unique_subject = no
[any]
commonName = supplied
[ca_ext]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
[leaf_ext]
basicConstraints = CA:false
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
CNF
touch index.txt
echo 1000 >serial
# sign CSR_NAME ISSUER START END EXT: NAME.pem from NAME.csr, signed by ISSUER.pem/ISSUER.key.
sign() {
  openssl ca -batch -config ca.cnf -notext -in "$1.csr" -out "$1.pem" -cert "$2.pem" \
    -keyfile "$2.key" -startdate "$3" -enddate "$4" -extensions "$5" >/dev/null 2>&1
}
csr() { openssl req -new -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "$2" 2>/dev/null; }

openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -keyout root.key -out root.pem \
  -subj "/CN=mcpcap Test Root" -addext basicConstraints=critical,CA:true \
  -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
csr inter "/CN=mcpcap Test Intermediate"
sign inter root 20240101000000Z 20340101000000Z ca_ext
csr oldinter "/CN=mcpcap Expired Intermediate"
sign oldinter root 20200101000000Z 20210101000000Z ca_ext
csr chain "/CN=chain.test"
sign chain inter 20240101000000Z 20340101000000Z leaf_ext
csr oldca "/CN=oldca.test"
sign oldca oldinter 20200601000000Z 20340101000000Z leaf_ext
csr expired "/CN=expired.test"
sign expired root 20200101000000Z 20210101000000Z leaf_ext
openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -keyout self.key -out self.pem \
  -subj "/CN=selfsigned.test" 2>/dev/null
cat inter.pem root.pem >chain_inter.pem
cat oldinter.pem root.pem >chain_oldinter.pem

# serve PORT CERT KEY [CHAIN]: a TLS 1.2 server answering lines reversed, for two connections.
serve() {
  local chain=()
  [[ $# -ge 4 ]] && chain=(-cert_chain "$4")
  openssl s_server -accept "127.0.0.1:$1" -cert "$2" -key "$3" "${chain[@]}" -tls1_2 -rev \
    -naccept 2 -quiet >/dev/null 2>&1 &
  PIDS+=($!)
  wait_listen "$1"
}
serve 8450 self.pem self.key
serve 8451 chain.pem chain.key chain_inter.pem
serve 8452 oldca.pem oldca.key chain_oldinter.pem
serve 8453 expired.pem expired.key root.pem
# hello PORT NAME: one connection, one line each way.
hello() {
  (echo "hello $2"; sleep 0.5) |
    timeout 10 openssl s_client -connect "127.0.0.1:$1" -servername "$2" -tls1_2 -quiet \
      -no_ign_eof >/dev/null 2>&1 || true
}
talk() {
  hello 8450 selfsigned.test
  hello 8450 selfsigned.test
  hello 8451 chain.test
  hello 8452 oldca.test
  hello 8453 expired.test
}
OUT_DIR=$OUT
OUT=$OUT_DIR record tls_chain "tcp portrange 8450-8453" talk

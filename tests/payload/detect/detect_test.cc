// DetectProtocol on the first bytes of real protocols (banners and hellos as Debian's servers
// and clients send them), on odd ports, against contradicting ports, and on bytes that must not
// match anything (random binary, random text, HTTP bodies).
#include "backend/payload/detect/detect.h"

#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace mcpcap::payload {
namespace {

Bytes B(const std::string& s) {
  return Bytes(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

std::string Hex(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s.push_back(static_cast<char>(b));
  return s;
}

Detection Detect(uint8_t ip, uint16_t client_port, uint16_t server_port, const std::string& c,
                 const std::string& s, bool final = false) {
  DetectInput in;
  in.ip_protocol = ip;
  in.client_port = client_port;
  in.server_port = server_port;
  in.client_bytes = B(c);
  in.server_bytes = B(s);
  in.final = final;
  return DetectProtocol(in);
}

Detection Tcp(uint16_t server_port, const std::string& c, const std::string& s,
              bool final = false) {
  return Detect(6, 51234, server_port, c, s, final);
}
Detection Udp(uint16_t server_port, const std::string& c, const std::string& s,
              bool final = false) {
  return Detect(17, 51234, server_port, c, s, final);
}

// ---- real first bytes ----

// MariaDB 10.11 greeting (as sent on Debian 12), 3-byte length, seq 0, protocol 10.
std::string MariaDbGreeting() {
  std::string body = Hex({10}) + "5.5.5-10.11.6-MariaDB-0+deb12u1" + Hex({0});
  body += Hex({0x1f, 0, 0, 0});                                   // thread id
  body += "abcdefgh" + Hex({0});                                  // auth data 1 + filler
  body += Hex({0xfe, 0xf7, 0x2d, 0x02, 0x00, 0xff, 0x81, 0x15});  // caps, charset, status...
  body += std::string(10, '\0') + "ijklmnopqrst" + Hex({0}) + "mysql_native_password" + Hex({0});
  return Hex({static_cast<int>(body.size()), 0, 0, 0}) + body;
}

// HandshakeResponse41 of the mariadb client: seq 1, CLIENT_PROTOCOL_41, 23 zero bytes, user.
std::string MySqlLogin() {
  std::string body = Hex({0x85, 0xa6, 0xff, 0x01}) + Hex({0, 0, 0, 1}) + Hex({0x21});
  body += std::string(23, '\0') + "root" + Hex({0}) + Hex({0});
  return Hex({static_cast<int>(body.size()), 0, 0, 1}) + body;
}

std::string PgStartup(uint32_t version = 0x00030000) {
  std::string params = std::string("user") + '\0' + "postgres" + '\0' + "database" + '\0' +
                       "postgres" + '\0' + "application_name" + '\0' + "psql" + '\0' + '\0';
  const size_t n = 8 + params.size();
  return Hex({0, 0, static_cast<int>(n >> 8), static_cast<int>(n & 0xff),
              static_cast<int>(version >> 24), static_cast<int>((version >> 16) & 0xff),
              static_cast<int>((version >> 8) & 0xff), static_cast<int>(version & 0xff)}) +
         params;
}
const std::string kPgSslRequest = Hex({0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f});
const std::string kPgGssEncRequest = Hex({0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x30});
const std::string kPgAuthSasl =
    Hex({'R', 0, 0, 0, 0x17, 0, 0, 0, 10}) + "SCRAM-SHA-256" + Hex({0, 0});
const std::string kPgAuthMd5 = Hex({'R', 0, 0, 0, 12, 0, 0, 0, 5, 1, 2, 3, 4});

const std::string kRedisPing = "*1\r\n$4\r\nPING\r\n";
const std::string kRedisSet = "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n";

// MongoDB OP_MSG hello from mongosh (requestID 7) and the server's OP_MSG answer.
std::string MongoMsg(uint32_t request_id, uint32_t response_to) {
  std::string doc = Hex({0x13, 0, 0, 0, 0x10}) + "hello" + Hex({0, 1, 0, 0, 0}) + "$db" + Hex({0});
  doc = Hex({0x1a, 0, 0, 0, 0x10}) + "hello" + Hex({0, 1, 0, 0, 0, 0x00});
  std::string body = Hex({0, 0, 0, 0}) + Hex({0}) + doc;
  const uint32_t n = 16 + static_cast<uint32_t>(body.size());
  auto le = [](uint32_t v) {
    return Hex({static_cast<int>(v & 0xff), static_cast<int>((v >> 8) & 0xff),
                static_cast<int>((v >> 16) & 0xff), static_cast<int>(v >> 24)});
  };
  return le(n) + le(request_id) + le(response_to) + le(2013) + body;
}

// A TLS 1.2 record carrying the first bytes of a ClientHello / ServerHello.
std::string TlsHello(int type) {
  std::string hello = Hex({3, 3}) + std::string(32, 'r') + Hex({0}) + Hex({0, 2, 0x13, 0x01});
  hello += Hex({1, 0, 0, 0});
  std::string hs = Hex({type, 0, 0, static_cast<int>(hello.size())}) + hello;
  return Hex({0x16, 3, 1, 0, static_cast<int>(hs.size())}) + hs;
}

std::string DnsQuery() {
  return Hex({0x12, 0x34, 0x01, 0x20, 0, 1, 0, 0, 0, 0, 0, 1}) + Hex({7}) + "example" + Hex({3}) +
         "com" + Hex({0, 0, 1, 0, 1}) + Hex({0, 0, 0x29, 0x10, 0, 0, 0, 0, 0, 0, 0});
}
std::string DnsResponse() {
  return Hex({0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0}) + Hex({7}) + "example" + Hex({3}) +
         "com" + Hex({0, 0, 1, 0, 1}) +
         Hex({0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4, 93, 184, 216, 34});
}

std::string DhcpDiscover() {
  std::string m = Hex({1, 1, 6, 0, 0x39, 0x03, 0xf3, 0x26});
  m += std::string(236 - m.size(), '\0');
  m += Hex({0x63, 0x82, 0x53, 0x63, 53, 1, 1, 255});
  return m;
}

std::string QuicInitial() {
  std::string p = Hex({0xc3, 0, 0, 0, 1, 8}) + "dcid0001" + Hex({0, 0, 0x44, 0xd0});
  p += std::string(1200 - p.size(), '\x5a');
  return p;
}

std::string NtpClient() { return Hex({0x23, 0, 6, 0x20}) + std::string(44, '\0'); }

std::string SnmpGet() {
  // v2c GetRequest, community "public".
  std::string pdu = Hex({0xa0, 0x0e, 0x02, 0x01, 0x01, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x30,
                         0x03, 0x30, 0x01, 0x00});
  std::string inner = Hex({0x02, 0x01, 0x01, 0x04, 0x06}) + "public" + pdu;
  return Hex({0x30, static_cast<int>(inner.size())}) + inner;
}

std::string Dhcpv6Solicit() {
  return Hex({1, 0xab, 0xcd, 0xef, 0, 1, 0, 10, 0, 3, 0, 1, 1, 2, 3, 4, 5, 6, 0, 8, 0, 2, 0, 0});
}

struct Case {
  const char* name;
  uint8_t ip;
  uint16_t port;
  std::string client;
  std::string server;
  Protocol want;
};

std::vector<Case> RealCases() {
  return {
      {"mysql", 6, 3306, MySqlLogin(), MariaDbGreeting(), Protocol::kMySql},
      {"mysql_odd_port", 6, 13306, "", MariaDbGreeting(), Protocol::kMySql},
      {"postgresql_15432", 6, 15432, PgStartup(), kPgAuthSasl, Protocol::kPostgreSql},
      {"postgresql_ssl", 6, 15432, kPgSslRequest, "", Protocol::kPostgreSql},
      {"postgresql_gssenc", 6, 5432, kPgGssEncRequest, "N", Protocol::kPostgreSql},
      {"postgresql_md5", 6, 15432, "", kPgAuthMd5, Protocol::kPostgreSql},
      {"redis_6380", 6, 6380, kRedisPing, "+PONG\r\n", Protocol::kRedis},
      {"redis_set", 6, 7000, kRedisSet, "+OK\r\n", Protocol::kRedis},
      {"redis_inline", 6, 6380, "PING\r\n", "", Protocol::kRedis},
      {"redis_inline_lower_case", 6, 16379, "dbsize\r\n", ":1\r\n", Protocol::kRedis},
      {"redis_inline_set", 6, 16379, "set  greeting   hello\r\n", "+OK\r\n", Protocol::kRedis},
      {"postgresql_ssl_refused", 6, 15432, kPgSslRequest + PgStartup(), "N" + kPgAuthSasl,
       Protocol::kPostgreSql},
      {"postgresql_3_2", 6, 15432, PgStartup(196610),
       Hex({'v', 0, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0}), Protocol::kPostgreSql},
      {"postgresql_2_0", 6, 15432, Hex({0, 0, 1, 0x28, 0, 2, 0, 0}) + "shop", "",
       Protocol::kPostgreSql},
      {"mongodb", 6, 27018, MongoMsg(7, 0), MongoMsg(9, 7), Protocol::kMongoDb},
      {"http_8081", 6, 8081, "GET /index.html HTTP/1.1\r\nHost: localhost:8081\r\n\r\n",
       "HTTP/1.0 200 OK\r\nServer: SimpleHTTP/0.6 Python/3.11.2\r\n", Protocol::kHttp},
      {"http_response_only", 6, 8081, "", "HTTP/1.1 404 Not Found\r\n", Protocol::kHttp},
      {"h2c_preface", 6, 8081, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "", Protocol::kHttp},
      {"tls", 6, 4433, TlsHello(1), TlsHello(2), Protocol::kTls},
      {"tls_app_data_midstream", 6, 4433, Hex({0x17, 3, 3, 0, 3, 1, 2, 3}), "", Protocol::kTls},
      {"ssh", 6, 2222, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n",
       "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n", Protocol::kSsh},
      {"ssh_199", 6, 22, "", "SSH-1.99-Cisco-1.25\r\n", Protocol::kSsh},
      {"smtp_postfix", 6, 2525, "", "220 mail.example.com ESMTP Postfix (Debian/GNU)\r\n",
       Protocol::kSmtp},
      {"smtp_exim_ehlo", 6, 25, "EHLO client.example\r\n",
       "220 host.example ESMTP Exim 4.96 Fri, 27 Nov 2026 16:00:00 +0000\r\n", Protocol::kSmtp},
      {"smtp_bare_banner_ehlo", 6, 2526, "EHLO x\r\n", "220 Welcome\r\n", Protocol::kSmtp},
      {"ftp_vsftpd", 6, 2121, "", "220 (vsFTPd 3.0.3)\r\n", Protocol::kFtp},
      {"ftp_proftpd", 6, 21, "USER anonymous\r\n",
       "220 ProFTPD Server (Debian) [::ffff:127.0.0.1]\r\n", Protocol::kFtp},
      {"ftp_pureftpd", 6, 2121, "",
       "220---------- Welcome to Pure-FTPd [privsep] [TLS] ----------\r\n220-You are user "
       "number 1 of 50 allowed.\r\n",
       Protocol::kFtp},
      {"ftp_bare_banner_user", 6, 2121, "USER bob\r\n", "220 Welcome\r\n", Protocol::kFtp},
      {"ftp_auth_tls", 6, 2121, "AUTH TLS\r\n", "220 Welcome\r\n", Protocol::kFtp},
      {"pop3_dovecot", 6, 1110, "CAPA\r\n", "+OK Dovecot (Debian) ready.\r\n", Protocol::kPop3},
      {"pop3_user", 6, 1110, "USER bob\r\n", "+OK Dovecot (Debian) ready.\r\n", Protocol::kPop3},
      {"pop3_apop", 6, 1110, "", "+OK ready <1896.697170952@dbc.mtview.ca.us>\r\n",
       Protocol::kPop3},
      {"imap_dovecot", 6, 1143, "a001 CAPABILITY\r\n",
       "* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS "
       "AUTH=PLAIN] Dovecot (Debian) ready.\r\n",
       Protocol::kImap},
      {"imap_client_only", 6, 1143, "A1 LOGIN bob secret\r\n", "", Protocol::kImap},
      {"dns_udp", 17, 5300, DnsQuery(), DnsResponse(), Protocol::kDns},
      {"dns_tcp", 6, 5300, Hex({0, static_cast<int>(DnsQuery().size())}) + DnsQuery(),
       Hex({0, static_cast<int>(DnsResponse().size())}) + DnsResponse(), Protocol::kDns},
      {"mdns", 17, 5353, DnsQuery(), "", Protocol::kMdns},
      {"dhcp", 17, 67, DhcpDiscover(), "", Protocol::kDhcp},
      {"dhcpv6", 17, 547, Dhcpv6Solicit(), "", Protocol::kDhcpv6},
      {"sip_udp", 17, 5062,
       "INVITE sip:bob@biloxi.example.com SIP/2.0\r\nVia: SIP/2.0/UDP pc33\r\n",
       "SIP/2.0 180 Ringing\r\n", Protocol::kSip},
      {"sip_tcp", 6, 5080, "REGISTER sip:registrar.example.com SIP/2.0\r\n", "", Protocol::kSip},
      {"quic_v1", 17, 8443, QuicInitial(), "", Protocol::kQuic},
      {"ntp", 17, 123, NtpClient(), "", Protocol::kNtp},
      {"snmp", 17, 1161, SnmpGet(), "", Protocol::kSnmp},
  };
}

TEST(DetectTest, RecognisesRealFirstBytesByContent) {
  for (const Case& c : RealCases()) {
    const Detection d = Detect(c.ip, 50000, c.port, c.client, c.server);
    EXPECT_TRUE(d.decided) << c.name;
    EXPECT_EQ(ProtocolName(d.protocol), ProtocolName(c.want)) << c.name;
    EXPECT_NE(d.detected_by.find("signature"), absl::string_view::npos) << c.name;
    EXPECT_GE(d.confidence, 0.6) << c.name;
  }
}

TEST(DetectTest, OddPortsAreDecidedByContentAlone) {
  Detection d = Tcp(6380, kRedisPing, "+PONG\r\n");
  EXPECT_EQ(d.protocol, Protocol::kRedis);
  EXPECT_EQ(d.detected_by, "signature");
  d = Tcp(15432, PgStartup(), kPgAuthSasl);
  EXPECT_EQ(d.protocol, Protocol::kPostgreSql);
  EXPECT_EQ(d.detected_by, "signature");
  d = Tcp(8081, "GET / HTTP/1.1\r\n", "HTTP/1.0 200 OK\r\n");
  EXPECT_EQ(d.protocol, Protocol::kHttp);
  EXPECT_EQ(d.detected_by, "signature");
}

TEST(DetectTest, ContentBeatsAContradictingWellKnownPort) {
  EXPECT_EQ(Tcp(6379, "GET / HTTP/1.1\r\n", "").protocol, Protocol::kHttp);
  EXPECT_EQ(Tcp(80, kRedisPing, "").protocol, Protocol::kRedis);
  EXPECT_EQ(Tcp(443, "", "SSH-2.0-OpenSSH_9.2p1\r\n").protocol, Protocol::kSsh);
  EXPECT_EQ(Tcp(21, "EHLO x\r\n", "220 mx ESMTP\r\n").protocol, Protocol::kSmtp);
  // Bytes that are nothing we know, on a well-known port: the port does not win.
  const std::string junk = Hex({0x00, 0x9a, 0x41, 0xfe, 0x10, 0x22, 0x7f, 0x80, 0x01, 0x02});
  const Detection d = Tcp(80, junk, junk, /*final=*/true);
  EXPECT_EQ(d.protocol, Protocol::kUnknown);
  EXPECT_EQ(d.confidence, 0);
  EXPECT_TRUE(d.detected_by.empty());
}

TEST(DetectTest, PortAndSignatureTogether) {
  const Detection d = Tcp(6379, kRedisPing, "+PONG\r\n");
  EXPECT_EQ(d.protocol, Protocol::kRedis);
  EXPECT_EQ(d.detected_by, "port+signature");
  EXPECT_GE(d.confidence, 0.95);
  // Weak content plus the port: a bare FTP-style banner on 21 with nothing else.
  const Detection ftp = Tcp(21, "", "220 Welcome\r\n", /*final=*/true);
  EXPECT_EQ(ftp.protocol, Protocol::kFtp);
  EXPECT_EQ(ftp.detected_by, "port+signature");
}

TEST(DetectTest, ConfidenceFollowsTheEvidence) {
  const Detection both = Tcp(8081, "GET / HTTP/1.1\r\n", "HTTP/1.1 200 OK\r\n");
  EXPECT_GE(both.confidence, 0.95);
  EXPECT_LE(both.confidence, 1.0);
  const Detection one = Tcp(8081, "GET / HTTP/1.1\r\n", "");
  EXPECT_GE(one.confidence, 0.8);
  EXPECT_LE(one.confidence, 0.9);
  const Detection port = Tcp(3306, "", "", /*final=*/true);
  EXPECT_EQ(port.protocol, Protocol::kMySql);
  EXPECT_EQ(port.detected_by, "port");
  EXPECT_DOUBLE_EQ(port.confidence, 0.5);
  const Detection reused = Tcp(8080, "", "", /*final=*/true);
  EXPECT_EQ(reused.protocol, Protocol::kHttp);
  EXPECT_DOUBLE_EQ(reused.confidence, 0.3);
  const Detection none = Tcp(40000, "", "", /*final=*/true);
  EXPECT_EQ(none.protocol, Protocol::kUnknown);
  EXPECT_TRUE(none.decided);
  EXPECT_EQ(none.confidence, 0);
}

TEST(DetectTest, WaitsWhileMoreBytesCouldDecide) {
  // Three bytes of a request line.
  Detection d = Tcp(8081, "GET", "");
  EXPECT_FALSE(d.decided);
  d = Tcp(8081, "GET", "", /*final=*/true);
  EXPECT_TRUE(d.decided);
  // A server-speaks-first port before the server said anything.
  EXPECT_FALSE(Tcp(21, "", "").decided);
  d = Tcp(21, "", "", /*final=*/true);
  EXPECT_EQ(d.protocol, Protocol::kFtp);
  EXPECT_EQ(d.detected_by, "port");
  // A bare 220 banner could be SMTP or FTP until the client speaks.
  EXPECT_FALSE(Tcp(2121, "", "220 Welcome\r\n").decided);
  EXPECT_EQ(Tcp(2121, "USER x\r\n", "220 Welcome\r\n").protocol, Protocol::kFtp);
  // A partial banner line, a partial TLS record header, a partial RESP array.
  EXPECT_FALSE(Tcp(40000, "", "SSH-2.").decided);
  EXPECT_FALSE(Tcp(40000, Hex({0x16, 0x03}), "").decided);
  EXPECT_FALSE(Tcp(40000, "*1\r\n$4\r\nPI", "").decided);
  EXPECT_EQ(Tcp(40000, "*1\r\n$4\r\nPING\r\n", "").protocol, Protocol::kRedis);
  // Client junk with the server silent: a server-first protocol may still show itself.
  EXPECT_FALSE(Tcp(40000, "hello there\r\n", "").decided);
  EXPECT_EQ(Tcp(40000, "hello there\r\n", "", true).protocol, Protocol::kUnknown);
}

TEST(DetectTest, TellsTheMailAndFileBannersApart) {
  EXPECT_EQ(Tcp(9000, "", "220 mx.example.org ESMTP ready\r\n").protocol, Protocol::kSmtp);
  EXPECT_EQ(Tcp(9000, "", "220 (vsFTPd 3.0.3)\r\n").protocol, Protocol::kFtp);
  EXPECT_EQ(Tcp(9000, "", "+OK POP3 server ready\r\n").protocol, Protocol::kPop3);
  EXPECT_EQ(Tcp(9000, "", "* OK IMAP4rev1 ready\r\n").protocol, Protocol::kImap);
  EXPECT_EQ(Tcp(9000, "EHLO me\r\n", "220 ready\r\n").protocol, Protocol::kSmtp);
  EXPECT_EQ(Tcp(9000, "FEAT\r\n", "220 ready\r\n").protocol, Protocol::kFtp);
  EXPECT_EQ(Tcp(9000, "USER me\r\n", "+OK ready\r\n").protocol, Protocol::kPop3);
  EXPECT_EQ(Tcp(9000, "USER me\r\n", "220 ready\r\n").protocol, Protocol::kFtp);
  // Redis's +OK has no text; a RESP client decides.
  EXPECT_EQ(Tcp(9000, kRedisSet, "+OK\r\n").protocol, Protocol::kRedis);
  // The SMTP banner with an FTP client command: the banner is SMTP's own, the command is not.
  EXPECT_NE(Tcp(9000, "", "220 (vsFTPd 3.0.3)\r\n").protocol, Protocol::kSmtp);
  EXPECT_NE(Tcp(9000, "", "220 mx ESMTP Postfix\r\n").protocol, Protocol::kFtp);
}

TEST(DetectTest, MongoReplyMustAnswerTheRequest) {
  const Detection ok = Tcp(27018, MongoMsg(7, 0), MongoMsg(9, 7));
  EXPECT_EQ(ok.protocol, Protocol::kMongoDb);
  EXPECT_GE(ok.confidence, 0.95);
  const Detection mismatch = Tcp(27018, MongoMsg(7, 0), MongoMsg(9, 8));
  EXPECT_EQ(mismatch.protocol, Protocol::kMongoDb);
  EXPECT_LT(mismatch.confidence, 0.95);
}

TEST(DetectTest, QuicVersionsAndShortHeaders) {
  std::string v2 = QuicInitial();
  v2[1] = 0x6b, v2[2] = 0x33, v2[3] = 0x43, v2[4] = static_cast<char>(0xcf);
  EXPECT_EQ(Udp(4433, v2, "").protocol, Protocol::kQuic);
  std::string draft = QuicInitial();
  draft[1] = static_cast<char>(0xff), draft[4] = 29;
  EXPECT_EQ(Udp(4433, draft, "").protocol, Protocol::kQuic);
  std::string unknown_version = QuicInitial();
  unknown_version[4] = 9;
  EXPECT_NE(Udp(4433, unknown_version, "", true).protocol, Protocol::kQuic);
  // Short-header packets alone: only on the QUIC port.
  const std::string short_header = Hex({0x41}) + std::string(40, '\x33');
  const Detection on_443 = Udp(443, short_header, short_header, true);
  EXPECT_EQ(on_443.protocol, Protocol::kQuic);
  EXPECT_EQ(on_443.detected_by, "port+signature");
  EXPECT_EQ(Udp(4433, short_header, short_header, true).protocol, Protocol::kUnknown);
  // Google QUIC Q025 (public flags 0x0d, 8-byte connection id, version), from a 2014 capture.
  const std::string gquic = Hex({0x0d, 0x48, 0x4a, 0x3d, 0x55, 0xc4, 0x39, 0xcd, 0x13}) + "Q025" +
                            Hex({0x01, 0x0b, 0xf5, 0x37}) + std::string(40, '\x01');
  EXPECT_EQ(Udp(4433, gquic, "").protocol, Protocol::kQuic);
}

TEST(DetectTest, UdpProtocolsNeedTheirStructure) {
  // NTP content on another port is too weak alone; on 123 it decides.
  EXPECT_EQ(Udp(123, NtpClient(), "").detected_by, "port+signature");
  EXPECT_NE(Udp(4123, NtpClient(), "", true).protocol, Protocol::kNtp);
  // DHCPv6 needs its ports.
  EXPECT_EQ(Udp(4547, Dhcpv6Solicit(), "", true).protocol, Protocol::kUnknown);
  // A DNS header whose question does not parse.
  std::string bad_dns = DnsQuery();
  bad_dns[12] = 70;  // label longer than 63
  EXPECT_NE(Udp(5300, bad_dns, "", true).protocol, Protocol::kDns);
  // DHCP without the magic cookie.
  std::string no_cookie = DhcpDiscover();
  no_cookie[236] = 0;
  EXPECT_NE(Udp(40067, no_cookie, "", true).protocol, Protocol::kDhcp);
}

TEST(DetectTest, RandomBytesMatchNothing) {
  std::mt19937 rng(20261127);
  int matched = 0;
  for (int trial = 0; trial < 20000; ++trial) {
    const size_t n = std::uniform_int_distribution<size_t>(1, 600)(rng);
    std::string c(n, '\0'), s(n / 2 + 1, '\0');
    for (char& x : c) x = static_cast<char>(rng());
    for (char& x : s) x = static_cast<char>(rng());
    const uint8_t ip = trial % 2 ? 6 : 17;
    const Detection d = Detect(ip, 40001, 40002, c, s, /*final=*/true);
    if (d.protocol != Protocol::kUnknown) {
      ++matched;
      ADD_FAILURE() << "random bytes matched " << ProtocolName(d.protocol) << " trial " << trial;
    }
  }
  EXPECT_EQ(matched, 0);
}

TEST(DetectTest, RandomTextAndHttpBodiesMatchNothing) {
  const std::vector<std::string> texts = {
      "<!DOCTYPE html>\n<html><head><title>Directory listing for /</title></head>\n",
      "{\"id\": 1, \"name\": \"x\", \"items\": [1, 2, 3]}\r\n",
      "hello world\r\nthis is a line of text\r\n",
      "Lorem ipsum dolor sit amet, consectetur adipiscing elit\r\n",
      "220\r\n",  // a number, not a banner
      "OK\r\n",
      "+OKAY\r\n",
      "GET / HTTP/2\r\n",
      "get / http/1.1\r\n",
      "SSH-3.0-x\r\n",
      "* 1 EXISTS\r\n",
      "user bob secret\r\n",
      "1234567890\r\n",
  };
  std::mt19937 rng(7);
  const char* words[] = {"the",      "GET",  "POST", "OK",   "220", "+OK",  "*",    "$5",  "SIP",
                         "HTTP/1.1", "USER", "a1",   "\r\n", " ",   "sip:", "EHLO", "FTP", "SSH"};
  std::vector<std::string> all = texts;
  for (int i = 0; i < 5000; ++i) {
    std::string t;
    const int n = std::uniform_int_distribution<int>(1, 12)(rng);
    for (int w = 0; w < n; ++w) t += words[rng() % (sizeof(words) / sizeof(words[0]))];
    all.push_back(t);
  }
  int matched = 0;
  std::string examples;
  for (const std::string& t : all) {
    for (uint8_t ip : {6, 17}) {
      // The text as either side, with the other side a generic text.
      const Detection a = Detect(ip, 40001, 40002, t, "zz top\r\n", true);
      const Detection b = Detect(ip, 40001, 40002, "zz top\r\n", t, true);
      for (const Detection& d : {a, b}) {
        if (d.protocol != Protocol::kUnknown && d.confidence >= 0.6) {
          ++matched;
          if (examples.size() < 400) {
            examples += std::string(ProtocolName(d.protocol)) + " from: " + t + "\n";
          }
        }
      }
    }
  }
  // Random word salad may form a real request line ("GET sip: HTTP/1.1" ...): allow a few.
  EXPECT_LT(matched, static_cast<int>(all.size() / 100)) << matched << "\n" << examples;
}

TEST(DetectTest, ProtocolForPort) {
  EXPECT_EQ(ProtocolForPort(6, 3306), Protocol::kMySql);
  EXPECT_EQ(ProtocolForPort(6, 5432), Protocol::kPostgreSql);
  EXPECT_EQ(ProtocolForPort(6, 6379), Protocol::kRedis);
  EXPECT_EQ(ProtocolForPort(6, 27017), Protocol::kMongoDb);
  EXPECT_EQ(ProtocolForPort(6, 443), Protocol::kTls);
  EXPECT_EQ(ProtocolForPort(17, 443), Protocol::kQuic);
  EXPECT_EQ(ProtocolForPort(17, 53), Protocol::kDns);
  EXPECT_EQ(ProtocolForPort(6, 53), Protocol::kDns);
  EXPECT_EQ(ProtocolForPort(17, 5353), Protocol::kMdns);
  EXPECT_EQ(ProtocolForPort(17, 67), Protocol::kDhcp);
  EXPECT_EQ(ProtocolForPort(17, 547), Protocol::kDhcpv6);
  EXPECT_EQ(ProtocolForPort(17, 123), Protocol::kNtp);
  EXPECT_EQ(ProtocolForPort(17, 161), Protocol::kSnmp);
  EXPECT_EQ(ProtocolForPort(6, 22), Protocol::kSsh);
  EXPECT_FALSE(ProtocolForPort(6, 6380).has_value());
  EXPECT_FALSE(ProtocolForPort(17, 3306).has_value());
}

TEST(DetectTest, EveryPrefixOfARealFirstMessageIsNeverWrong) {
  // Fed a growing prefix, the detector may wait, but once it decides it names the protocol.
  for (const Case& c : RealCases()) {
    if (c.ip != 6) continue;
    const std::string& bytes = c.client.empty() ? c.server : c.client;
    for (size_t n = 1; n <= bytes.size(); ++n) {
      const std::string prefix = bytes.substr(0, n);
      const Detection d = c.client.empty() ? Detect(6, 50000, c.port, "", prefix)
                                           : Detect(6, 50000, c.port, prefix, "");
      if (d.decided && d.protocol != Protocol::kUnknown) {
        EXPECT_EQ(ProtocolName(d.protocol), ProtocolName(c.want)) << c.name << " at " << n;
      }
    }
  }
}

TEST(DetectTest, Throughput) {
  std::vector<Case> cases = RealCases();
  std::mt19937 rng(3);
  for (int i = 0; i < 8; ++i) {
    std::string junk(512, '\0');
    for (char& x : junk) x = static_cast<char>(rng());
    cases.push_back({"junk", 6, 40000, junk, junk, Protocol::kUnknown});
  }
  size_t bytes = 0;
  for (const Case& c : cases) bytes += c.client.size() + c.server.size();
  const int rounds = 2000;
  const auto start = std::chrono::steady_clock::now();
  size_t known = 0;
  for (int r = 0; r < rounds; ++r) {
    for (const Case& c : cases) {
      known += Detect(c.ip, 50000, c.port, c.client, c.server, true).protocol != Protocol::kUnknown;
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double flows = static_cast<double>(rounds) * cases.size();
  std::printf("detect throughput: %.0f flows/s, %.1f MB/s of first bytes (%zu recognised)\n",
              flows / seconds, rounds * static_cast<double>(bytes) / seconds / 1e6, known);
  EXPECT_GT(known, 0u);
}

}  // namespace
}  // namespace mcpcap::payload

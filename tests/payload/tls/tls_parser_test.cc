// The TLS parser through the real StreamFeeder, every split mode: records and handshake messages
// (several per record, one over several records, byte by byte), TLS 1.2 and 1.3 sessions, the
// SSLv2-compatible ClientHello, alerts, certificates (a real openssl-made DER), oversized and
// hostile lengths, gaps.
#include "backend/payload/tls/tls_parser.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "backend/payload/common/stream_feeder.h"
#include "backend/payload/tls/tls_names.h"
#include "backend/payload/tls/x509_summary.h"
#include "gtest/gtest.h"
#include "tests/payload/parser_harness.h"

namespace mcpcap::payload {
namespace {

using testing::Chunk;
using testing::Feed;
using testing::FieldOf;
using testing::kAllSplitModes;
using testing::MessageLines;
using testing::Recorded;
using testing::SplitMode;

constexpr Side kC = Side::kClient;
constexpr Side kS = Side::kServer;

// openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -days 30 -set_serial 7
//   -subj "/C=DE/O=mcpcap tests/CN=unit.mcpcap.test"  (DER)
const uint8_t kCertificateDer[] = {
    0x30, 0x82, 0x01, 0xc0, 0x30, 0x82, 0x01, 0x66, 0xa0, 0x03, 0x02, 0x01, 0x02, 0x02, 0x01, 0x07,
    0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02, 0x30, 0x3f, 0x31, 0x0b,
    0x30, 0x09, 0x06, 0x03, 0x55, 0x04, 0x06, 0x13, 0x02, 0x44, 0x45, 0x31, 0x15, 0x30, 0x13, 0x06,
    0x03, 0x55, 0x04, 0x0a, 0x0c, 0x0c, 0x6d, 0x63, 0x70, 0x63, 0x61, 0x70, 0x20, 0x74, 0x65, 0x73,
    0x74, 0x73, 0x31, 0x19, 0x30, 0x17, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x10, 0x75, 0x6e, 0x69,
    0x74, 0x2e, 0x6d, 0x63, 0x70, 0x63, 0x61, 0x70, 0x2e, 0x74, 0x65, 0x73, 0x74, 0x30, 0x1e, 0x17,
    0x0d, 0x32, 0x36, 0x31, 0x31, 0x32, 0x37, 0x31, 0x36, 0x35, 0x30, 0x33, 0x31, 0x5a, 0x17, 0x0d,
    0x32, 0x36, 0x31, 0x32, 0x32, 0x37, 0x31, 0x36, 0x35, 0x30, 0x33, 0x31, 0x5a, 0x30, 0x3f, 0x31,
    0x0b, 0x30, 0x09, 0x06, 0x03, 0x55, 0x04, 0x06, 0x13, 0x02, 0x44, 0x45, 0x31, 0x15, 0x30, 0x13,
    0x06, 0x03, 0x55, 0x04, 0x0a, 0x0c, 0x0c, 0x6d, 0x63, 0x70, 0x63, 0x61, 0x70, 0x20, 0x74, 0x65,
    0x73, 0x74, 0x73, 0x31, 0x19, 0x30, 0x17, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x10, 0x75, 0x6e,
    0x69, 0x74, 0x2e, 0x6d, 0x63, 0x70, 0x63, 0x61, 0x70, 0x2e, 0x74, 0x65, 0x73, 0x74, 0x30, 0x59,
    0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48,
    0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00, 0x04, 0x63, 0xa4, 0x93, 0x64, 0xe8, 0xfb, 0xd0,
    0x52, 0x10, 0x5e, 0xeb, 0x17, 0x85, 0xab, 0x3a, 0x4d, 0x5d, 0x76, 0x20, 0xda, 0x7f, 0x6f, 0xb4,
    0x24, 0xba, 0x83, 0xc3, 0xa7, 0xe6, 0x66, 0xc0, 0x4a, 0x29, 0x5c, 0xe9, 0x07, 0x25, 0xb1, 0x33,
    0xd5, 0x26, 0xcd, 0xe8, 0xc0, 0x49, 0x8f, 0x07, 0x9f, 0x11, 0xf7, 0x83, 0x1e, 0xd4, 0x50, 0x26,
    0x84, 0xc2, 0x73, 0xce, 0xc2, 0xde, 0x0e, 0x78, 0x65, 0xa3, 0x53, 0x30, 0x51, 0x30, 0x1d, 0x06,
    0x03, 0x55, 0x1d, 0x0e, 0x04, 0x16, 0x04, 0x14, 0x7a, 0x49, 0xd9, 0x7c, 0xdd, 0x20, 0xcd, 0xac,
    0x2a, 0x89, 0xa9, 0x3d, 0x71, 0x43, 0xa0, 0x56, 0x54, 0x7c, 0x4a, 0x02, 0x30, 0x1f, 0x06, 0x03,
    0x55, 0x1d, 0x23, 0x04, 0x18, 0x30, 0x16, 0x80, 0x14, 0x7a, 0x49, 0xd9, 0x7c, 0xdd, 0x20, 0xcd,
    0xac, 0x2a, 0x89, 0xa9, 0x3d, 0x71, 0x43, 0xa0, 0x56, 0x54, 0x7c, 0x4a, 0x02, 0x30, 0x0f, 0x06,
    0x03, 0x55, 0x1d, 0x13, 0x01, 0x01, 0xff, 0x04, 0x05, 0x30, 0x03, 0x01, 0x01, 0xff, 0x30, 0x0a,
    0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02, 0x03, 0x48, 0x00, 0x30, 0x45, 0x02,
    0x21, 0x00, 0xec, 0x5d, 0x92, 0x8d, 0x72, 0xd2, 0x20, 0x28, 0xc6, 0x33, 0xbc, 0xea, 0xc0, 0x8b,
    0xc4, 0x58, 0xd1, 0xb9, 0xb2, 0x89, 0xf6, 0x43, 0x5f, 0xd6, 0xc4, 0x91, 0x4e, 0x05, 0x17, 0xe2,
    0x26, 0x9d, 0x02, 0x20, 0x51, 0x45, 0x4c, 0xca, 0x92, 0x72, 0x61, 0x01, 0x60, 0xdb, 0xc8, 0xa5,
    0x5d, 0x5c, 0xd8, 0xf7, 0xb4, 0xac, 0x55, 0xe0, 0x53, 0x10, 0x2d, 0xce, 0xdd, 0x11, 0x2d, 0x06,
    0x11, 0x5c, 0xfa, 0x8e};

std::string U8(unsigned v) { return std::string(1, static_cast<char>(v)); }
std::string U16(unsigned v) { return U8(v >> 8) + U8(v & 0xff); }
std::string U24(unsigned v) { return U8(v >> 16) + U16(v & 0xffff); }
std::string V8(const std::string& s) { return U8(s.size()) + s; }
std::string V16(const std::string& s) { return U16(s.size()) + s; }
std::string V24(const std::string& s) { return U24(s.size()) + s; }

std::string Record(unsigned type, const std::string& body, unsigned version = 0x0303) {
  return U8(type) + U16(version) + V16(body);
}
std::string Handshake(unsigned type, const std::string& body) { return U8(type) + V24(body); }
std::string Extension(unsigned type, const std::string& data) { return U16(type) + V16(data); }

std::string ClientHelloBody(unsigned version, const std::vector<unsigned>& ciphers,
                            const std::string& sni, const std::vector<std::string>& alpn,
                            const std::vector<unsigned>& versions) {
  std::string suites;
  for (unsigned c : ciphers) suites += U16(c);
  std::string ext;
  if (!sni.empty()) ext += Extension(0, V16(U8(0) + V16(sni)));
  if (!alpn.empty()) {
    std::string list;
    for (const std::string& p : alpn) list += V8(p);
    ext += Extension(16, V16(list));
  }
  if (!versions.empty()) {
    std::string list;
    for (unsigned v : versions) list += U16(v);
    ext += Extension(43, V8(list));
  }
  ext += Extension(0xff01, V8(""));
  return U16(version) + std::string(32, 'r') + V8(std::string(32, 's')) + V16(suites) + V8(U8(0)) +
         V16(ext);
}

std::string ServerHelloBody(unsigned version, unsigned cipher, unsigned selected,
                            const std::string& alpn, bool retry = false) {
  std::string ext;
  if (selected != 0) ext += Extension(43, U16(selected));
  if (!alpn.empty()) ext += Extension(16, V16(V8(alpn)));
  const std::string random =
      retry ? std::string(
                  "\xcf\x21\xad\x74\xe5\x9a\x61\x11\xbe\x1d\x8c\x02\x1e\x65\xb8\x91"
                  "\xc2\xa2\x11\x16\x7a\xbb\x8c\x5e\x07\x9e\x09\xe2\xc8\xa8\x33\x9c",
                  32)
            : std::string(32, 'R');
  return U16(version) + random + V8(std::string(32, 's')) + U16(cipher) + U8(0) + V16(ext);
}

std::string CertificateDer() {
  return std::string(reinterpret_cast<const char*>(kCertificateDer), sizeof(kCertificateDer));
}

Recorded FeedAll(const std::vector<Chunk>& talk) {
  return testing::FeedEverySplit(MakeTlsParser, talk, {1u, 2u, 3u});
}

const std::string kClientHello12 =
    Handshake(1, ClientHelloBody(0x0303, {0x0a0a, 0xc02f, 0xc030, 0x009c, 0x00ff},
                                 "www.mcpcap.test", {"h2", "http/1.1"}, {}));

TEST(TlsNames, VersionsAndSuites) {
  EXPECT_EQ(TlsVersionName(0x0300), "SSL 3.0");
  EXPECT_EQ(TlsVersionName(0x0301), "TLS 1.0");
  EXPECT_EQ(TlsVersionName(0x0304), "TLS 1.3");
  EXPECT_EQ(TlsVersionName(0x7f1c), "TLS 1.3 (draft 28)");
  EXPECT_EQ(TlsVersionName(0x2a2a), "0x2a2a");
  EXPECT_EQ(TlsCipherSuiteName(0x1301), "TLS_AES_128_GCM_SHA256");
  EXPECT_EQ(TlsCipherSuiteName(0x1302), "TLS_AES_256_GCM_SHA384");
  EXPECT_EQ(TlsCipherSuiteName(0xc02f), "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
  EXPECT_EQ(TlsCipherSuiteName(0xcca9), "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
  EXPECT_EQ(TlsCipherSuiteName(0x002f), "TLS_RSA_WITH_AES_128_CBC_SHA");
  EXPECT_EQ(TlsCipherSuiteName(0x0a0a), "0x0a0a");
  EXPECT_EQ(TlsCipherSuiteName(0x1399), "0x1399");
  EXPECT_EQ(TlsAlertName(40), "handshake_failure");
  EXPECT_EQ(TlsAlertName(70), "protocol_version");
  EXPECT_TRUE(IsTlsGrease(0xfafa));
  EXPECT_FALSE(IsTlsGrease(0x0303));
}

TEST(X509Summary, OpensslCertificate) {
  Certificate cert;
  const std::string der = CertificateDer();
  ASSERT_TRUE(
      SummarizeCertificate(Bytes(reinterpret_cast<const uint8_t*>(der.data()), der.size()), &cert));
  EXPECT_EQ(cert.subject, "CN=unit.mcpcap.test,O=mcpcap tests,C=DE");
  EXPECT_EQ(cert.issuer, "CN=unit.mcpcap.test,O=mcpcap tests,C=DE");
  EXPECT_EQ(cert.not_before, "2026-11-27T16:50:31Z");
  EXPECT_EQ(cert.not_after, "2026-12-27T16:50:31Z");
  // Every truncation fails cleanly.
  for (size_t n = 0; n < der.size(); ++n) {
    Certificate partial;
    SummarizeCertificate(Bytes(reinterpret_cast<const uint8_t*>(der.data()), n), &partial);
  }
}

TEST(TlsParser, ClientHelloOverSeveralRecords) {
  // The ClientHello cut into three records, sent in one segment and in three.
  const std::string ch = kClientHello12;
  const std::string records = Record(22, ch.substr(0, 3), 0x0301) +
                              Record(22, ch.substr(3, 40), 0x0301) +
                              Record(22, ch.substr(43), 0x0301);
  for (const std::vector<Chunk>& talk :
       {std::vector<Chunk>{{kC, records}},
        std::vector<Chunk>{
            {kC, records.substr(0, 8)}, {kC, records.substr(8, 50)}, {kC, records.substr(58)}}}) {
    const Recorded r = FeedAll(talk);
    ASSERT_EQ(r.messages.size(), 1u) << absl::StrJoin(MessageLines(r), "\n");
    EXPECT_EQ(r.messages[0].type, "ClientHello");
    EXPECT_EQ(r.messages[0].start.frame, 1u);
    EXPECT_EQ(r.messages[0].length, ch.size());
    EXPECT_EQ(FieldOf(r.messages[0], "sni"), "www.mcpcap.test");
    EXPECT_EQ(FieldOf(r.messages[0], "alpn"), "h2,http/1.1");
    EXPECT_EQ(FieldOf(r.messages[0], "cipher_suites"), "5");
    EXPECT_EQ(r.facts.tls.record_version, "TLS 1.0");
    EXPECT_EQ(r.facts.tls.client_version, "TLS 1.2");
    EXPECT_EQ(r.facts.tls.sni, "www.mcpcap.test");
    EXPECT_EQ(r.facts.tls.alpn_offered, (std::vector<std::string>{"h2", "http/1.1"}));
    EXPECT_EQ(r.facts.tls.ciphers_offered,
              (std::vector<uint16_t>{0x0a0a, 0xc02f, 0xc030, 0x009c, 0x00ff}));
    EXPECT_FALSE(r.facts.encrypted);
  }
}

TEST(TlsParser, FullTls12Session) {
  const std::string server_flight =
      Record(22, Handshake(2, ServerHelloBody(0x0303, 0xc02f, 0, "h2")) +
                     Handshake(11, V24(V24(CertificateDer()))) +
                     Handshake(12, U8(3) + U16(0x001d) + V8(std::string(32, 'k')) + "sig") +
                     Handshake(14, ""));
  const Recorded r = FeedAll({
      {kC, Record(22, kClientHello12, 0x0301)},
      {kS, server_flight},
      {kC, Record(22, Handshake(16, V8(std::string(32, 'p')))) + Record(20, U8(1)) +
               Record(22, std::string(40, 'F'))},
      {kS, Record(20, U8(1)) + Record(22, std::string(40, 'f'))},
      {kC, Record(23, std::string(100, 'a')) + Record(23, std::string(50, 'b'))},
      {kS, Record(23, std::string(1000, 'c'))},
      {kS, Record(23, std::string(16384, 'd'))},
      {kC, Record(21, std::string(26, 'z'))},
  });
  const std::vector<std::string> lines = MessageLines(r);
  ASSERT_EQ(lines.size(), 13u) << absl::StrJoin(lines, "\n");
  EXPECT_EQ(r.messages[1].type, "ServerHello");
  EXPECT_EQ(r.messages[1].summary,
            "ServerHello TLS 1.2, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, ALPN h2");
  EXPECT_EQ(r.messages[2].type, "Certificate");
  EXPECT_EQ(FieldOf(r.messages[2], "subject"), "CN=unit.mcpcap.test,O=mcpcap tests,C=DE");
  EXPECT_EQ(r.messages[3].type, "ServerKeyExchange");
  EXPECT_EQ(FieldOf(r.messages[3], "named_group"), "x25519");
  EXPECT_EQ(r.messages[4].type, "ServerHelloDone");
  EXPECT_EQ(r.messages[5].type, "ClientKeyExchange");
  EXPECT_EQ(r.messages[6].type, "ChangeCipherSpec");
  EXPECT_EQ(r.messages[7].type, "Finished");
  EXPECT_EQ(r.messages[7].summary, "Finished (encrypted, 40 bytes)");
  EXPECT_EQ(r.messages[8].type, "ChangeCipherSpec");
  EXPECT_EQ(r.messages[9].type, "Finished");
  EXPECT_EQ(r.messages[10].type, "ApplicationData");
  EXPECT_EQ(r.messages[10].summary, "ApplicationData: 2 records, 150 bytes");
  EXPECT_EQ(r.messages[10].length, 160u);
  EXPECT_EQ(r.messages[11].summary, "ApplicationData: 2 records, 17384 bytes");
  EXPECT_EQ(r.messages[11].start.frame, 6u);
  EXPECT_EQ(r.messages[12].type, "Alert");
  EXPECT_EQ(r.messages[12].summary, "Alert (encrypted)");
  const TlsFacts& tls = r.facts.tls;
  EXPECT_TRUE(tls.seen);
  EXPECT_EQ(tls.version, "TLS 1.2");
  EXPECT_TRUE(tls.has_cipher);
  EXPECT_EQ(tls.cipher, 0xc02f);
  EXPECT_EQ(tls.alpn, "h2");
  ASSERT_EQ(tls.certificates.size(), 1u);
  EXPECT_EQ(tls.certificates[0].issuer, "CN=unit.mcpcap.test,O=mcpcap tests,C=DE");
  EXPECT_EQ(tls.certificates[0].not_after, "2026-12-27T16:50:31Z");
  EXPECT_TRUE(tls.handshake_complete);
  EXPECT_EQ(tls.application_data_bytes, 150u + 1000 + 16384);
  EXPECT_EQ(tls.alert, "");
  EXPECT_TRUE(r.facts.encrypted);
  EXPECT_EQ(r.facts.encryption, "tls");
}

TEST(TlsParser, Tls13SessionWithHelloRetry) {
  const std::string ch1 =
      Handshake(1, ClientHelloBody(0x0303, {0x1301, 0x1302, 0x1303}, "mcpcap.test", {"http/1.1"},
                                   {0x3a3a, 0x0304, 0x0303}));
  const Recorded r = FeedAll({
      {kC, Record(22, ch1, 0x0301)},
      {kS, Record(22, Handshake(2, ServerHelloBody(0x0303, 0x1302, 0x0304, "", true))) +
               Record(20, U8(1))},
      {kC, Record(20, U8(1)) + Record(22, ch1)},
      {kS, Record(22, Handshake(2, ServerHelloBody(0x0303, 0x1302, 0x0304, ""))) +
               Record(20, U8(1)) + Record(23, std::string(2000, 'e')) +
               Record(23, std::string(300, 'e'))},
      {kC, Record(23, std::string(53, 'f')) + Record(23, std::string(20, 'g'))},
      {kS, Record(23, std::string(500, 'h'))},
  });
  const std::vector<std::string> lines = MessageLines(r);
  ASSERT_EQ(lines.size(), 11u) << absl::StrJoin(lines, "\n");
  EXPECT_EQ(r.messages[1].type, "HelloRetryRequest");
  EXPECT_EQ(r.messages[1].summary, "HelloRetryRequest TLS 1.3, TLS_AES_256_GCM_SHA384");
  EXPECT_EQ(r.messages[4].type, "ClientHello");  // the second one, in clear
  EXPECT_EQ(r.messages[5].type, "ServerHello");
  EXPECT_EQ(r.messages[7].type, "EncryptedHandshake");
  EXPECT_EQ(r.messages[7].summary,
            "EncryptedHandshake: 2 records, 2300 bytes (TLS 1.3, not readable)");
  EXPECT_EQ(r.messages[8].type, "EncryptedHandshake");  // the client's Finished
  EXPECT_EQ(r.messages[9].type, "ApplicationData");
  EXPECT_EQ(r.messages[10].type, "ApplicationData");
  EXPECT_EQ(r.facts.tls.version, "TLS 1.3");
  EXPECT_EQ(r.facts.tls.client_version, "TLS 1.3");
  EXPECT_EQ(r.facts.tls.cipher, 0x1302);
  EXPECT_TRUE(r.facts.tls.certificates.empty());
  EXPECT_TRUE(r.facts.tls.handshake_complete);
  EXPECT_EQ(r.facts.tls.application_data_bytes, 520u);
  ASSERT_EQ(r.facts.notes.size(), 1u);
  EXPECT_EQ(r.facts.notes[0],
            "TLS 1.3: the certificates and the rest of the handshake are encrypted");
}

TEST(TlsParser, Sslv2CompatibleClientHello) {
  // msg_type 1, version 3.1, cipher specs (one SSLv2-only, two TLS), no session id, challenge 16.
  const std::string body = U8(1) + U16(0x0301) + U16(9) + U16(0) + U16(16) +
                           std::string("\x07\x00\xc0\x00\x00\x2f\x00\x00\x35", 9) +
                           std::string(16, 'c');
  const std::string hello = U16(0x8000 | body.size()) + body;
  const Recorded r = FeedAll({
      {kC, hello},
      {kS, Record(22, Handshake(2, ServerHelloBody(0x0301, 0x002f, 0, "")), 0x0301)},
  });
  ASSERT_EQ(r.messages.size(), 2u) << absl::StrJoin(MessageLines(r), "\n");
  EXPECT_EQ(FieldOf(r.messages[0], "record"), "SSLv2");
  EXPECT_EQ(r.facts.tls.record_version, "SSL 2.0");
  EXPECT_EQ(r.facts.tls.client_version, "TLS 1.0");
  EXPECT_EQ(r.facts.tls.ciphers_offered, (std::vector<uint16_t>{0x002f, 0x0035}));
  EXPECT_EQ(r.facts.tls.version, "TLS 1.0");
}

TEST(TlsParser, AlertInClear) {
  const Recorded r =
      FeedAll({{kC, Record(22, kClientHello12, 0x0301)}, {kS, Record(21, U8(2) + U8(70))}});
  ASSERT_EQ(r.messages.size(), 2u);
  EXPECT_EQ(r.messages[1].summary, "Alert fatal: protocol_version");
  EXPECT_EQ(r.facts.tls.alert, "fatal: protocol_version");
  EXPECT_FALSE(r.facts.tls.handshake_complete);
  EXPECT_FALSE(r.facts.encrypted);
}

TEST(TlsParser, OversizedHandshakeMessageIsSkippedAcrossRecords) {
  // A 70000-byte Certificate message (over the 64 KiB bound) over five records, then
  // ServerHelloDone.
  std::string message = Handshake(11, std::string(70000, 'x'));
  message += Handshake(14, "");
  std::string records;
  for (size_t at = 0; at < message.size(); at += 16384) {
    records += Record(22, message.substr(at, 16384));
  }
  const Recorded r = FeedAll({{kC, Record(22, kClientHello12)}, {kS, records}});
  ASSERT_EQ(r.messages.size(), 3u) << absl::StrJoin(MessageLines(r), "\n");
  EXPECT_EQ(r.messages[1].summary, "Certificate (70000 bytes: too large, not read)");
  EXPECT_EQ(r.messages[2].type, "ServerHelloDone");
  ASSERT_EQ(r.facts.notes.size(), 1u);
  EXPECT_EQ(r.server_stop, "");
}

TEST(TlsParser, GapInApplicationDataResyncs) {
  const Recorded r = FeedAll({
      {kC, Record(22, kClientHello12)},
      {kS, Record(22, Handshake(2, ServerHelloBody(0x0303, 0xc030, 0, ""))) + Record(20, U8(1)) +
               Record(22, std::string(40, 'f'))},
      {kS, Record(23, std::string(3000, 'a')).substr(0, 1000)},
      {kS, "", 3000},  // the rest of that record and the start of the next one
      {kS, std::string(700, 'q') + Record(23, std::string(100, 'b')) +
               Record(23, std::string(10, 'c'))},
  });
  EXPECT_EQ(r.server_stop, "");
  ASSERT_EQ(r.facts.notes.size(), 1u);
  EXPECT_EQ(r.facts.tls.application_data_bytes, 3000u + 110);
}

TEST(TlsParser, GapEndingAtARecordStart) {
  const std::string next = Record(22, kClientHello12);
  const Recorded r = FeedAll({
      {kC, Record(23, std::string(10, 'a'))},
      {kC, "", 1000},
      {kC, next.substr(0, 20)},
      {kC, next.substr(20)},
  });
  ASSERT_EQ(r.messages.size(), 2u) << absl::StrJoin(MessageLines(r), "\n");
  EXPECT_EQ(r.messages[1].type, "ClientHello");
  EXPECT_EQ(r.facts.notes.size(), 1u);
}

TEST(TlsParser, GapWithoutRecordHeaderStops) {
  const Recorded r =
      Feed(MakeTlsParser,
           {{kC, Record(22, kClientHello12)}, {kC, "", 5}, {kC, std::string(70 * 1024, '\xee')}});
  EXPECT_EQ(r.client_stop, "lost_sync_after_gap");
}

TEST(TlsParser, NotTlsAndHostileLengths) {
  for (SplitMode mode : kAllSplitModes) {
    EXPECT_EQ(Feed(MakeTlsParser, {{kC, "GET / HTTP/1.1\r\n\r\n"}}, mode).client_stop,
              "not_recognised");
    // A record longer than TLS allows.
    EXPECT_EQ(Feed(MakeTlsParser, {{kC, "\x16\x03\x01\xff\xff" + std::string(100, 'x')}}, mode)
                  .client_stop,
              "not_recognised");
  }
  // Handshake lengths that lie: the hello's inner vectors overrun the message.
  std::string bad = kClientHello12;
  bad[4 + 2 + 32] = '\x7f';  // session id length
  const Recorded r = FeedAll({{kC, Record(22, bad)}});
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_EQ(r.messages[0].summary, "ClientHello (malformed)");
  // A handshake message claiming more bytes than the records bring: pending, nothing reported.
  const Recorded pending = FeedAll({{kC, Record(22, U8(1) + U24(5000) + "abc")}});
  EXPECT_TRUE(pending.messages.empty());
  EXPECT_EQ(pending.client_stop, "");
  // Garbage certificates are reported without fields, not trusted.
  const Recorded certs = FeedAll({
      {kC, Record(22, kClientHello12)},
      {kS, Record(22, Handshake(2, ServerHelloBody(0x0303, 0x002f, 0, "")) +
                          Handshake(11, V24(V24("\x30\x82\xff\xff garbage") + V24(""))))},
  });
  ASSERT_EQ(certs.messages.size(), 3u);
  EXPECT_EQ(FieldOf(certs.messages[2], "certificates"), "2");
  EXPECT_EQ(FieldOf(certs.messages[2], "subject"), "");
}

}  // namespace
}  // namespace mcpcap::payload

namespace mcpcap::payload {
namespace {

// Printed, not asserted: MB/s through StreamFeeder in 1448-byte segments, for a bulk session
// (one handshake, then 16 KiB application data records both ways) and for handshakes alone.
TEST(TlsParserThroughput, BulkAndHandshakes) {
  auto run = [](const char* what, const std::string& client, const std::string& server) {
    testing::Recorded sink;
    const auto start = std::chrono::steady_clock::now();
    auto parser = MakeTlsParser(&sink, &sink.facts);
    StreamFeeder feeder(parser.get());
    testing::FeedAlternately(feeder, client, server, 1448);
    feeder.Finish();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double mb = (client.size() + server.size()) / 1e6;
    std::printf("tls parser, %s: %.1f MB in %.3f s = %.0f MB/s (%zu messages)\n", what, mb, seconds,
                mb / seconds, sink.messages.size());
    EXPECT_FALSE(sink.messages.empty());
  };
  std::string client = Record(22, kClientHello12, 0x0301);
  std::string server =
      Record(22, Handshake(2, ServerHelloBody(0x0303, 0xc02f, 0, "")) +
                     Handshake(11, V24(V24(CertificateDer()))) + Handshake(14, "")) +
      Record(20, U8(1)) + Record(22, std::string(40, 'f'));
  client += Record(20, U8(1)) + Record(22, std::string(40, 'F'));
  const std::string bulk = Record(23, std::string(16384, 'a'));
  for (int i = 0; i < 1000; ++i) {
    server += bulk;
    if (i % 10 == 0) client += bulk;
  }
  run("bulk", client, server);
  // Handshake records only: a ClientHello and a server flight with a certificate, repeated.
  std::string hello_client, hello_server;
  const std::string flight = Record(22, Handshake(2, ServerHelloBody(0x0303, 0xc02f, 0, "h2")) +
                                            Handshake(11, V24(V24(CertificateDer()))));
  for (int i = 0; i < 5000; ++i) {
    hello_client += Record(22, kClientHello12);
    hello_server += flight;
  }
  run("handshakes", hello_client, hello_server);
}

}  // namespace
}  // namespace mcpcap::payload

// RunPayloadScan over the HTTP and TLS captures recorded by data/record_http.sh (python
// http.server, nginx, curl, socat) and data/record_tls.sh (openssl s_server / s_client, TLS 1.0
// to 1.3 and a failed handshake): request lines, status codes, pairing, chunked and pipelined
// framing, credentials, TLS versions, SNI, ALPN, ciphers and certificates, exactly.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "backend/analysis/payload/payload_scan.h"
#include "backend/payload/tls/tls_names.h"
#include "gtest/gtest.h"

namespace mcpcap {
namespace {

using payload::AppMessage;
using payload::Credential;
using payload::Protocol;
using payload::Side;

PayloadScanResult ScanData(const std::string& name) {
  AnalysisInput input;
  input.source = input.local_path = std::string(MCPCAP_PAYLOAD_TEST_DATA) + "/" + name;
  absl::StatusOr<PayloadScanResult> result = RunPayloadScan(input, PayloadScanOptions{});
  EXPECT_TRUE(result.ok()) << name << ": " << result.status();
  return result.ok() ? std::move(*result) : PayloadScanResult{};
}

std::string Field(const AppMessage& m, const std::string& key) {
  for (const auto& [k, v] : m.fields) {
    if (k == key) return v;
  }
  return "<none>";
}

// "C GET /a.txt" / "S HTTP 200 <- GET /a.txt" per message, flows in order.
std::vector<std::string> HttpExchanges(const PayloadScanResult& r) {
  std::vector<std::string> out;
  for (const PayloadFlowResult& f : r.flows) {
    for (const AppMessage& m : f.messages) {
      out.push_back(m.from == Side::kClient
                        ? absl::StrCat("C ", m.type, " ", Field(m, "uri"))
                        : absl::StrCat("S ", m.type, " <- ", Field(m, "request")));
    }
  }
  return out;
}

std::string Dump(const PayloadScanResult& r) {
  std::string out;
  for (const PayloadFlowResult& f : r.flows) {
    absl::StrAppend(&out, f.client_port, "->", f.server_port, " ",
                    payload::ProtocolName(f.detection.protocol), " stops '", f.client_stop_reason,
                    "' '", f.server_stop_reason, "' notes: ", absl::StrJoin(f.facts.notes, " | "),
                    "\n");
    for (const AppMessage& m : f.messages) {
      absl::StrAppend(&out, "  ", m.from == Side::kClient ? "C " : "S ", m.type, " @",
                      m.start.frame, " len=", m.length, " ", m.summary, "\n");
    }
    for (const Credential& c : f.credentials) {
      absl::StrAppend(&out, "  cred ", c.kind, " user=", c.user, " ", c.evidence, "\n");
    }
  }
  return out;
}

TEST(WebCapture, PythonHttpServer) {
  const PayloadScanResult r = ScanData("http_python.pcap");
  ASSERT_EQ(r.flows.size(), 7u) << Dump(r);
  EXPECT_EQ(
      HttpExchanges(r),
      (std::vector<std::string>{
          "C GET /index.html", "S HTTP 200 <- GET /index.html", "C HEAD /a.txt",
          "S HTTP 200 <- HEAD /a.txt", "C GET /missing.html", "S HTTP 404 <- GET /missing.html",
          "C POST /login", "S HTTP 501 <- POST /login", "C GET /a.txt", "S HTTP 200 <- GET /a.txt",
          "C GET /b.txt", "S HTTP 200 <- GET /b.txt", "C GET /a.txt", "S HTTP 200 <- GET /a.txt",
          "C GET /b.txt?pwd=hunter2", "S HTTP 200 <- GET /b.txt?pwd=hunter2"}))
      << Dump(r);
  for (const PayloadFlowResult& f : r.flows) {
    EXPECT_EQ(f.server_port, 8081);
    EXPECT_EQ(f.detection.protocol, Protocol::kHttp);  // by content: 8081 is no HTTP port
    EXPECT_EQ(f.facts.server_version, "SimpleHTTP/0.6 Python/3.11.2");
    EXPECT_EQ(f.facts.client_software, "curl/7.88.1");
    EXPECT_EQ(f.client_stop_reason, "");
    EXPECT_EQ(f.server_stop_reason, "");
  }
  const AppMessage& get = r.flows[0].messages[0];
  EXPECT_EQ(get.summary, "GET /index.html HTTP/1.1 (Host: 127.0.0.1:8081)");
  EXPECT_EQ(Field(get, "host"), "127.0.0.1:8081");
  EXPECT_EQ(Field(get, "version"), "HTTP/1.1");
  const AppMessage& ok = r.flows[0].messages[1];
  EXPECT_EQ(Field(ok, "reason"), "OK");
  EXPECT_EQ(Field(ok, "content_type"), "text/html");
  EXPECT_EQ(Field(ok, "content_length"), "39");
  EXPECT_EQ(Field(r.flows[2].messages[1], "reason"), "File not found");
  EXPECT_EQ(Field(r.flows[3].messages[0], "content_type"), "application/x-www-form-urlencoded");

  // Credentials: form password, basic auth, bearer + API key, password in the query.
  ASSERT_EQ(r.flows[3].credentials.size(), 1u) << Dump(r);
  EXPECT_EQ(r.flows[3].credentials[0].kind, "password_in_request");
  EXPECT_EQ(r.flows[3].credentials[0].user, "alice");
  EXPECT_EQ(r.flows[3].credentials[0].evidence, "form body: password=s3****");
  ASSERT_EQ(r.flows[4].credentials.size(), 1u);
  EXPECT_EQ(r.flows[4].credentials[0].kind, "http_basic_auth");
  EXPECT_EQ(r.flows[4].credentials[0].user, "webuser");
  EXPECT_EQ(r.flows[4].credentials[0].evidence, "Authorization: Basic d2Vi****");
  EXPECT_EQ(r.flows[4].facts.user, "webuser");
  ASSERT_EQ(r.flows[5].credentials.size(), 2u);
  EXPECT_EQ(r.flows[5].credentials[0].kind, "bearer_token");
  EXPECT_EQ(r.flows[5].credentials[0].evidence, "Authorization: Bearer eyJh****");
  EXPECT_EQ(r.flows[5].credentials[1].kind, "api_key");
  EXPECT_EQ(r.flows[5].credentials[1].evidence, "X-API-Key: 4f3c****");
  ASSERT_EQ(r.flows[6].credentials.size(), 1u);
  EXPECT_EQ(r.flows[6].credentials[0].evidence, "URI query: pwd=****");
  for (const PayloadFlowResult& f : r.flows) {
    for (const Credential& c : f.credentials) {
      EXPECT_EQ(c.from, Side::kClient);
      EXPECT_EQ(c.evidence.find("s3cretPassw0rd"), std::string::npos);
      EXPECT_EQ(c.evidence.find("hunter2"), std::string::npos);
    }
  }
  EXPECT_TRUE(r.flows[0].credentials.empty());
}

TEST(WebCapture, NginxChunkedAndPipelined) {
  const PayloadScanResult r = ScanData("http_nginx.pcap");
  ASSERT_EQ(r.flows.size(), 3u) << Dump(r);
  EXPECT_EQ(HttpExchanges(r),
            (std::vector<std::string>{
                "C GET /big.txt", "S HTTP 200 <- GET /big.txt", "C GET /a.txt", "C HEAD /b.txt",
                "C GET /nothing-here", "S HTTP 200 <- GET /a.txt", "S HTTP 200 <- HEAD /b.txt",
                "S HTTP 404 <- GET /nothing-here", "C GET /index.html",
                "S HTTP 200 <- GET /index.html", "C GET /a.txt", "S HTTP 200 <- GET /a.txt"}))
      << Dump(r);
  const AppMessage& chunked = r.flows[0].messages[1];
  EXPECT_EQ(Field(chunked, "transfer_encoding"), "chunked");
  EXPECT_EQ(chunked.summary.find("incomplete"), std::string::npos);
  // The whole response: every byte the server sent on that connection.
  EXPECT_EQ(chunked.length, r.flows[0].payload_bytes_server_to_client);
  // The three pipelined requests came in one segment.
  EXPECT_EQ(r.flows[1].messages[0].start.frame, r.flows[1].messages[2].start.frame);
  EXPECT_EQ(r.flows[1].facts.client_software, "socat-pipeline");
  EXPECT_EQ(r.flows[0].facts.server_version.rfind("nginx/", 0), 0u);
  for (const PayloadFlowResult& f : r.flows) {
    EXPECT_EQ(f.detection.protocol, Protocol::kHttp);
    EXPECT_EQ(f.client_stop_reason, "");
    EXPECT_EQ(f.server_stop_reason, "");
    EXPECT_TRUE(f.facts.notes.empty()) << Dump(r);
  }
}

struct TlsExpectation {
  const char* file;
  const char* version;
  uint16_t cipher;
  uint64_t application_data_bytes;  // tshark: sum of tls.record.length of type 23 records
  std::vector<std::string> types;   // message types in order
};

TEST(WebCapture, OpensslSessionsPerVersion) {
  const std::vector<TlsExpectation> expected = {
      {"tls_1_0.pcap",
       "TLS 1.0",
       0xc014,
       144,
       {"ClientHello", "ServerHello", "Certificate", "ServerKeyExchange", "ServerHelloDone",
        "ClientKeyExchange", "ChangeCipherSpec", "Finished", "NewSessionTicket", "ChangeCipherSpec",
        "Finished", "ApplicationData", "ApplicationData", "Alert", "Alert"}},
      {"tls_1_1.pcap",
       "TLS 1.1",
       0xc014,
       104,
       {"ClientHello", "ServerHello", "Certificate", "ServerKeyExchange", "ServerHelloDone",
        "ClientKeyExchange", "ChangeCipherSpec", "Finished", "NewSessionTicket", "ChangeCipherSpec",
        "Finished", "ApplicationData", "ApplicationData", "Alert", "Alert"}},
      {"tls_1_2.pcap",
       "TLS 1.2",
       0xc030,
       74,
       {"ClientHello", "ServerHello", "Certificate", "ServerKeyExchange", "ServerHelloDone",
        "ClientKeyExchange", "ChangeCipherSpec", "Finished", "NewSessionTicket", "ChangeCipherSpec",
        "Finished", "ApplicationData", "ApplicationData", "Alert", "Alert"}},
  };
  for (const TlsExpectation& e : expected) {
    const PayloadScanResult r = ScanData(e.file);
    ASSERT_EQ(r.flows.size(), 1u) << e.file;
    const PayloadFlowResult& f = r.flows[0];
    std::vector<std::string> types;
    for (const AppMessage& m : f.messages) types.push_back(m.type);
    EXPECT_EQ(types, e.types) << e.file << "\n" << Dump(r);
    EXPECT_EQ(f.detection.protocol, Protocol::kTls) << e.file;
    const payload::TlsFacts& tls = f.facts.tls;
    EXPECT_TRUE(tls.seen);
    EXPECT_EQ(tls.version, e.version) << e.file;
    EXPECT_EQ(tls.client_version, e.version) << e.file;
    EXPECT_EQ(tls.sni, "mcpcap.test");
    EXPECT_EQ(tls.alpn_offered, (std::vector<std::string>{"h2", "http/1.1"}));
    EXPECT_EQ(tls.alpn, "http/1.1");
    EXPECT_EQ(tls.cipher, e.cipher) << e.file;
    ASSERT_EQ(tls.certificates.size(), 1u) << e.file;
    EXPECT_EQ(tls.certificates[0].subject, "O=mcpcap tests,CN=mcpcap.test");
    EXPECT_EQ(tls.certificates[0].issuer, "O=mcpcap tests,CN=mcpcap.test");
    EXPECT_EQ(tls.certificates[0].not_before, "2026-11-27T17:11:41Z");
    EXPECT_EQ(tls.certificates[0].not_after, "2027-11-27T17:11:41Z");
    EXPECT_TRUE(tls.handshake_complete) << e.file;
    EXPECT_EQ(tls.application_data_bytes, e.application_data_bytes) << e.file;
    EXPECT_EQ(tls.alert, "");  // the closing alerts are encrypted
    EXPECT_TRUE(f.facts.encrypted);
    EXPECT_EQ(f.facts.encryption, "tls");
    EXPECT_EQ(f.client_stop_reason, "");
    EXPECT_EQ(f.server_stop_reason, "");
  }
}

TEST(WebCapture, OpensslTls13) {
  const PayloadScanResult r = ScanData("tls_1_3.pcap");
  ASSERT_EQ(r.flows.size(), 1u);
  const PayloadFlowResult& f = r.flows[0];
  const payload::TlsFacts& tls = f.facts.tls;
  EXPECT_EQ(tls.record_version, "TLS 1.0");
  EXPECT_EQ(tls.client_version, "TLS 1.3");
  EXPECT_EQ(tls.version, "TLS 1.3");
  EXPECT_EQ(payload::TlsCipherSuiteName(tls.cipher), "TLS_AES_256_GCM_SHA384");
  EXPECT_EQ(tls.sni, "mcpcap.test");
  EXPECT_EQ(tls.alpn, "");  // in EncryptedExtensions: not visible
  EXPECT_EQ(tls.ciphers_offered, (std::vector<uint16_t>{0x1302, 0x1303, 0x1301, 0x00ff}));
  EXPECT_TRUE(tls.certificates.empty());
  EXPECT_TRUE(tls.handshake_complete);
  EXPECT_GT(tls.application_data_bytes, 0u);
  ASSERT_GE(f.messages.size(), 5u) << Dump(r);
  EXPECT_EQ(f.messages[0].type, "ClientHello");
  EXPECT_EQ(f.messages[1].type, "ServerHello");
  EXPECT_EQ(f.messages[2].type, "ChangeCipherSpec");
  EXPECT_EQ(f.messages[3].type, "EncryptedHandshake");
  ASSERT_FALSE(f.facts.notes.empty());
  EXPECT_EQ(f.facts.notes[0],
            "TLS 1.3: the certificates and the rest of the handshake are encrypted");
  EXPECT_EQ(f.client_stop_reason, "");
  EXPECT_EQ(f.server_stop_reason, "");
}

TEST(WebCapture, FailedHandshakeAlert) {
  const PayloadScanResult r = ScanData("tls_fail.pcap");
  ASSERT_EQ(r.flows.size(), 1u);
  const PayloadFlowResult& f = r.flows[0];
  ASSERT_EQ(f.messages.size(), 2u) << Dump(r);
  EXPECT_EQ(f.messages[1].type, "Alert");
  EXPECT_EQ(f.messages[1].from, Side::kServer);
  EXPECT_EQ(f.facts.tls.alert, "fatal: protocol_version");
  EXPECT_EQ(f.facts.tls.client_version, "TLS 1.3");
  EXPECT_EQ(f.facts.tls.version, "");
  EXPECT_FALSE(f.facts.tls.handshake_complete);
  EXPECT_FALSE(f.facts.encrypted);
}

}  // namespace
}  // namespace mcpcap

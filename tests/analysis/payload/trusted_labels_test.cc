// Issue 19 over real traffic: a protocol label or `encrypted` comes from what a parser recognised,
// never from the `protocol` argument; certificate findings judge the certificate a server
// presented for itself (the leaf) and report chain problems as chain findings, each server once;
// `bytes` are frame bytes as tshark's conversation tables count them. Captures:
// data/record_tls_chain.sh (tls_chain.pcap), data/record_mixed.sh (mixed_tls_http_dns.pcap),
// and zeek's public tls1.2 trace when ../shared/captures is present.
#include <filesystem>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "backend/analysis/database/database_queries.h"
#include "backend/analysis/payload/detect_protocols.h"
#include "backend/analysis/payload/payload.h"
#include "gtest/gtest.h"
#include "tests/testing/tshark.h"

namespace mcpcap {
namespace {

std::string Data(const std::string& name) {
  return std::string(MCPCAP_PAYLOAD_TEST_DATA) + "/" + name;
}

AnalysisInput InputFor(const std::string& path) {
  AnalysisInput input;
  input.source = input.local_path = path;
  input.listings.max = 100;
  return input;
}

v1::AnalyzePayloadResponse Analyze(const std::string& path, const std::string& protocol = "") {
  v1::AnalyzePayloadRequest request;
  request.set_protocol(protocol);
  absl::StatusOr<v1::AnalyzePayloadResponse> r = AnalyzePayload(InputFor(path), request);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : v1::AnalyzePayloadResponse();
}

const v1::Finding* FindingOf(const v1::AnalyzePayloadResponse& r, const std::string& indicator) {
  for (const v1::Finding& f : r.findings()) {
    if (f.indicator() == indicator) return &f;
  }
  return nullptr;
}

// The evidence lines of a finding that name `server` ("127.0.0.1:8451").
int EvidenceFor(const v1::Finding& f, const std::string& server) {
  int n = 0;
  for (const std::string& e : f.evidence()) n += absl::StrContains(e, "server " + server);
  return n;
}

// record_tls_chain.sh: 8450 self-signed leaf (two sessions), 8451 CA-issued leaf with its
// intermediate and self-signed root, 8452 leaf under an expired intermediate, 8453 expired leaf.
TEST(TrustedLabelsTest, CertificateFindingsJudgeTheLeafAndReportTheChainApart) {
  const v1::AnalyzePayloadResponse r = Analyze(Data("tls_chain.pcap"));
  ASSERT_EQ(r.flows_size(), 5);
  // The chains as sent, leaf first.
  std::map<uint32_t, int> chain_length;
  for (const v1::PayloadFlow& f : r.flows())
    chain_length[f.server().port()] = f.tls().certificates_size();
  EXPECT_EQ(chain_length[8450], 1);
  EXPECT_EQ(chain_length[8451], 3);
  EXPECT_EQ(chain_length[8452], 3);
  EXPECT_EQ(chain_length[8453], 2);

  // Self-signed: only the server whose own certificate is; once, though seen in two sessions.
  const v1::Finding* self_signed = FindingOf(r, "self_signed_certificate");
  ASSERT_NE(self_signed, nullptr);
  EXPECT_TRUE(absl::StartsWith(self_signed->description(), "1 server(s)"))
      << self_signed->description();
  ASSERT_EQ(self_signed->evidence_size(), 1);
  EXPECT_EQ(EvidenceFor(*self_signed, "127.0.0.1:8450"), 1);
  EXPECT_TRUE(absl::StrContains(self_signed->evidence(0), "CN=selfsigned.test"));
  // The roots in the chains of 8451, 8452 and 8453 are chain findings, of severity info.
  const v1::Finding* root = FindingOf(r, "self_signed_root_in_chain");
  ASSERT_NE(root, nullptr);
  EXPECT_EQ(root->severity(), v1::SEVERITY_INFO);
  EXPECT_TRUE(absl::StartsWith(root->description(), "3 server(s)")) << root->description();
  for (const char* server : {"127.0.0.1:8451", "127.0.0.1:8452", "127.0.0.1:8453"}) {
    EXPECT_EQ(EvidenceFor(*root, server), 1) << server;
  }
  EXPECT_EQ(EvidenceFor(*root, "127.0.0.1:8450"), 0);
  EXPECT_TRUE(absl::StrContains(root->evidence(0), "CN=mcpcap Test Root"));
  // Expired: the leaf of 8453 is the server's certificate; the intermediate of 8452 is chain.
  const v1::Finding* expired = FindingOf(r, "expired_certificate");
  ASSERT_NE(expired, nullptr);
  EXPECT_TRUE(absl::StartsWith(expired->description(), "1 server(s)")) << expired->description();
  EXPECT_EQ(EvidenceFor(*expired, "127.0.0.1:8453"), 1);
  EXPECT_TRUE(absl::StrContains(expired->evidence(0), "CN=expired.test"));
  const v1::Finding* chain = FindingOf(r, "expired_chain_certificate");
  ASSERT_NE(chain, nullptr);
  ASSERT_EQ(chain->evidence_size(), 1);
  EXPECT_EQ(EvidenceFor(*chain, "127.0.0.1:8452"), 1);
  EXPECT_TRUE(absl::StrContains(chain->evidence(0), "CN=mcpcap Expired Intermediate"));
  EXPECT_TRUE(absl::StrContains(chain->evidence(0), "chain certificate 2 of 3"));
  // The example packet is the session's first.
  ASSERT_EQ(chain->examples_size(), 1);
  EXPECT_GT(chain->examples(0).packet_number(), 0u);
}

// zeek's tls1.2 trace: a CA-issued wildcard certificate whose chain ends in the self-signed
// AddTrust root. The server's certificate is not self-signed; the root is a chain finding.
TEST(TrustedLabelsTest, ZeekCaIssuedChainIsNotASelfSignedServer) {
  const std::string path = std::string(MCPCAP_SHARED_CAPTURES) + "/zeek__tls1.2.pcap";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "shared capture absent: " << path;
  const v1::AnalyzePayloadResponse r = Analyze(path);
  EXPECT_EQ(FindingOf(r, "self_signed_certificate"), nullptr);
  EXPECT_EQ(FindingOf(r, "expired_certificate"), nullptr);
  const v1::Finding* root = FindingOf(r, "self_signed_root_in_chain");
  ASSERT_NE(root, nullptr);
  EXPECT_TRUE(absl::StartsWith(root->description(), "1 server(s)"));
  EXPECT_EQ(EvidenceFor(*root, "68.233.76.12:443"), 1);
  EXPECT_TRUE(absl::StrContains(root->evidence(0), "AddTrust External CA Root"));
}

// record_mixed.sh: HTTP (two connections), DNS, TLS and a line protocol of our own.
TEST(TrustedLabelsTest, RequestedProtocolSelectsFlowsAndNeverLabelsThem) {
  const std::string path = Data("mixed_tls_http_dns.pcap");
  const v1::AnalyzePayloadResponse all = Analyze(path);
  std::map<uint32_t, std::pair<std::string, bool>> by_port;  // server port: protocol, encrypted
  for (const v1::PayloadFlow& f : all.flows()) {
    by_port[f.server().port()] = {f.protocol(), f.encrypted()};
  }
  EXPECT_EQ(all.flows_analyzed(), 5u);
  EXPECT_EQ(by_port[8080].first, "http");
  EXPECT_EQ(by_port[53].first, "dns");
  EXPECT_EQ(by_port[8443].first, "tls");
  EXPECT_EQ(by_port[9000].first, "unknown");
  EXPECT_FALSE(by_port[9000].second);
  EXPECT_EQ(all.encrypted_flows(), 1u);

  // protocol "tls": the TLS flow only, recognised by its bytes; nothing else becomes TLS.
  const v1::AnalyzePayloadResponse tls = Analyze(path, "tls");
  EXPECT_EQ(tls.flows_analyzed(), 1u);
  EXPECT_EQ(tls.encrypted_flows(), 1u);
  ASSERT_EQ(tls.flows_size(), 1);
  EXPECT_EQ(tls.flows(0).server().port(), 8443u);
  EXPECT_EQ(tls.flows(0).detected_by(), v1::DETECTION_METHOD_PORT_SIGNATURE);
  ASSERT_EQ(tls.protocols_size(), 1);
  EXPECT_EQ(tls.protocols().at("tls"), 1u);

  // protocol "mysql": the unknown line protocol was tried by the MySQL parser and rejected.
  const v1::AnalyzePayloadResponse mysql = Analyze(path, "mysql");
  EXPECT_EQ(mysql.flows_analyzed(), 0u);
  EXPECT_EQ(mysql.flows_size(), 0);
  EXPECT_EQ(mysql.encrypted_flows(), 0u);
}

// `bytes` are frame bytes as tshark counts them; IP and payload bytes have their own names.
TEST(TrustedLabelsTest, BytesAreFrameBytesAsTsharkCountsThem) {
  if (!testing::HaveTshark()) GTEST_SKIP() << "tshark not installed";
  const std::string path = Data("mixed_tls_http_dns.pcap");
  // tshark: frame length and IP length per client port (every flow has its own).
  std::map<std::string, std::pair<uint64_t, uint64_t>> tshark;
  for (const auto& row :
       testing::TsharkFields(path,
                             "-e frame.len -e ip.len -e tcp.srcport -e tcp.dstport -e udp.srcport "
                             "-e udp.dstport")) {
    ASSERT_EQ(row.size(), 6u);
    const bool tcp = !row[2].empty();
    const std::string src = tcp ? row[2] : row[4];
    const std::string dst = tcp ? row[3] : row[5];
    const std::string client = std::stoul(src) > std::stoul(dst) ? src : dst;
    tshark[client].first += std::stoull(row[0]);
    tshark[client].second += std::stoull(row[1]);
  }
  v1::DetectProtocolsRequest request;
  absl::StatusOr<v1::DetectProtocolsResponse> d = DetectProtocols(InputFor(path), request);
  ASSERT_TRUE(d.ok()) << d.status();
  ASSERT_EQ(d->flows_size(), 5);
  uint64_t frames = 0;
  for (const v1::DetectedFlow& f : d->flows()) {
    const std::string client = std::to_string(f.client().port());
    EXPECT_EQ(f.bytes(), tshark[client].first) << client;
    EXPECT_EQ(f.ip_bytes(), tshark[client].second) << client;
    frames += f.bytes();
  }
  uint64_t totals = 0;
  for (const v1::ProtocolTotals& t : d->protocols()) totals += t.bytes();
  EXPECT_EQ(totals, frames);
  const v1::AnalyzePayloadResponse a = Analyze(path);
  for (const v1::PayloadFlow& f : a.flows()) {
    const std::string client = std::to_string(f.client().port());
    EXPECT_EQ(f.bytes_client_to_server() + f.bytes_server_to_client(), tshark[client].first);
    EXPECT_LT(f.payload_bytes_client_to_server(), f.bytes_client_to_server());
    if (f.client().port() == 47240) {
      EXPECT_EQ(f.payload_bytes_client_to_server(), 78u);  // curl's GET / (tshark tcp.len)
    }
    if (f.client().port() == 47246) {
      EXPECT_EQ(f.payload_bytes_client_to_server(), 88u);  // GET /index.html
    }
  }
}

v1::ExtractDatabaseQueriesResponse Queries(const std::string& path,
                                           const std::string& protocol = "") {
  v1::ExtractDatabaseQueriesRequest request;
  request.set_protocol(protocol);
  absl::StatusOr<v1::ExtractDatabaseQueriesResponse> r =
      ExtractDatabaseQueries(InputFor(path), request);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : v1::ExtractDatabaseQueriesResponse();
}

// (command, text, database shown) of every listed query.
using Shown = std::vector<std::tuple<std::string, std::string, std::string>>;
Shown ShownQueries(const v1::ExtractDatabaseQueriesResponse& r) {
  Shown out;
  for (const v1::DatabaseQuery& q : r.queries())
    out.emplace_back(q.command(), q.query(), q.database());
  return out;
}

// record_mysql.sh section 6: the mariadb CLI's `use shop` is a COM_INIT_DB; --database=stock is
// the login's. A query shows the database the session had when it was sent: the USE applies
// from its answer on, never to the queries before it.
TEST(TrustedLabelsTest, DatabaseAppliesFromTheStatementThatSetItOn) {
  const v1::ExtractDatabaseQueriesResponse r = Queries(Data("mysql_init_db.pcap"));
  EXPECT_EQ(r.total_queries(), 8u);  // COM_QUIT is no query
  const Shown want = {
      {"COM_QUERY", "SELECT COUNT(*) FROM shop.items", ""},
      {"COM_QUERY", "SELECT DATABASE()", ""},
      {"COM_INIT_DB", "shop", ""},
      {"COM_QUERY", "SELECT COUNT(*) FROM items", "shop"},
      {"COM_QUERY", "SELECT COUNT(*) FROM items", "stock"},
      {"COM_QUERY", "SELECT DATABASE()", "stock"},
      {"COM_INIT_DB", "shop", "stock"},
      {"COM_QUERY", "SELECT COUNT(*) FROM items", "shop"},
  };
  EXPECT_EQ(ShownQueries(r), want);
  ASSERT_EQ(r.connections_size(), 2);
  EXPECT_EQ(r.connections(0).database(), "shop");  // the last one selected
}

// mysql_late.pcap: the first connection above from its first query on (no greeting, no login),
// on a port nobody registered. Nothing names it MySQL until the `protocol` argument asks for
// MySQL and the MySQL parser reads a query and its answer. The database is unknown until the
// COM_INIT_DB, and not back-filled onto the queries before it.
TEST(TrustedLabelsTest, SessionCapturedAfterItsLoginIsMySqlOnlyByItsParser) {
  const std::string path = Data("mysql_late.pcap");
  const v1::AnalyzePayloadResponse payload = Analyze(path);
  ASSERT_EQ(payload.flows_size(), 1);
  EXPECT_EQ(payload.flows(0).protocol(), "unknown");
  EXPECT_EQ(Queries(path).total_queries(), 0u);

  const v1::AnalyzePayloadResponse as_mysql = Analyze(path, "mysql");
  ASSERT_EQ(as_mysql.flows_size(), 1);
  EXPECT_EQ(as_mysql.flows(0).protocol(), "mysql");
  EXPECT_EQ(as_mysql.flows(0).detected_by(), v1::DETECTION_METHOD_PARSER);
  EXPECT_FALSE(as_mysql.flows(0).encrypted());
  EXPECT_EQ(as_mysql.flows(0).queries(), 4u);
  EXPECT_EQ(as_mysql.flows(0).database(), "shop");

  const v1::ExtractDatabaseQueriesResponse r = Queries(path, "mysql");
  EXPECT_EQ(r.total_queries(), 4u);
  const Shown want = {
      {"COM_QUERY", "SELECT COUNT(*) FROM shop.items", ""},
      {"COM_QUERY", "SELECT DATABASE()", ""},
      {"COM_INIT_DB", "shop", ""},
      {"COM_QUERY", "SELECT COUNT(*) FROM items", "shop"},
  };
  EXPECT_EQ(ShownQueries(r), want);
  for (const v1::DatabaseQuery& q : r.queries()) {
    // Answered queries have a latency and a response packet; unanswered ones neither (not 0).
    EXPECT_EQ(q.has_latency(), q.status() != v1::QUERY_STATUS_NO_RESPONSE) << q.query();
    EXPECT_EQ(q.has_response_packet(), q.has_latency()) << q.query();
  }
}

}  // namespace
}  // namespace mcpcap

// Detection over real captures: the flows recorded by data/record_detect.sh (Debian's servers on
// odd ports, so that only content can name them) and the shared public captures, compared flow
// by flow with the protocol tshark dissects (run live; skipped when tshark is missing).
#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "backend/analysis/payload/payload_scan.h"
#include "gtest/gtest.h"
#include "tests/testing/tshark.h"

namespace mcpcap {
namespace {

using payload::Protocol;
using payload::ProtocolName;

std::string DataPath(const std::string& name) {
  return std::string(MCPCAP_PAYLOAD_TEST_DATA) + "/" + name;
}

PayloadScanResult Scan(const std::string& path, bool parse) {
  AnalysisInput input;
  input.source = input.local_path = path;
  PayloadScanOptions options;
  options.parse = parse;
  absl::StatusOr<PayloadScanResult> result = RunPayloadScan(input, options);
  EXPECT_TRUE(result.ok()) << path << ": " << result.status();
  return result.ok() ? std::move(*result) : PayloadScanResult{};
}

std::string FlowKey(uint8_t ip_protocol, const std::string& a, uint16_t a_port,
                    const std::string& b, uint16_t b_port) {
  std::string x = absl::StrCat(a, "|", a_port), y = absl::StrCat(b, "|", b_port);
  if (y < x) std::swap(x, y);
  return absl::StrCat(ip_protocol == 6 ? "tcp " : "udp ", x, " ", y);
}

std::string FlowKey(const PayloadFlowResult& f) {
  return FlowKey(f.ip_protocol, f.client.ToString(), f.client_port, f.server.ToString(),
                 f.server_port);
}

// ---- the captures recorded here ----

struct Expected {
  const char* file;
  uint8_t ip_protocol;
  uint16_t server_port;
  Protocol protocol;
};

constexpr Expected kRecorded[] = {
    {"detect_redis_6380.pcap", 6, 6380, Protocol::kRedis},
    {"detect_postgresql_15432.pcap", 6, 15432, Protocol::kPostgreSql},
    {"detect_http_8081.pcap", 6, 8081, Protocol::kHttp},
    {"detect_ssh_2222.pcap", 6, 2222, Protocol::kSsh},
    {"detect_dns_5300.pcap", 17, 5300, Protocol::kDns},
    {"detect_dns_5300.pcap", 6, 5300, Protocol::kDns},
    {"detect_smtp_2525.pcap", 6, 2525, Protocol::kSmtp},
    {"detect_ftp_2121.pcap", 6, 2121, Protocol::kFtp},
    {"detect_pop3_1110.pcap", 6, 1110, Protocol::kPop3},
    {"detect_imap_1143.pcap", 6, 1143, Protocol::kImap},
};

TEST(DetectCaptureTest, OddPortsAreNamedByContent) {
  for (bool parse : {false, true}) {
    for (const Expected& e : kRecorded) {
      const PayloadScanResult r = Scan(DataPath(e.file), parse);
      int seen = 0;
      for (const PayloadFlowResult& f : r.flows) {
        if (f.ip_protocol != e.ip_protocol || f.server_port != e.server_port) continue;
        ++seen;
        EXPECT_EQ(ProtocolName(f.detection.protocol), ProtocolName(e.protocol))
            << e.file << " " << FlowKey(f);
        // None of these ports is registered for its protocol (2525 is, as a reused one).
        EXPECT_NE(f.detection.detected_by.find("signature"), absl::string_view::npos) << e.file;
        EXPECT_GE(f.detection.confidence, 0.8) << e.file << " " << FlowKey(f);
      }
      EXPECT_GE(seen, 1) << e.file;
    }
  }
}

TEST(DetectCaptureTest, FtpDataConnectionIsNotGuessed) {
  // The passive data connection carries a file: nothing in it names a protocol (tshark knows
  // it as FTP-DATA only from the PASV reply on the control connection).
  const PayloadScanResult r = Scan(DataPath("detect_ftp_2121.pcap"), false);
  int data_flows = 0;
  for (const PayloadFlowResult& f : r.flows) {
    if (f.server_port >= 40400 && f.server_port < 40410) {
      ++data_flows;
      EXPECT_EQ(f.detection.protocol, Protocol::kUnknown);
    }
  }
  EXPECT_EQ(data_flows, 1);
}

const PayloadFlowResult* FlowOnPort(const PayloadScanResult& r, uint16_t port) {
  for (const PayloadFlowResult& f : r.flows) {
    if (f.server_port == port && f.parsed) return &f;
  }
  return nullptr;
}

TEST(DetectCaptureTest, LineProtocolParsersOnRealSessions) {
  {
    const PayloadScanResult r = Scan(DataPath("detect_ssh_2222.pcap"), true);
    const PayloadFlowResult* f = FlowOnPort(r, 2222);
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->facts.server_version.rfind("SSH-2.0-OpenSSH_9.2p1 Debian", 0), 0u);
    EXPECT_EQ(f->facts.client_software.rfind("SSH-2.0-OpenSSH_9.2p1 Debian", 0), 0u);
    EXPECT_TRUE(f->facts.encrypted);
    EXPECT_EQ(f->facts.encryption, "ssh");
    EXPECT_EQ(f->client_stop_reason, "");
    EXPECT_EQ(f->server_stop_reason, "");
  }
  {
    const PayloadScanResult r = Scan(DataPath("detect_ftp_2121.pcap"), true);
    const PayloadFlowResult* f = FlowOnPort(r, 2121);
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->facts.user, "alice");
    EXPECT_EQ(f->facts.server_version, "pyftpdlib 1.5.7 ready.");
    ASSERT_EQ(f->credentials.size(), 1u);
    EXPECT_EQ(f->credentials[0].kind, "ftp_password");
    EXPECT_EQ(f->credentials[0].evidence.rfind("PASS s", 0), 0u);
    EXPECT_EQ(f->credentials[0].evidence.find("s3cr3tpw"), std::string::npos);
    ASSERT_GE(f->messages.size(), 4u);
    EXPECT_EQ(f->messages[0].type, "220");
    EXPECT_EQ(f->messages[1].type, "USER");
    EXPECT_EQ(f->client_stop_reason, "");
  }
  {
    const PayloadScanResult r = Scan(DataPath("detect_smtp_2525.pcap"), true);
    const PayloadFlowResult* f = FlowOnPort(r, 2525);
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->facts.user, "alice");
    ASSERT_EQ(f->credentials.size(), 1u);
    EXPECT_EQ(f->credentials[0].kind, "smtp_auth");
    EXPECT_EQ(f->credentials[0].user, "alice");
    EXPECT_EQ(f->credentials[0].evidence.find("AGFsaWNlAHcwbmRlcmxhbmQ="), std::string::npos);
    bool body = false;
    for (const payload::AppMessage& m : f->messages) {
      EXPECT_NE(m.type, "EHLO inside") << "the body was taken for commands";
      body = body || m.type == "message_body";
    }
    EXPECT_TRUE(body);
  }
  {
    const PayloadScanResult r = Scan(DataPath("detect_pop3_1110.pcap"), true);
    const PayloadFlowResult* f = nullptr;
    for (const PayloadFlowResult& flow : r.flows) {
      if (flow.server_port == 1110 && !flow.credentials.empty()) f = &flow;
    }
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->facts.user, "carol");
    EXPECT_EQ(f->facts.server_version, "Dovecot (Debian) ready.");
    EXPECT_EQ(f->credentials[0].user, "carol");
    for (const payload::Credential& c : f->credentials) {
      EXPECT_EQ(c.evidence.find("p0p3secret"), std::string::npos);
    }
  }
  {
    const PayloadScanResult r = Scan(DataPath("detect_imap_1143.pcap"), true);
    const PayloadFlowResult* f = nullptr;
    for (const PayloadFlowResult& flow : r.flows) {
      if (flow.server_port == 1143 && !flow.credentials.empty()) f = &flow;
    }
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->facts.user, "carol");
    ASSERT_EQ(f->credentials.size(), 1u);
    EXPECT_EQ(f->credentials[0].kind, "imap_auth");
    EXPECT_EQ(f->credentials[0].user, "carol");
    EXPECT_EQ(f->client_stop_reason, "");
    EXPECT_EQ(f->server_stop_reason, "");
  }
}

// ---- against tshark ----

// Our name for the highest protocol tshark dissected in a frame ("eth:ethertype:ip:tcp:http").
std::string FromTshark(const std::string& frame_protocols) {
  static const std::map<std::string, std::string> kNames = {
      {"http", "http"},     {"tls", "tls"},     {"ssl", "tls"},     {"ssh", "ssh"},
      {"dns", "dns"},       {"mdns", "mdns"},   {"dhcp", "dhcp"},   {"bootp", "dhcp"},
      {"dhcpv6", "dhcpv6"}, {"sip", "sip"},     {"smtp", "smtp"},   {"ftp", "ftp"},
      {"pop", "pop3"},      {"imap", "imap"},   {"quic", "quic"},   {"gquic", "quic"},
      {"ntp", "ntp"},       {"snmp", "snmp"},   {"mysql", "mysql"}, {"pgsql", "postgresql"},
      {"mongo", "mongodb"}, {"redis", "redis"}, {"resp", "redis"},
  };
  std::string best;
  for (absl::string_view layer : absl::StrSplit(frame_protocols, ':')) {
    auto it = kNames.find(std::string(layer));
    if (it != kNames.end()) best = it->second;            // keep the innermost
    if (layer == "icmp" || layer == "icmpv6") return "";  // a quoted packet
  }
  return best;
}

std::string TsharkCommand(const std::string& path) {
  return testing::TsharkFieldsCommand(
      path,
      "-e ip.proto -e ipv6.nxt -e ip.src -e ipv6.src -e ip.dst -e ipv6.dst -e tcp.srcport "
      "-e udp.srcport -e tcp.dstport -e udp.dstport -e frame.protocols");
}

// Per flow key, the protocol tshark names (the first one it names in the flow), from the
// output of TsharkCommand.
void ReadTsharkFlows(FILE* pipe, std::map<std::string, std::string>* flows) {
  for (const std::vector<std::string>& f : testing::ReadRows(pipe)) {
    if (f.size() < 11) continue;
    auto first = [](const std::string& s) { return s.substr(0, s.find(',')); };
    const std::string proto = first(f[0].empty() ? f[1] : f[0]);
    if (proto != "6" && proto != "17") continue;
    const std::string src = first(f[2].empty() ? f[3] : f[2]);
    const std::string dst = first(f[4].empty() ? f[5] : f[4]);
    const std::string sport = first(f[6].empty() ? f[7] : f[6]);
    const std::string dport = first(f[8].empty() ? f[9] : f[8]);
    if (sport.empty() || dport.empty()) continue;
    const std::string key =
        FlowKey(proto == "6" ? 6 : 17, src, static_cast<uint16_t>(std::stoi(sport)), dst,
                static_cast<uint16_t>(std::stoi(dport)));
    const std::string named = FromTshark(f[10]);
    auto& slot = (*flows)[key];
    if (slot.empty()) slot = named;
  }
}

// tshark's flows for every file; tshark starts slowly, so several run at once.
std::vector<std::map<std::string, std::string>> TsharkFlows(const std::vector<std::string>& paths) {
  std::vector<std::map<std::string, std::string>> out(paths.size());
  constexpr size_t kAtOnce = 6;
  for (size_t begin = 0; begin < paths.size(); begin += kAtOnce) {
    std::vector<FILE*> pipes;
    for (size_t i = begin; i < paths.size() && i < begin + kAtOnce; ++i) {
      pipes.push_back(popen(TsharkCommand(paths[i]).c_str(), "r"));
    }
    for (size_t k = 0; k < pipes.size(); ++k) {
      if (pipes[k] == nullptr) continue;
      ReadTsharkFlows(pipes[k], &out[begin + k]);
      pclose(pipes[k]);
    }
  }
  return out;
}

// Flows where tshark is wrong, by capture and server port, and why.
const std::map<std::string, std::string> kTsharkWrong = {
    {"pbeat__mongodb_inserts.pcap 27017",
     "the capture starts mid-connection; tshark takes MongoDB's OP_QUERY bytes for TLS "
     "continuation data, its mongo dissector never runs"},
};

struct Tally {
  int flows = 0;
  int agree = 0;        // both name the same protocol
  int disagree = 0;     // both name one, different
  int only_tshark = 0;  // tshark names one, we say unknown
  int only_ours = 0;    // we name one, tshark does not (odd port, or not a dissector)
  int neither = 0;
  int explained = 0;  // both name one, different, and tshark is wrong (kTsharkWrong)
};

TEST(DetectCaptureTest, AgreesWithTsharkPerFlow) {
  if (!testing::HaveTshark()) GTEST_SKIP() << "tshark is not installed";
  std::vector<std::string> files;
  for (const Expected& e : kRecorded) files.push_back(DataPath(e.file));
  const std::string shared = MCPCAP_SHARED_CAPTURES;
  const char* kShared[] = {
      "pbeat__mongodb_inserts.pcap",
      "pcpp__many_interfaces-1.pcapng",
      "pcpp__nanosecs_big_endian.pcap",
      "pcpp__raw_ip.pcap",
      "pcpp__tls1_3.pcap",
      "tcpdump__dns_tcp.pcap",
      "zeek__dhcp.pcap",
      "zeek__http-vlan-0.pcap",
      "zeek__mysql.pcap",
      "zeek__psql-create-insert-select-delete-drop.pcap",
      "zeek__set.pcap",
      "zeek__tls1.2.pcap",
      "zeek__wikipedia.pcap",
      "mcpcap__dhcp.pcap",
      "zeek__retransmit-fast009.pcap",
      "csanders__tcp_zerowindowrecovery.pcapng",
      "tcpdump__tcp-handshake-nano.pcap",
  };
  bool have_shared = std::system(("test -d '" + shared + "'").c_str()) == 0;
  if (have_shared) {
    for (const char* f : kShared) files.push_back(shared + "/" + f);
  } else {
    std::printf("shared captures absent (%s): recorded captures only\n", shared.c_str());
  }
  std::set<std::string> deduped(files.begin(), files.end());
  Tally tally;
  std::string report;
  const std::vector<std::string> paths(deduped.begin(), deduped.end());
  std::vector<std::map<std::string, std::string>> tshark_flows = TsharkFlows(paths);
  for (size_t i = 0; i < paths.size(); ++i) {
    const std::string& path = paths[i];
    std::map<std::string, std::string>& tshark = tshark_flows[i];
    const PayloadScanResult r = Scan(path, /*parse=*/false);
    for (const PayloadFlowResult& f : r.flows) {
      const std::string key = FlowKey(f);
      const std::string ours = f.detection.protocol == Protocol::kUnknown
                                   ? ""
                                   : std::string(ProtocolName(f.detection.protocol));
      const std::string theirs = tshark.count(key) ? tshark[key] : "";
      ++tally.flows;
      const std::string line =
          absl::StrCat(path.substr(path.rfind('/') + 1), " ", key,
                       " ours=", ours.empty() ? "-" : ours, "(", f.detection.detected_by, " ",
                       f.detection.confidence, ") tshark=", theirs.empty() ? "-" : theirs, "\n");
      if (ours == theirs) {
        ours.empty() ? ++tally.neither : ++tally.agree;
        continue;
      }
      report += line;
      const std::string file_port =
          absl::StrCat(path.substr(path.rfind('/') + 1), " ", f.server_port);
      if (!ours.empty() && !theirs.empty() && kTsharkWrong.count(file_port)) {
        ++tally.explained;
        report += "  explained: " + kTsharkWrong.at(file_port) + "\n";
      } else if (!ours.empty() && !theirs.empty()) {
        ++tally.disagree;
        ADD_FAILURE() << "disagreement: " << line;
      } else if (ours.empty()) {
        ++tally.only_tshark;
      } else {
        ++tally.only_ours;
      }
    }
  }
  std::printf("%s", report.c_str());
  std::printf(
      "detection vs tshark over %zu captures: %d flows, %d agree, %d both unknown, "
      "%d disagree, %d explained (tshark wrong), %d tshark only, %d ours only\n",
      deduped.size(), tally.flows, tally.agree, tally.neither, tally.disagree, tally.explained,
      tally.only_tshark, tally.only_ours);
  EXPECT_EQ(tally.disagree, 0);
  EXPECT_GT(tally.agree, 0);
}

}  // namespace
}  // namespace mcpcap

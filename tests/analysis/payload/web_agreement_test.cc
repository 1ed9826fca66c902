// Agreement with tshark (Wireshark 4.0, default preferences) on every capture with HTTP or TLS:
// ours in data/ (http_*.pcap, tls_*.pcap) and the public ones in MCPCAP_SHARED_CAPTURES whose
// MANIFEST.tsv lists http or tls. Compared: the HTTP request lines (method and URI, as a
// multiset per capture), and per TLS connection the SNI, the highest version the client offered,
// the negotiated version and the chosen cipher suite. Deliberate differences are listed in
// KnownDifferences with the reason.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "backend/analysis/payload/payload_scan.h"
#include "backend/payload/tls/tls_names.h"
#include "gtest/gtest.h"
#include "tests/testing/tshark.h"

namespace mcpcap {
namespace {

namespace fs = std::filesystem;
using payload::AppMessage;
using payload::Protocol;
using payload::Side;

// Our captures use odd ports, which tshark only decodes when told.
constexpr const char* kDecodeAs =
    " -d tcp.port==8081,http -d tcp.port==8082,http -d tcp.port==8443-8447,tls";

std::vector<std::vector<std::string>> Tshark(const std::string& path, const std::string& args) {
  return testing::TsharkFields(
      path, std::string(kDecodeAs) + testing::kTsharkAggregatorOption + " " + args);
}

std::vector<std::string> Captures() {
  std::vector<std::string> out = testing::CapturesIn(MCPCAP_PAYLOAD_TEST_DATA, {"http_", "tls_"});
  for (std::string& path :
       testing::SharedCapturesCovering(MCPCAP_SHARED_CAPTURES, {"http", "tls"})) {
    out.push_back(std::move(path));
  }
  std::sort(out.begin(), out.end());
  return out;
}

// (capture, what) -> why we differ on purpose.
const std::map<std::pair<std::string, std::string>, std::string>& KnownDifferences() {
  static const auto* m = new std::map<std::pair<std::string, std::string>, std::string>{};
  return *m;
}

std::string ConnectionKey(uint16_t a, uint16_t b) {
  return absl::StrCat(std::min(a, b), "-", std::max(a, b));
}

std::string VersionName(const std::string& hex) {
  uint32_t v = 0;
  if (!absl::SimpleHexAtoi(hex, &v)) return "?" + hex;
  return payload::TlsVersionName(static_cast<uint16_t>(v));
}

// The highest non-GREASE version of a list of 0x.... values.
std::string HighestVersion(const std::string& list, const std::string& fallback) {
  uint32_t best = 0;
  for (absl::string_view item :
       absl::StrSplit(list, testing::kTsharkAggregator, absl::SkipEmpty())) {
    uint32_t v = 0;
    if (!absl::SimpleHexAtoi(item, &v) || payload::IsTlsGrease(static_cast<uint16_t>(v))) continue;
    const uint32_t rank = payload::IsTls13(static_cast<uint16_t>(v)) ? 0x0304 : v;
    const uint32_t best_rank = payload::IsTls13(static_cast<uint16_t>(best)) ? 0x0304 : best;
    if (rank > best_rank) best = v;
  }
  return best == 0 ? VersionName(fallback) : payload::TlsVersionName(static_cast<uint16_t>(best));
}

struct Counts {
  uint64_t agree = 0;
  uint64_t differ = 0;
  uint64_t known = 0;
};

void Compare(const std::string& capture, const std::string& what, const std::string& ours,
             const std::string& theirs, Counts* counts) {
  if (ours == theirs) {
    ++counts->agree;
    return;
  }
  auto known = KnownDifferences().find({capture, what});
  if (known != KnownDifferences().end()) {
    ++counts->known;
    std::printf("known difference %s %s: %s\n", capture.c_str(), what.c_str(),
                known->second.c_str());
    return;
  }
  ++counts->differ;
  ADD_FAILURE() << capture << " " << what << ": ours '" << ours << "' tshark '" << theirs << "'";
}

TEST(WebAgreement, HttpRequestLinesAndTlsHellosMatchTshark) {
  if (!testing::HaveTshark()) GTEST_SKIP() << "tshark not installed";
  if (!fs::is_directory(MCPCAP_SHARED_CAPTURES)) {
    std::printf("note: %s absent, comparing our captures only\n", MCPCAP_SHARED_CAPTURES);
  }
  Counts http, tls;
  uint64_t files = 0;
  for (const std::string& path : Captures()) {
    const std::string name = fs::path(path).filename().string();
    AnalysisInput input;
    input.source = input.local_path = path;
    PayloadScanOptions options;
    options.max_messages_per_flow = 100000;
    absl::StatusOr<PayloadScanResult> scanned = RunPayloadScan(input, options);
    ASSERT_TRUE(scanned.ok()) << name << ": " << scanned.status();
    ++files;

    // HTTP request lines, as multisets.
    std::multiset<std::string> ours_http, theirs_http;
    for (const PayloadFlowResult& f : scanned->flows) {
      if (f.detection.protocol != Protocol::kHttp) continue;
      for (const AppMessage& m : f.messages) {
        if (m.from != Side::kClient) continue;
        std::string method, uri;
        for (const auto& [k, v] : m.fields) {
          if (k == "method") method = v;
          if (k == "uri") uri = v;
        }
        ours_http.insert(method + " " + uri);
      }
    }
    const std::vector<std::vector<std::string>> rows = Tshark(
        path,
        "-Y 'http.request || tls.handshake.type==1 || tls.handshake.type==2' -e "
        "http.request.method -e http.request.uri -e tcp.srcport -e tcp.dstport -e "
        "tls.handshake.type -e tls.handshake.extensions_server_name -e tls.handshake.version -e "
        "tls.handshake.extensions.supported_version -e tls.handshake.ciphersuite");
    for (const auto& row : rows) {
      if (row.size() < 9 || row[0].empty()) continue;
      const std::vector<std::string> methods = absl::StrSplit(row[0], testing::kTsharkAggregator);
      const std::vector<std::string> uris = absl::StrSplit(row[1], testing::kTsharkAggregator);
      for (size_t i = 0; i < methods.size(); ++i) {
        theirs_http.insert(methods[i] + " " + (i < uris.size() ? uris[i] : ""));
      }
    }
    std::set<std::string> lines(ours_http.begin(), ours_http.end());
    lines.insert(theirs_http.begin(), theirs_http.end());
    for (const std::string& l : lines) {
      const size_t a = ours_http.count(l), b = theirs_http.count(l);
      for (size_t i = 0; i < std::max(a, b); ++i) {
        Compare(name, "http " + l, i < a ? l : "", i < b ? l : "", &http);
      }
    }

    // TLS hellos per connection.
    std::map<std::string, const PayloadFlowResult*> ours_tls;
    for (const PayloadFlowResult& f : scanned->flows) {
      if (f.facts.tls.seen) ours_tls[ConnectionKey(f.client_port, f.server_port)] = &f;
    }
    struct TheirTls {
      std::string sni, client_version, version, cipher;
    };
    std::map<std::string, TheirTls> theirs_tls;
    for (std::vector<std::string> row : rows) {
      if (row.size() < 9 || row[4].empty()) continue;
      row.erase(row.begin(), row.begin() + 2);  // the HTTP columns
      uint32_t src = 0, dst = 0;
      if (!absl::SimpleAtoi(row[0], &src) || !absl::SimpleAtoi(row[1], &dst)) continue;
      TheirTls& t = theirs_tls[ConnectionKey(src, dst)];
      const std::vector<std::string> types = absl::StrSplit(row[2], testing::kTsharkAggregator);
      const std::string first_version =
          std::vector<std::string>(absl::StrSplit(row[4], testing::kTsharkAggregator))[0];
      if (std::find(types.begin(), types.end(), "1") != types.end()) {
        t.sni = row[3];
        t.client_version = HighestVersion(row[5], first_version);
      } else if (std::find(types.begin(), types.end(), "2") != types.end()) {
        // The last ServerHello wins (after a HelloRetryRequest).
        t.version = row[5].empty() ? VersionName(first_version) : VersionName(row[5]);
        uint32_t cipher = 0;
        if (absl::SimpleHexAtoi(row[6], &cipher)) {
          t.cipher = payload::TlsCipherSuiteName(static_cast<uint16_t>(cipher));
        }
      }
    }
    for (const auto& [key, t] : theirs_tls) {
      auto it = ours_tls.find(key);
      const payload::TlsFacts empty;
      const payload::TlsFacts& o = it == ours_tls.end() ? empty : it->second->facts.tls;
      Compare(name, "tls " + key + " sni", o.sni, t.sni, &tls);
      Compare(name, "tls " + key + " client_version", o.client_version, t.client_version, &tls);
      if (!t.version.empty()) {
        Compare(name, "tls " + key + " version", o.version, t.version, &tls);
        Compare(name, "tls " + key + " cipher",
                o.has_cipher ? payload::TlsCipherSuiteName(o.cipher) : "", t.cipher, &tls);
      }
    }
    for (const auto& [key, f] : ours_tls) {
      if (theirs_tls.count(key) == 0 && !f->facts.tls.sni.empty()) {
        Compare(name, "tls " + key + " hello", "ours only", "", &tls);
      }
    }
  }
  std::printf(
      "web agreement over %llu captures: HTTP request lines %llu agree, %llu differ, "
      "%llu known; TLS fields %llu agree, %llu differ, %llu known\n",
      static_cast<unsigned long long>(files), static_cast<unsigned long long>(http.agree),
      static_cast<unsigned long long>(http.differ), static_cast<unsigned long long>(http.known),
      static_cast<unsigned long long>(tls.agree), static_cast<unsigned long long>(tls.differ),
      static_cast<unsigned long long>(tls.known));
  // What our own captures hold alone (a user's clone), and with the shared public captures.
  const bool with_shared = fs::is_directory(MCPCAP_SHARED_CAPTURES);
  EXPECT_GE(http.agree, with_shared ? 50u : 14u);
  EXPECT_GE(tls.agree, with_shared ? 36u : 18u);
}

}  // namespace
}  // namespace mcpcap

// Our MySQL and PostgreSQL parsers against tshark's dissectors ("mysql", "pgsql") over every
// capture that has either: the shared public captures and our own recordings
// (tests/analysis/payload/data/mysql_*.pcap, postgresql_*.pcap). tshark dissects non-standard ports
// only when told (-d tcp.port==N,mysql): we tell it the server ports of the flows we detected, and
// also run it with its default ports, so a MySQL/PostgreSQL flow we missed shows up as a
// difference.
//
//  - Messages: every query text tshark finds (mysql.query on COM_QUERY and COM_STMT_PREPARE,
//    pgsql.query on Query and Parse) must be one of our messages of that kind, with the same
//    frame and the same text, in the same order, and we must report no other.
//  - Queries: our DbQuery list must carry the same texts. MySQL: COM_QUERY and COM_STMT_PREPARE
//    queries, one for one. PostgreSQL, where we differ on purpose: a simple Query with several
//    statements is reported as one DbQuery per statement (each paired with its own
//    CommandComplete), so each piece must appear in tshark's text, in order; a Parse followed by
//    an Execute is reported as the Execute (with the Parse's text, at or after its frame).
//  - Texts longer than kMaxTextBytes are cut by us (ending "..."): compared up to the cut.
//  - A message split over segments is at its first frame for us, at its last for tshark.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "backend/analysis/payload/payload_scan.h"
#include "gtest/gtest.h"
#include "tests/testing/tshark.h"

namespace mcpcap {
namespace {

using payload::Protocol;

// A query text and the frame that carried its message.
struct FramedText {
  uint64_t frame = 0;
  std::string text;
  bool operator==(const FramedText& o) const { return frame == o.frame && text == o.text; }
};

std::vector<std::string> Captures() {
  std::vector<std::string> paths = testing::CapturesIn(MCPCAP_SHARED_CAPTURES);
  for (std::string& path : testing::CapturesIn(MCPCAP_PAYLOAD_TEST_DATA)) {
    paths.push_back(std::move(path));
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

// tshark -T fields escapes control characters; undo what SQL texts contain.
std::string Unescape(absl::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      const char c = s[++i];
      out += c == 'n' ? '\n' : c == 't' ? '\t' : c == 'r' ? '\r' : c;
    } else {
      out += s[i];
    }
  }
  return out;
}

// tshark's query texts (mysql.query, pgsql.query) in frame order. Several messages of one frame
// come out joined by the aggregator (0x1f, absent from SQL texts).
struct TsharkTexts {
  std::vector<FramedText> mysql;
  std::vector<FramedText> pgsql;
};
TsharkTexts TsharkQueries(const std::string& path, const std::string& decode_as) {
  const std::string args =
      absl::StrCat(decode_as, " -Y 'mysql.query || pgsql.query'", testing::kTsharkAggregatorOption,
                   " -e frame.number -e mysql.query -e pgsql.query");
  TsharkTexts out;
  for (const std::vector<std::string>& cols : testing::TsharkFields(path, args)) {
    uint64_t frame = 0;
    if (cols.size() != 3 || !absl::SimpleAtoi(cols[0], &frame)) continue;
    for (int k : {1, 2}) {
      if (cols[k].empty()) continue;
      for (absl::string_view text : absl::StrSplit(cols[k], testing::kTsharkAggregator)) {
        (k == 1 ? out.mysql : out.pgsql).push_back({frame, Unescape(text)});
      }
    }
  }
  return out;
}

std::string FieldOf(const payload::AppMessage& m, const std::string& key) {
  for (const auto& [k, v] : m.fields) {
    if (k == key) return v;
  }
  return {};
}

// Ours compared to tshark's text: equal, or equal up to our cut of a long text.
bool SameText(const std::string& ours, const std::string& theirs) {
  if (ours == theirs) return true;
  return ours.size() == payload::kMaxTextBytes && absl::EndsWith(ours, "...") &&
         absl::StartsWith(theirs, ours.substr(0, ours.size() - 3));
}

// A message over several segments: tshark numbers it by the frame that completed it, we by the
// frame of its first byte; both name the same message when the text agrees.
bool SameMessage(uint64_t our_frame, uint64_t their_frame) { return our_frame <= their_frame; }

struct Tally {
  int captures = 0;
  int messages_agreeing = 0;
  int messages_differing = 0;
  int queries_agreeing = 0;
  int queries_differing = 0;
};

// One protocol of one capture: our messages and queries against tshark's texts.
void Compare(const std::string& path, const PayloadScanResult& scan, Protocol protocol,
             const std::vector<FramedText>& theirs, Tally& tally) {
  const bool mysql = protocol == Protocol::kMySql;
  const std::string field = mysql ? "mysql.query" : "pgsql.query";
  const std::set<std::string> query_messages =
      mysql ? std::set<std::string>{"COM_QUERY", "COM_STMT_PREPARE"}
            : std::set<std::string>{"Query", "Parse"};
  std::vector<FramedText> ours;
  std::vector<const payload::DbQuery*> our_queries;
  bool flows = false;
  for (const PayloadFlowResult& flow : scan.flows) {
    if (flow.detection.protocol != protocol) continue;
    flows = true;
    for (const payload::AppMessage& m : flow.messages) {
      if (query_messages.count(m.type) == 0) continue;
      ours.push_back({m.start.frame, FieldOf(m, "query")});
    }
    for (const payload::DbQuery& q : flow.queries) our_queries.push_back(&q);
  }
  std::stable_sort(ours.begin(), ours.end(),
                   [](const FramedText& a, const FramedText& b) { return a.frame < b.frame; });
  // tshark lists the texts of all connections in frame order: so must ours be.
  std::stable_sort(our_queries.begin(), our_queries.end(),
                   [](const payload::DbQuery* a, const payload::DbQuery* b) {
                     return a->request.frame < b->request.frame;
                   });

  if (theirs.empty() && !flows) return;
  ++tally.captures;
  std::printf("%s %s: tshark %zu texts, ours %zu\n", std::filesystem::path(path).filename().c_str(),
              field.c_str(), theirs.size(), ours.size());

  // Messages, one for one.
  const size_t n = std::max(ours.size(), theirs.size());
  for (size_t i = 0; i < n; ++i) {
    if (i < ours.size() && i < theirs.size() && SameMessage(ours[i].frame, theirs[i].frame) &&
        SameText(ours[i].text, theirs[i].text)) {
      ++tally.messages_agreeing;
      continue;
    }
    ++tally.messages_differing;
    ADD_FAILURE() << path << " " << field << " #" << i << ": ours "
                  << (i < ours.size() ? absl::StrCat(ours[i].frame, " ", ours[i].text) : "-")
                  << " | tshark "
                  << (i < theirs.size() ? absl::StrCat(theirs[i].frame, " ", theirs[i].text) : "-");
  }

  // Queries.
  size_t next = 0;  // the next of our DbQueries to match
  for (const FramedText& t : theirs) {
    bool found = false;
    if (mysql) {
      while (next < our_queries.size() && our_queries[next]->command != "COM_QUERY" &&
             our_queries[next]->command != "COM_STMT_PREPARE") {
        ++next;
      }
      found = next < our_queries.size() && SameText(our_queries[next]->text, t.text) &&
              SameMessage(our_queries[next]->request.frame, t.frame);
      if (found) ++next;
    } else {
      // A Query: our statements of that frame, in order, inside tshark's text. A Parse: the
      // first later DbQuery (Parse or Execute) with its text.
      size_t pieces = 0;
      size_t at = 0;
      for (size_t k = next; k < our_queries.size(); ++k) {
        const payload::DbQuery& q = *our_queries[k];
        if (q.command != "Query" || !SameMessage(q.request.frame, t.frame)) continue;
        const size_t pos = t.text.find(q.text.substr(0, q.text.size()), at);
        if (pos == std::string::npos && !SameText(q.text, t.text)) break;
        at = pos == std::string::npos ? t.text.size() : pos + q.text.size();
        ++pieces;
        next = k + 1;
      }
      found = pieces > 0;
      for (size_t k = next; !found && k < our_queries.size(); ++k) {
        const payload::DbQuery& q = *our_queries[k];
        if ((q.command == "Parse" || q.command == "Execute") && q.request.frame >= t.frame &&
            SameText(q.text, t.text)) {
          found = true;
          next = k + 1;
        }
      }
    }
    if (found) {
      ++tally.queries_agreeing;
    } else {
      ++tally.queries_differing;
      ADD_FAILURE() << path << ": no DbQuery for tshark's " << t.frame << " " << t.text;
    }
  }
}

TEST(SqlAgreementTest, QueriesAgreeWithTshark) {
  if (!testing::HaveTshark()) GTEST_SKIP() << "tshark is not installed";
  if (!std::filesystem::is_directory(MCPCAP_SHARED_CAPTURES)) {
    std::printf("shared captures not found (%s): comparing our recordings only\n",
                MCPCAP_SHARED_CAPTURES);
  }
  Tally mysql;
  Tally pgsql;
  for (const std::string& path : Captures()) {
    AnalysisInput input;
    input.source = input.local_path = path;
    PayloadScanOptions options;
    options.max_messages_per_flow = 1u << 20;
    absl::StatusOr<PayloadScanResult> scan = RunPayloadScan(input, options);
    if (!scan.ok()) continue;  // not a capture we read (other tests cover those)
    // tshark with its default ports and the server ports of the flows we found.
    std::string decode_as;
    for (const PayloadFlowResult& flow : scan->flows) {
      if (flow.detection.protocol == Protocol::kMySql) {
        absl::StrAppend(&decode_as, " -d tcp.port==", flow.server_port, ",mysql");
      }
      if (flow.detection.protocol == Protocol::kPostgreSql) {
        absl::StrAppend(&decode_as, " -d tcp.port==", flow.server_port, ",pgsql");
      }
    }
    const TsharkTexts theirs = TsharkQueries(path, decode_as);
    Compare(path, *scan, Protocol::kMySql, theirs.mysql, mysql);
    Compare(path, *scan, Protocol::kPostgreSql, theirs.pgsql, pgsql);
  }
  std::printf("mysql: %d captures, messages %d agree / %d differ, queries %d agree / %d differ\n",
              mysql.captures, mysql.messages_agreeing, mysql.messages_differing,
              mysql.queries_agreeing, mysql.queries_differing);
  std::printf("pgsql: %d captures, messages %d agree / %d differ, queries %d agree / %d differ\n",
              pgsql.captures, pgsql.messages_agreeing, pgsql.messages_differing,
              pgsql.queries_agreeing, pgsql.queries_differing);
  // What our own captures hold alone (a user's clone), and with the shared public captures.
  const bool with_shared = std::filesystem::is_directory(MCPCAP_SHARED_CAPTURES);
  EXPECT_GE(mysql.messages_agreeing, with_shared ? 42 : 28);
  EXPECT_GE(pgsql.messages_agreeing, with_shared ? 37 : 30);
}

}  // namespace
}  // namespace mcpcap

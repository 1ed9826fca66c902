// The payload scan's memory budget over many flows of heavy parser state: a pool of 2000 MySQL
// connections, each preparing 16 statements of 1000 bytes that the server accepts, then idle
// until all close at the end (about 120 MiB held by the scan without a budget: the parsers'
// statements, the kept queries and messages). Under a budget the scan holds no more than it (as
// it counts, and as the heap shows: tests/testing/heap_meter counts this binary's operator new),
// and every flow it let go says so.
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "backend/analysis/payload/payload_scan.h"
#include "backend/analysis/payload/scan_limits.h"
#include "gtest/gtest.h"
#include "tests/testing/capture_builder.h"
#include "tests/testing/heap_meter.h"
#include "tests/testing/tcp_session_builder.h"

namespace mcpcap {
namespace {

using testing::TcpSessionBuilder;

constexpr int kFlows = 2000;
constexpr int kStatementsPerFlow = 16;
constexpr size_t kStatementBytes = 1000;

std::string Le(uint64_t v, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  return out;
}
std::string Packet(uint8_t seq, const std::string& payload) {
  return Le(payload.size(), 3) + std::string(1, static_cast<char>(seq)) + payload;
}
const std::string kZero(1, '\0');

std::string Greeting() {
  const uint32_t caps = 0x000FA20F;  // protocol 4.1, secure connection, plugin auth, ...
  return Packet(0,
                "\x0a"
                "10.11.6-MariaDB" +
                    kZero + Le(7, 4) + "abcdefgh" + kZero + Le(caps & 0xFFFF, 2) + "\x21" +
                    Le(2, 2) + Le(caps >> 16, 2) + "\x15" + std::string(10, '\0') + "ijklmnopqrst" +
                    kZero + "mysql_native_password" + kZero);
}
std::string Login() {
  const uint32_t caps = 0x000AA20F;  // with a database, plugin auth
  return Packet(1, Le(caps, 4) + Le(1 << 24, 4) + "\x21" + std::string(23, '\0') + "app" + kZero +
                       "\x14" + std::string(20, 'a') + "shop" + kZero + "mysql_native_password" +
                       kZero);
}
std::string Ok(uint8_t seq) { return Packet(seq, kZero + kZero + kZero + Le(2, 2) + Le(0, 2)); }
std::string Prepare(int flow, int statement) {
  std::string sql = "SELECT * FROM items WHERE flow = " + std::to_string(flow) +
                    " AND n = " + std::to_string(statement) + " AND note = '";
  sql.append(kStatementBytes - sql.size() - 1, 'x');
  return Packet(0, "\x16" + sql + "'");
}
std::string PrepareOk(uint32_t id) {
  return Packet(1, kZero + Le(id, 4) + Le(0, 2) + Le(0, 2) + kZero + Le(0, 2));
}

// The pool: each connection logs in and prepares its statements, then waits; all close at the
// end. `flows` connections.
std::string PoolCapture(int flows) {
  std::vector<TcpSessionBuilder> sessions;
  std::vector<size_t> taken(flows, 0);
  std::vector<testing::TestPacket> packets;
  const auto take = [&](int i) {
    const std::vector<testing::TestPacket>& all = sessions[i].packets();
    packets.insert(packets.end(), all.begin() + static_cast<std::ptrdiff_t>(taken[i]), all.end());
    taken[i] = all.size();
  };
  sessions.reserve(flows);
  for (int i = 0; i < flows; ++i) {
    sessions.emplace_back("10.0." + std::to_string(i / 250) + "." + std::to_string(i % 250 + 1),
                          static_cast<uint16_t>(40000 + i), "10.1.0.1", 3306);
    TcpSessionBuilder& s = sessions.back();
    s.Handshake();
    s.Send(TcpSessionBuilder::kServer, Greeting());
    s.Send(TcpSessionBuilder::kClient, Login());
    s.Send(TcpSessionBuilder::kServer, Ok(2));
    for (int n = 0; n < kStatementsPerFlow; ++n) {
      s.Send(TcpSessionBuilder::kClient, Prepare(i, n));
      s.Send(TcpSessionBuilder::kServer, PrepareOk(static_cast<uint32_t>(n + 1)));
    }
    take(i);
  }
  for (int i = 0; i < flows; ++i) {
    sessions[i].Close();
    take(i);
  }
  uint64_t usec = 0;
  for (testing::TestPacket& p : packets) {
    usec += 10;
    p.ts_sec = 1700000000 + usec / 1000000;
    p.ts_frac = static_cast<uint32_t>(usec % 1000000);
  }
  return testing::WriteTempFile("pool" + std::to_string(flows) + ".pcap",
                                testing::BuildPcap(packets));
}

struct BudgetRun {
  PayloadScanStats stats;
  int64_t heap_peak = 0;  // above what was held before the scan
  uint64_t flows = 0;
  uint64_t noted = 0;  // flows whose notes say they were finished early for memory
  uint64_t statements = 0;
};

BudgetRun ScanUnder(const std::string& path, size_t budget,
                    std::optional<uint16_t> port = std::nullopt) {
  AnalysisInput input;
  input.source = input.local_path = path;
  PayloadScanOptions options;
  options.max_memory_bytes = budget;
  options.port = port;
  const std::string note = FinishedEarlyNote(/*for_memory=*/true, options);
  BudgetRun run;
  const int64_t before = testing::LiveHeapBytes();
  testing::ResetPeakHeapBytes();
  {
    absl::StatusOr<std::unique_ptr<FrameScan>> scan = ScanPayloads(
        input, options,
        [&](PayloadFlowResult flow) {
          ++run.flows;
          for (const std::string& n : flow.facts.notes) run.noted += n == note;
          run.statements += flow.queries.size();
        },
        &run.stats);
    EXPECT_TRUE(scan.ok()) << scan.status();
  }
  run.heap_peak = testing::PeakHeapBytes() - before;
  return run;
}

TEST(PayloadBudgetTest, HeavyParserStateStaysWithinTheBudgetAndEvictionsAreSaid) {
  const std::string path = PoolCapture(kFlows);
  // What the scan holds for itself whatever the flows (its reading buffer): the same capture
  // with no flow kept (none has port 1).
  const int64_t own = ScanUnder(path, size_t{1} << 30, /*port=*/1).heap_peak;

  // Unbounded in effect: every flow stays, and the scan counts their statements.
  const BudgetRun all = ScanUnder(path, size_t{1} << 30);
  EXPECT_EQ(all.flows, static_cast<uint64_t>(kFlows));
  EXPECT_EQ(all.stats.flows_evicted, 0u);
  EXPECT_EQ(all.statements, static_cast<uint64_t>(kFlows) * kStatementsPerFlow);
  const size_t per_flow = all.stats.peak_memory_bytes / kFlows;
  std::printf("no eviction: accounted peak %zu bytes (%zu per flow), heap peak %lld bytes\n",
              all.stats.peak_memory_bytes, per_flow, static_cast<long long>(all.heap_peak));
  // Each flow holds its statements twice (the parser's map, the kept PREPARE queries).
  EXPECT_GT(per_flow, 2 * kStatementsPerFlow * kStatementBytes);
  // The count is the heap's (less the scan's own buffers), within a tenth.
  const double held = static_cast<double>(all.heap_peak - own);
  EXPECT_GT(static_cast<double>(all.stats.peak_memory_bytes), 0.9 * held);
  EXPECT_LT(static_cast<double>(all.stats.peak_memory_bytes), 1.1 * held);

  // A budget of an eighth of that: the scan keeps within it and says what it let go.
  const size_t budget = all.stats.peak_memory_bytes / 8;
  const BudgetRun tight = ScanUnder(path, budget);
  std::printf(
      "budget %zu bytes: accounted peak %zu, heap peak %lld (the scan's own %lld), %llu flows "
      "finished early\n",
      budget, tight.stats.peak_memory_bytes, static_cast<long long>(tight.heap_peak),
      static_cast<long long>(own),
      static_cast<unsigned long long>(tight.stats.flows_evicted_for_memory));
  EXPECT_LE(tight.stats.peak_memory_bytes, budget);
  // The heap: the budget and the scan's own buffers, within what malloc rounds up.
  EXPECT_LT(tight.heap_peak, static_cast<int64_t>(budget + budget / 16) + own);
  EXPECT_GT(tight.stats.flows_evicted_for_memory, static_cast<uint64_t>(kFlows / 2));
  EXPECT_EQ(tight.stats.flows_evicted, tight.stats.flows_evicted_for_memory);
  EXPECT_EQ(tight.noted, tight.stats.flows_evicted_for_memory);
  // The connections let go were idle: their statements were read, and their closing packets
  // came later as new flows.
  EXPECT_EQ(tight.statements, static_cast<uint64_t>(kFlows) * kStatementsPerFlow);
  EXPECT_EQ(tight.flows, kFlows + tight.stats.flows_evicted_for_memory);
}

TEST(PayloadBudgetTest, TheCaptureSummarySaysHowManyFlowsWereFinishedEarly) {
  PayloadScanOptions options;
  PayloadScanStats stats;
  v1::CaptureSummary summary;
  AddScanLimitWarnings(stats, options, &summary);
  EXPECT_EQ(summary.warnings_size(), 0);
  stats.flows_evicted = 12;
  stats.flows_evicted_for_memory = 10;
  AddScanLimitWarnings(stats, options, &summary);
  ASSERT_EQ(summary.warnings_size(), 1);
  EXPECT_EQ(summary.warnings(0),
            "12 flows were finished before their end by the payload scan (10 for its memory "
            "budget of 256 MiB, 2 because more than 65536 flows were open at once): each says so "
            "in its notes");
}

}  // namespace
}  // namespace mcpcap

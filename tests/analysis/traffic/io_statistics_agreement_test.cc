// get_io_statistics against tshark -z io,stat on every capture we have (the default interval
// and one ten times longer): the same intervals, each with the same frames and bytes; plus the
// interval rules (default about 100 intervals, bounds refused).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "backend/analysis/common/frame_scan.h"
#include "backend/analysis/traffic/io_intervals.h"
#include "backend/analysis/traffic/io_statistics.h"
#include "gtest/gtest.h"
#include "tests/analysis/traffic/traffic_test_util.h"

namespace mcpcap {
namespace {

struct Row {
  uint64_t frames = 0;
  uint64_t bytes = 0;
};

// tshark's io,stat table rows: "| 0.000 <> 0.262 |     24 |  2314 |" (the last interval may
// end in "Dur"). Read by splitting on '|' (std::regex trips GCC 12's warnings under ASan).
std::vector<Row> ParseIoStat(const std::vector<std::string>& lines) {
  std::vector<Row> rows;
  for (const std::string& line : lines) {
    const std::vector<absl::string_view> cells = absl::StrSplit(line, '|');
    // "", " 0.000 <> 0.262 ", frames, bytes, "" (and nothing else: the header rows differ).
    if (cells.size() != 5 || !cells[0].empty() || !cells[4].empty()) continue;
    const std::vector<absl::string_view> bounds = absl::StrSplit(cells[1], "<>");
    double start = 0;
    if (bounds.size() != 2 || !absl::SimpleAtod(absl::StripAsciiWhitespace(bounds[0]), &start)) {
      continue;
    }
    Row row;
    if (absl::SimpleAtoi(absl::StripAsciiWhitespace(cells[2]), &row.frames) &&
        absl::SimpleAtoi(absl::StripAsciiWhitespace(cells[3]), &row.bytes)) {
      rows.push_back(row);
    }
  }
  return rows;
}

int64_t Micros(const google::protobuf::Duration& d) {
  return d.seconds() * 1'000'000 + d.nanos() / 1000;
}

absl::StatusOr<v1::GetIoStatisticsResponse> IoStat(const std::string& path, double seconds) {
  v1::GetIoStatisticsRequest request;
  request.set_interval_seconds(seconds);
  return GetIoStatistics(traffic_test::WholeInput(path), request);
}

struct Offsets {
  int64_t last = 0;      // µs from the first frame to the latest (as tshark's duration)
  int64_t earliest = 0;  // µs from the first frame to the earliest: below 0 when time goes back
};

Offsets FrameOffsets(const std::string& path) {
  Offsets o;
  const AnalysisInput input = traffic_test::WholeInput(path);  // the scan refers to it
  auto scan = FrameScan::Open(input);
  if (!scan.ok()) return o;
  (void)(*scan)->Run([&](const Frame& f) {
    const int64_t offset = (f.time - (*scan)->first_time().value_or(f.time)) / 1000;
    o.last = std::max(o.last, offset);
    o.earliest = std::min(o.earliest, offset);
    return true;
  });
  return o;
}

// The captures are compared in kShards shards (every kShards-th capture each), so that each test
// stays well within CTest's time limit on a loaded machine: tshark takes a second to start.
constexpr int kShards = 4;

class IoStatisticsAgreement : public ::testing::TestWithParam<int> {};

TEST_P(IoStatisticsAgreement, IntervalsPerCapture) {
  if (!testing::HaveTshark()) GTEST_SKIP() << "tshark is not installed";
  if (!traffic_test::HaveSharedCaptures()) {
    std::cerr << "no shared captures at " << MCPCAP_SHARED_CAPTURES << ": ours only\n";
  }
  std::vector<std::string> paths;
  std::vector<v1::GetIoStatisticsResponse> ours;
  std::vector<std::string> commands;
  std::vector<Offsets> offsets;  // per command
  const std::vector<std::string> all = traffic_test::AllCaptures();
  for (size_t c = static_cast<size_t>(GetParam()); c < all.size(); c += kShards) {
    const std::string& path = all[c];
    auto defaulted = IoStat(path, 0);
    if (!defaulted.ok() || defaulted->total_frames() == 0) continue;  // unreadable or empty
    const int64_t interval = Micros(defaulted->interval());
    auto longer = IoStat(path, static_cast<double>(interval * 10) / 1e6);
    ASSERT_TRUE(longer.ok()) << path << ": " << longer.status();
    for (const auto* r : {&*defaulted, &*longer}) {
      paths.push_back(path);
      ours.push_back(*r);
      offsets.push_back(FrameOffsets(path));
      commands.push_back(absl::StrFormat("tshark -n -q -r '%s' -z io,stat,%.6f 2>/dev/null", path,
                                         static_cast<double>(Micros(r->interval())) / 1e6));
    }
  }
  const auto outputs = traffic_test::RunAllLines(commands);
  uint64_t compared = 0, intervals = 0, agree = 0, boundary_tables = 0, backwards_tables = 0;
  for (size_t i = 0; i < commands.size(); ++i) {
    const std::vector<Row> theirs = ParseIoStat(outputs[i]);
    if (theirs.empty()) continue;
    // Known difference: frames captured before the file's first one (time going back). tshark
    // casts their negative offset to unsigned, so they land in arbitrary intervals; we count them
    // in the first.
    if (offsets[i].earliest < 0) {
      ++backwards_tables;
      continue;
    }
    ++compared;
    const v1::GetIoStatisticsResponse& r = ours[i];
    // Known difference: when the last frame falls exactly on an interval boundary tshark prints
    // no row for the interval it opens (its frames are left out of the table); we keep it.
    const bool boundary = r.intervals_size() > 1 &&
                          static_cast<size_t>(r.intervals_size()) == theirs.size() + 1 &&
                          offsets[i].last % Micros(r.interval()) == 0;
    if (boundary) ++boundary_tables;
    ASSERT_EQ(static_cast<size_t>(r.intervals_size()), theirs.size() + (boundary ? 1 : 0))
        << commands[i];
    uint64_t frames = 0, bytes = 0;
    for (size_t k = 0; k < theirs.size(); ++k) {
      const v1::IoInterval& mine = r.intervals(static_cast<int>(k));
      ++intervals;
      const bool same = mine.frames() == theirs[k].frames && mine.bytes() == theirs[k].bytes;
      agree += same;
      EXPECT_TRUE(same) << commands[i] << " interval " << k << ": tshark " << theirs[k].frames
                        << "/" << theirs[k].bytes << ", ours " << mine.frames() << "/"
                        << mine.bytes();
      EXPECT_EQ(Micros(mine.start()), static_cast<int64_t>(k) * Micros(r.interval()));
      frames += mine.frames();
      bytes += mine.bytes();
      EXPECT_LE(mine.bytes(), r.peak().bytes());
    }
    if (!boundary) {
      EXPECT_EQ(frames, r.total_frames()) << commands[i];
      EXPECT_EQ(bytes, r.total_bytes()) << commands[i];
    }
  }
  std::cerr << compared << " io,stat tables (" << paths.size() / 2
            << " captures, default and 10x interval): " << agree << "/" << intervals
            << " intervals equal; " << boundary_tables
            << " tables where tshark drops the last interval (last frame on a boundary); "
            << backwards_tables << " tables not compared (frames before the first frame)\n";
  EXPECT_GT(compared, 0u);
}

INSTANTIATE_TEST_SUITE_P(Shards, IoStatisticsAgreement, ::testing::Range(0, kShards));

TEST(IoIntervals, AskedIntervalsAreBounded) {
  EXPECT_EQ(IntervalMicros(0).value(), 0);
  EXPECT_EQ(IntervalMicros(0.5).value(), 500'000);
  EXPECT_EQ(IntervalMicros(1e-6).value(), 1);
  EXPECT_EQ(IntervalMicros(4e-7).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(IntervalMicros(-1).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(IntervalMicros(std::nan("")).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(IoIntervals, DefaultIntervalSpansAboutAHundred) {
  EXPECT_EQ(DefaultIntervalMicros(0), 1'000'000);
  for (int64_t span :
       std::vector<int64_t>{1, 99, 100, 262'000, 999'999, 3'600'000'000, 86'400'000'000}) {
    const int64_t interval = DefaultIntervalMicros(span);
    const int64_t count = span / interval + 1;
    EXPECT_LE(count, 100) << span;
    // Readable: 1, 2 or 5 times a power of ten.
    int64_t mantissa = interval;
    while (mantissa % 10 == 0) mantissa /= 10;
    EXPECT_TRUE(mantissa == 1 || mantissa == 2 || mantissa == 5) << interval;
    // The smallest such: half of it (or 2/5 of a 5) would give 100 intervals or more.
    const int64_t smaller = mantissa == 5 ? interval * 2 / 5 : interval / 2;
    if (smaller >= 1) {
      EXPECT_GE(span / smaller, 100) << span;
    }
  }
}

TEST(IoIntervals, FineTalliesRegroupAsDirectOnes) {
  FineIoTallies fine;
  std::vector<int64_t> times;
  uint64_t state = 12345;
  for (int i = 0; i < 5000; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    times.push_back(static_cast<int64_t>((state >> 20) % 3'000'000'000ULL));  // up to 50 min
  }
  for (int64_t t : times) fine.Add(t, 100);
  const int64_t interval = DefaultIntervalMicros(fine.last_micros());
  const std::vector<IoTally> grouped = fine.Regroup(interval);
  std::vector<uint64_t> direct(grouped.size());
  for (int64_t t : times) ++direct[static_cast<size_t>(t / interval)];
  ASSERT_EQ(grouped.size(), direct.size());
  for (size_t i = 0; i < direct.size(); ++i) {
    EXPECT_EQ(grouped[i].frames, direct[i]) << i;
    EXPECT_EQ(grouped[i].bytes, direct[i] * 100) << i;
  }
}

TEST(IoStatistics, RefusesTooManyIntervals) {
  // A capture spanning more than a second: 1 µs intervals would be more than a million.
  for (const std::string& path : traffic_test::AllCaptures()) {
    auto r = IoStat(path, 0);
    if (!r.ok() || Micros(r->interval()) < 20'000) continue;
    EXPECT_EQ(IoStat(path, 1e-6).status().code(), absl::StatusCode::kInvalidArgument) << path;
    EXPECT_EQ(IoStat(path, 1e-7).status().code(), absl::StatusCode::kInvalidArgument) << path;
    EXPECT_LE(r->intervals_size(), 100);
    EXPECT_GE(r->intervals_size(), 20);
    return;
  }
  GTEST_SKIP() << "no capture spans more than a second";
}

}  // namespace
}  // namespace mcpcap

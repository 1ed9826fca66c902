#include "backend/analysis/traffic/io_statistics.h"

#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "backend/analysis/common/frame_scan.h"
#include "backend/analysis/common/listing.h"
#include "backend/analysis/traffic/io_intervals.h"
#include "backend/base/proto_time.h"
#include "backend/base/status_macros.h"

namespace mcpcap {
namespace {

void FillInterval(size_t index, int64_t interval_micros, const IoTally& tally,
                  v1::IoInterval* out) {
  const int64_t start = static_cast<int64_t>(index) * interval_micros;
  SetDurationNanos(start * 1000, out->mutable_start());
  SetDurationNanos((start + interval_micros) * 1000, out->mutable_end());
  out->set_frames(tally.frames);
  out->set_bytes(tally.bytes);
}

}  // namespace

absl::StatusOr<v1::GetIoStatisticsResponse> GetIoStatistics(
    const AnalysisInput& input, const v1::GetIoStatisticsRequest& request) {
  ASSIGN_OR_RETURN(int64_t interval, IntervalMicros(request.interval_seconds()));
  ASSIGN_OR_RETURN(std::unique_ptr<FrameScan> scan, FrameScan::Open(input));

  // A given interval is tallied directly (at most kMaxIoIntervals); the default one needs the
  // span first, so frames are tallied finely and regrouped at the end.
  std::vector<IoTally> tallies;
  FineIoTallies fine;
  bool too_many = false;
  RETURN_IF_ERROR(scan->Run([&](const Frame& frame) {
    if (!frame.matched) return true;
    const int64_t relative_nanos = frame.time - scan->first_time().value_or(frame.time);
    if (interval == 0) {
      fine.Add(relative_nanos / 1000, frame.record.origlen);
      return true;
    }
    const uint64_t index = IntervalIndex(relative_nanos, interval);
    if (index >= kMaxIoIntervals) {
      too_many = true;
      return false;
    }
    if (index >= tallies.size()) tallies.resize(index + 1);
    tallies[index].frames += 1;
    tallies[index].bytes += frame.record.origlen;
    return true;
  }));
  if (too_many) {
    return absl::InvalidArgumentError(
        absl::StrCat("interval_seconds ", request.interval_seconds(), " gives more than ",
                     kMaxIoIntervals, " intervals for this capture; choose a longer interval"));
  }
  if (interval == 0) {
    interval = DefaultIntervalMicros(fine.last_micros());
    tallies = fine.Regroup(interval);
  }

  v1::GetIoStatisticsResponse response;
  SetDurationNanos(interval * 1000, response.mutable_interval());
  if (scan->first_time()) {
    SetTimestampNanos(*scan->first_time(), response.mutable_first_packet_time());
  }
  Listing intervals("intervals", input.listings);
  IoTally total;
  size_t peak = 0;
  for (size_t i = 0; i < tallies.size(); ++i) {
    total.frames += tallies[i].frames;
    total.bytes += tallies[i].bytes;
    if (tallies[i].bytes > tallies[peak].bytes) peak = i;
    if (intervals.Admit()) FillInterval(i, interval, tallies[i], response.add_intervals());
  }
  if (!tallies.empty()) FillInterval(peak, interval, tallies[peak], response.mutable_peak());
  response.set_total_frames(total.frames);
  response.set_total_bytes(total.bytes);
  scan->FillSummary(response.mutable_capture());
  intervals.Report(response.mutable_capture());
  return response;
}

}  // namespace mcpcap

#include "backend/analysis/payload/scan_limits.h"

#include <cstddef>
#include <cstdint>

#include "absl/strings/str_cat.h"

namespace mcpcap {
namespace {

std::string SizeText(size_t bytes) {
  constexpr size_t kMiB = size_t{1} << 20;
  if (bytes >= kMiB && bytes % kMiB == 0) return absl::StrCat(bytes / kMiB, " MiB");
  return absl::StrCat(bytes, " bytes");
}

}  // namespace

std::string FinishedEarlyNote(bool for_memory, const PayloadScanOptions& options) {
  const std::string why =
      for_memory ? absl::StrCat("the flows open at once used up the scan's memory budget (",
                                SizeText(options.max_memory_bytes), ")")
                 : absl::StrCat("more than ", options.max_flows, " flows were open at once");
  return absl::StrCat("finished before its end: ", why,
                      "; later packets of this connection, if any, were read as a new flow");
}

void AddScanLimitWarnings(const PayloadScanStats& stats, const PayloadScanOptions& options,
                          v1::CaptureSummary* summary) {
  if (stats.flows_evicted == 0) return;
  const uint64_t for_memory = stats.flows_evicted_for_memory;
  const uint64_t for_room = stats.flows_evicted - for_memory;
  std::string why;
  if (for_memory > 0) {
    absl::StrAppend(&why, for_memory, " for its memory budget of ",
                    SizeText(options.max_memory_bytes));
  }
  if (for_room > 0) {
    absl::StrAppend(&why, why.empty() ? "" : ", ", for_room, " because more than ",
                    options.max_flows, " flows were open at once");
  }
  summary->add_warnings(absl::StrCat(stats.flows_evicted,
                                     " flows were finished before their end by the payload scan (",
                                     why, "): each says so in its notes"));
}

}  // namespace mcpcap

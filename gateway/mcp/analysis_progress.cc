#include "gateway/mcp/analysis_progress.h"

#include <cmath>
#include <limits>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace mcpcap::gateway {

std::string DescribeBytes(uint64_t done, uint64_t total) {
  const uint64_t scale_by = total != 0 ? total : done;
  struct Unit {
    double size;
    const char* name;
  };
  static constexpr Unit kUnits[] = {{1e9, "GB"}, {1e6, "MB"}, {1e3, "kB"}};
  for (const Unit& u : kUnits) {
    if (static_cast<double>(scale_by) < u.size) continue;
    if (total == 0) return absl::StrFormat("%.1f %s", static_cast<double>(done) / u.size, u.name);
    return absl::StrFormat("%.1f of %.1f %s", static_cast<double>(done) / u.size,
                           static_cast<double>(total) / u.size, u.name);
  }
  return total == 0 ? absl::StrCat(done, " B") : absl::StrCat(done, " of ", total, " B");
}

void AnalysisProgress::Report(const v1::AnalyzeProgress& p) {
  const uint64_t total = p.total_bytes();
  if (p.stage() == v1::ANALYZE_STAGE_DOWNLOAD) {
    // The reading starts once the download is complete: at its length, when known.
    downloaded_ = total != 0 ? total : p.bytes_done();
    // The reading of the same bytes follows: the whole job is twice the download.
    total_ = total != 0 ? std::optional<double>(2.0 * static_cast<double>(total)) : std::nullopt;
    last_ = static_cast<double>(p.bytes_done());
    ctx_.Progress(last_, total_, absl::StrCat("downloaded ", DescribeBytes(p.bytes_done(), total)));
    return;
  }
  const double base = static_cast<double>(downloaded_);
  total_ = total != 0 ? std::optional<double>(base + static_cast<double>(total)) : std::nullopt;
  last_ = base + static_cast<double>(p.bytes_done());
  ctx_.Progress(last_, total_,
                absl::StrCat("read ", DescribeBytes(p.bytes_done(), total), " (", p.packets_read(),
                             " packets)"));
}

void AnalysisProgress::Finish(const std::string& failure) {
  if (failure.empty()) {
    const double end = total_.value_or(1);
    ctx_.Progress(end, end, "done");
    return;
  }
  const double past = std::nextafter(last_, std::numeric_limits<double>::infinity());
  ctx_.Progress(past, total_, absl::StrCat("stopped before the end: ", failure));
}

}  // namespace mcpcap::gateway

// Turns the backend's progress reports for one tool call into notifications/progress: bytes as
// the progress, the file's size as the total, and a short message ("read 12.3 of 45.6 MB
// (1234567 packets)"). A URL's download and the reading after it make one sequence (the
// download counts first, then the reading on top of it), so progress only grows as MCP requires.
#ifndef MCPCAP_GATEWAY_MCP_ANALYSIS_PROGRESS_H_
#define MCPCAP_GATEWAY_MCP_ANALYSIS_PROGRESS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "gateway/mcp/request_context.h"
#include "mcpcap/v1/analysis.pb.h"

namespace mcpcap::gateway {

class AnalysisProgress {
 public:
  explicit AnalysisProgress(RequestContext& ctx) : ctx_(ctx) {}

  void Start() { ctx_.Progress(0, std::nullopt, "started"); }
  void Report(const v1::AnalyzeProgress& progress);
  // The call is over. A call that succeeded reaches the total (1 of 1 when no size was
  // reported); one that failed or was cancelled says so in a last notification just past the
  // last progress (MCP wants progress to grow), so a client never mistakes it for complete.
  void Finish(const std::string& failure);

 private:
  RequestContext& ctx_;
  uint64_t downloaded_ = 0;  // size of the download that precedes the reading
  std::optional<double> total_;
  double last_ = 0;  // the last progress reported
};

// "532 B", "12.3 of 45.6 MB": `done` in the unit that suits `total` (or `done` when 0).
std::string DescribeBytes(uint64_t done, uint64_t total);

}  // namespace mcpcap::gateway

#endif  // MCPCAP_GATEWAY_MCP_ANALYSIS_PROGRESS_H_

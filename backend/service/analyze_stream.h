// The server side of one CaptureAnalysisService.Analyze stream. The analysis runs on a worker and
// reports through Progress() and Complete(); this class turns that into writes, one at a time
// as gRPC requires. Progress is throttled, and a report that arrives while another is being
// written replaces any older one still waiting: only the newest matters. The last report is
// always sent before the response, so a client sees where the reading ended.
#ifndef MCPCAP_BACKEND_SERVICE_ANALYZE_STREAM_H_
#define MCPCAP_BACKEND_SERVICE_ANALYZE_STREAM_H_

#include <grpcpp/support/server_callback.h>

#include <chrono>
#include <mutex>
#include <optional>

#include "absl/status/statusor.h"
#include "backend/service/progress_throttle.h"
#include "mcpcap/v1/analysis.pb.h"

namespace mcpcap {

class AnalyzeStream final : public grpc::ServerWriteReactor<v1::AnalyzeResponse> {
 public:
  // Deletes itself once gRPC is done with it and Complete() was called.
  explicit AnalyzeStream(std::chrono::milliseconds progress_interval);

  // From the worker, any number of times before Complete().
  void Progress(const v1::AnalyzeProgress& progress);
  // From the worker (or the handler, when the work never started), exactly once: the event
  // carrying the response, or the error. The stream must not be touched afterwards.
  void Complete(absl::StatusOr<v1::AnalyzeResponse> result);

  void OnWriteDone(bool ok) override;
  void OnDone() override;

 private:
  enum class Step { kNone, kWrite, kWriteAndFinish, kFinish };
  ~AnalyzeStream() override = default;
  // Picks the next operation under the lock; Perform() starts it outside.
  Step Next();
  void Perform(Step step);
  void Unref();

  std::mutex mu_;
  ProgressThrottle throttle_;
  std::optional<v1::AnalyzeProgress> unsent_;  // the newest report, when not sent yet
  std::optional<v1::AnalyzeProgress> queued_;  // a report due, waiting for the writer
  v1::AnalyzeResponse writing_event_;          // the buffer gRPC is writing from
  bool writing_ = false;
  bool broken_ = false;     // a write failed: the client is gone, nothing more to send
  bool completed_ = false;  // Complete() was called
  bool finished_ = false;   // Finish was started
  grpc::Status status_;
  v1::AnalyzeResponse result_;  // the response's event, once completed without error
  int refs_ = 2;                // gRPC's (until OnDone) and the worker's (until Complete)
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SERVICE_ANALYZE_STREAM_H_

#include "backend/service/analyze_stream.h"

#include "backend/service/analysis_call.h"
#include "backend/service/status_conversion.h"

namespace mcpcap {

AnalyzeStream::AnalyzeStream(std::chrono::milliseconds progress_interval)
    : throttle_(progress_interval, ProgressThrottle::Clock::now()) {}

void AnalyzeStream::Progress(const v1::AnalyzeProgress& progress) {
  Step step;
  {
    std::lock_guard<std::mutex> lock(mu_);
    unsent_ = progress;
    if (!throttle_.Due(progress.bytes_done(), progress.total_bytes(),
                       ProgressThrottle::Clock::now())) {
      return;
    }
    queued_ = std::move(unsent_);
    unsent_.reset();
    step = Next();
  }
  Perform(step);
}

void AnalyzeStream::Complete(absl::StatusOr<v1::AnalyzeResponse> result) {
  Step step;
  {
    std::lock_guard<std::mutex> lock(mu_);
    completed_ = true;
    if (result.ok()) {
      result_ = std::move(*result);
      if (unsent_) queued_ = std::move(unsent_);  // where the reading ended
    } else {
      status_ = ToGrpcStatus(result.status());
    }
    unsent_.reset();
    step = Next();
  }
  Perform(step);
  Unref();
}

void AnalyzeStream::OnWriteDone(bool ok) {
  Step step;
  {
    std::lock_guard<std::mutex> lock(mu_);
    writing_ = false;
    if (!ok) broken_ = true;
    step = Next();
  }
  Perform(step);
}

void AnalyzeStream::OnDone() { Unref(); }

AnalyzeStream::Step AnalyzeStream::Next() {
  if (writing_ || finished_) return Step::kNone;
  if (queued_ && !broken_) {
    *writing_event_.mutable_progress() = std::move(*queued_);
    queued_.reset();
    writing_ = true;
    return Step::kWrite;
  }
  if (!completed_) return Step::kNone;
  finished_ = true;
  // A client that is gone gets CANCELLED whatever the analysis said.
  if (broken_ && status_.ok()) {
    status_ = ToGrpcStatus(CallCancelledError("the client went away"));
  }
  if (!status_.ok()) return Step::kFinish;
  writing_event_ = std::move(result_);
  return Step::kWriteAndFinish;
}

void AnalyzeStream::Perform(Step step) {
  switch (step) {
    case Step::kNone:
      return;
    case Step::kWrite:
      StartWrite(&writing_event_);
      return;
    case Step::kWriteAndFinish:
      StartWriteAndFinish(&writing_event_, grpc::WriteOptions(), grpc::Status::OK);
      return;
    case Step::kFinish:
      Finish(status_);  // fixed once finished_ is set
      return;
  }
}

void AnalyzeStream::Unref() {
  bool last;
  {
    std::lock_guard<std::mutex> lock(mu_);
    last = --refs_ == 0;
  }
  if (last) delete this;
}

}  // namespace mcpcap

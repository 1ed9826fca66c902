#include "backend/service/capture_upload_service.h"

#include <atomic>
#include <chrono>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "backend/service/call_context.h"
#include "backend/service/request_strings.h"
#include "backend/service/status_conversion.h"

namespace mcpcap {
namespace {

int64_t WholeSeconds(std::chrono::milliseconds d) {
  return std::chrono::duration_cast<std::chrono::seconds>(d).count();
}

grpc::Status ExpiredStatus(StreamDeadlines::Expiry why, const StreamDeadlines& deadlines) {
  const bool idle = why == StreamDeadlines::Expiry::kIdle;
  const int64_t seconds = WholeSeconds(idle ? deadlines.idle() : deadlines.total());
  const char* flag = idle ? "--upload-idle-timeout-seconds" : "--upload-timeout-seconds";
  return ToGrpcStatus(ReasonError(
      absl::StatusCode::kDeadlineExceeded, v1::ERROR_REASON_UPLOAD_TIMEOUT,
      absl::StrCat(idle ? "the upload sent nothing for " : "the upload did not finish within ",
                   seconds, " s (", flag, "); it was dropped"),
      {{"flag", flag}, {"timeout_seconds", absl::StrCat(seconds)}}));
}

// Receives chunks one at a time. Appending a chunk is one write() of at most a few MiB into
// the page cache, cheap enough for gRPC's callback thread. The call finishes exactly once:
// from a read, or from the deadline thread.
class UploadReactor final : public grpc::ServerReadReactor<v1::UploadCaptureRequest> {
 public:
  UploadReactor(grpc::CallbackServerContext* ctx, UploadStore* store, CaptureRegistry* captures,
                WorkerPool* pool, StreamDeadlines* deadlines, v1::UploadCaptureResponse* response)
      : ctx_(ctx),
        store_(store),
        captures_(captures),
        pool_(pool),
        deadlines_(deadlines),
        response_(response) {
    deadline_id_ = deadlines_->Add(
        [this](StreamDeadlines::Expiry why) { FinishOnce(ExpiredStatus(why, *deadlines_)); });
    StartRead(&chunk_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {  // the caller closed its side, or the call is gone
      if (cancelled_.load() || ctx_->IsCancelled()) {
        FinishOnce(
            ToGrpcStatus(ReasonError(absl::StatusCode::kCancelled, v1::ERROR_REASON_CALL_CANCELLED,
                                     "the upload was cancelled")));
        return;
      }
      Complete();
      return;
    }
    if (finished()) return;  // expired meanwhile
    deadlines_->Touch(deadline_id_);
    if (absl::Status strings = CheckRequestStrings(chunk_); !strings.ok()) {
      FinishOnce(ToGrpcStatus(strings));
      return;
    }
    if (first_) {
      name_ = chunk_.name();
      first_ = false;
    }
    if (!chunk_.data().empty()) {
      absl::Status appended = Append();
      if (!appended.ok()) {
        FinishOnce(ToGrpcStatus(appended));
        return;
      }
    }
    StartRead(&chunk_);
  }

  void OnCancel() override { cancelled_.store(true); }
  void OnDone() override {  // drops an unfinished upload with its file
    deadlines_->Remove(deadline_id_);
    delete this;
  }

 private:
  // The store's slot is taken with the first byte, not when the stream opens.
  absl::Status Append() {
    if (pending_ == nullptr) {
      absl::StatusOr<std::unique_ptr<PendingUpload>> pending = store_->Begin();
      if (!pending.ok()) return pending.status();
      pending_ = std::move(*pending);
    }
    return pending_->Append(chunk_.data());
  }

  // The bytes are checked and hashed on the worker pool, not on gRPC's callback thread.
  void Complete() {
    if (!Claim()) return;  // expired meanwhile: nothing is stored
    if (pending_ == nullptr) {
      Finish(ToGrpcStatus(EmptyUploadError()));
      return;
    }
    absl::StatusOr<UploadInfo> info = pending_->Commit(name_);
    if (!info.ok()) {
      Finish(ToGrpcStatus(info.status()));
      return;
    }
    std::string source = info->name.empty() ? "upload" : absl::StrCat("upload:", info->name);
    auto work = [this, file = info->file, source = std::move(source)] {
      absl::StatusOr<v1::Capture> capture =
          captures_->Register(file, source, [this] { return ctx_->IsCancelled(); });
      if (capture.ok()) *response_->mutable_capture() = std::move(*capture);
      Finish(ToGrpcStatus(capture.status()));
    };
    if (!pool_->Submit(std::move(work))) Finish(ToGrpcStatus(BusyError(*pool_)));
  }

  bool finished() {
    std::lock_guard<std::mutex> lock(mu_);
    return finished_;
  }

  // True for the one caller that may finish the call.
  bool Claim() {
    std::lock_guard<std::mutex> lock(mu_);
    if (finished_) return false;
    finished_ = true;
    return true;
  }

  void FinishOnce(const grpc::Status& status) {
    if (Claim()) Finish(status);
  }

  grpc::CallbackServerContext* ctx_;
  UploadStore* store_;
  CaptureRegistry* captures_;
  WorkerPool* pool_;
  StreamDeadlines* deadlines_;
  v1::UploadCaptureResponse* response_;
  uint64_t deadline_id_ = 0;
  std::unique_ptr<PendingUpload> pending_;
  v1::UploadCaptureRequest chunk_;
  std::string name_;
  bool first_ = true;
  std::atomic<bool> cancelled_{false};
  std::mutex mu_;
  bool finished_ = false;
};

}  // namespace

grpc::ServerReadReactor<v1::UploadCaptureRequest>* CaptureUploadService::UploadCapture(
    grpc::CallbackServerContext* ctx, v1::UploadCaptureResponse* response) {
  return new UploadReactor(ctx, store_, captures_, pool_, &deadlines_, response);
}

}  // namespace mcpcap

#include "backend/service/capture_upload_service.h"

#include <atomic>
#include <chrono>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "backend/base/time_format.h"
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
  UploadReactor(grpc::CallbackServerContext* ctx, UploadStore* store, StreamDeadlines* deadlines,
                v1::UploadCaptureResponse* response)
      : ctx_(ctx), store_(store), deadlines_(deadlines), response_(response) {
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

  void Complete() {
    if (!Claim()) return;  // expired meanwhile: nothing is stored
    Finish(CommitStatus());
  }

  grpc::Status CommitStatus() {
    if (pending_ == nullptr) {
      return ToGrpcStatus(EmptyUploadError());
    }
    absl::StatusOr<UploadInfo> info = pending_->Commit(name_);
    if (!info.ok()) return ToGrpcStatus(info.status());
    const auto expires =
        std::chrono::duration_cast<std::chrono::seconds>(info->expires.time_since_epoch());
    const auto ttl = std::chrono::duration_cast<std::chrono::seconds>(
        info->expires - std::chrono::system_clock::now());
    response_->set_pcap_file(info->handle);
    response_->set_size_bytes(info->size_bytes);
    response_->set_expires_at(FormatUtcIso(expires.count(), 0, 0));
    response_->set_ttl_seconds(static_cast<uint32_t>(std::max<int64_t>(0, ttl.count())));
    return grpc::Status::OK;
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
  return new UploadReactor(ctx, store_, &deadlines_, response);
}

}  // namespace mcpcap

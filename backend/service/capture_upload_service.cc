#include "backend/service/capture_upload_service.h"

#include <atomic>
#include <chrono>

#include "backend/base/time_format.h"
#include "backend/service/status_conversion.h"

namespace mcpcap {
namespace {

// Receives chunks one at a time. Appending a chunk is one write() of at most a few MiB into
// the page cache, cheap enough for gRPC's callback thread.
class UploadReactor final : public grpc::ServerReadReactor<v1::CaptureChunk> {
 public:
  UploadReactor(grpc::CallbackServerContext* ctx, UploadStore* store, v1::UploadedCapture* response)
      : ctx_(ctx), response_(response) {
    absl::StatusOr<std::unique_ptr<PendingUpload>> pending = store->Begin();
    if (!pending.ok()) {
      Finish(ToGrpcStatus(pending.status()));
      return;
    }
    pending_ = std::move(*pending);
    StartRead(&chunk_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {  // the caller closed its side, or the call is gone
      if (cancelled_.load() || ctx_->IsCancelled()) {
        Finish(grpc::Status(grpc::StatusCode::CANCELLED, "the upload was cancelled"));
        return;
      }
      Complete();
      return;
    }
    if (first_) {
      name_ = chunk_.name();
      first_ = false;
    }
    absl::Status appended = pending_->Append(chunk_.data());
    if (!appended.ok()) {
      Finish(ToGrpcStatus(appended));
      return;
    }
    StartRead(&chunk_);
  }

  void OnCancel() override { cancelled_.store(true); }
  void OnDone() override { delete this; }  // drops an unfinished upload with its file

 private:
  void Complete() {
    absl::StatusOr<UploadInfo> info = pending_->Commit(name_);
    if (!info.ok()) {
      Finish(ToGrpcStatus(info.status()));
      return;
    }
    const auto expires =
        std::chrono::duration_cast<std::chrono::seconds>(info->expires.time_since_epoch());
    const auto ttl = std::chrono::duration_cast<std::chrono::seconds>(
        info->expires - std::chrono::system_clock::now());
    response_->set_pcap_file(info->handle);
    response_->set_size_bytes(info->size_bytes);
    response_->set_expires_at(FormatUtcIso(expires.count(), 0, 0));
    response_->set_ttl_seconds(static_cast<uint32_t>(std::max<int64_t>(0, ttl.count())));
    Finish(grpc::Status::OK);
  }

  grpc::CallbackServerContext* ctx_;
  v1::UploadedCapture* response_;
  std::unique_ptr<PendingUpload> pending_;
  v1::CaptureChunk chunk_;
  std::string name_;
  bool first_ = true;
  std::atomic<bool> cancelled_{false};
};

}  // namespace

grpc::ServerReadReactor<v1::CaptureChunk>* CaptureUploadService::UploadCapture(
    grpc::CallbackServerContext* ctx, v1::UploadedCapture* response) {
  return new UploadReactor(ctx, store_, response);
}

}  // namespace mcpcap

// Captures sent by callers over gRPC (CaptureUploadService.UploadCapture), received into unlinked
// temporary files, then held as capture resources (capture_registry.h). The store bounds what
// uploads take: size, count, total bytes and lifetime of the files it received.
#ifndef MCPCAP_BACKEND_SOURCE_UPLOAD_STORE_H_
#define MCPCAP_BACKEND_SOURCE_UPLOAD_STORE_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "backend/source/held_file.h"
#include "backend/source/temp_dir.h"

namespace mcpcap {

struct UploadLimits {
  uint64_t max_bytes = uint64_t{256} << 20;             // one upload (--max-upload-bytes)
  uint64_t max_total_bytes = uint64_t{1} << 30;         // all uploads held at once
  uint32_t max_count = 32;                              // finished uploads held (--max-uploads)
  uint32_t max_unfinished = 8;                          // --max-unfinished-uploads
  std::chrono::seconds ttl = std::chrono::minutes(15);  // --upload-ttl-seconds
  // An unfinished upload is dropped after this long without a chunk, or this long in all.
  std::chrono::milliseconds idle_timeout = std::chrono::seconds(30);
  std::chrono::milliseconds total_timeout = std::chrono::minutes(10);
};

struct UploadInfo {
  std::string name;  // the caller's file name, reduced to [A-Za-z0-9._-] and bounded
  uint64_t size_bytes = 0;
  std::chrono::system_clock::time_point expires;
  std::shared_ptr<const HeldFile> file;  // the received bytes
};

class UploadStore;

// An upload being received; dropped without Commit() it frees its reservation.
class PendingUpload {
 public:
  ~PendingUpload();
  PendingUpload(const PendingUpload&) = delete;
  PendingUpload& operator=(const PendingUpload&) = delete;

  // RESOURCE_EXHAUSTED past the per-upload or total limit.
  absl::Status Append(absl::string_view bytes);
  // Holds the upload; `name` (optional, e.g. "incident.pcap") is kept cleaned in the info.
  // RESOURCE_EXHAUSTED when other uploads filled the store meanwhile.
  absl::StatusOr<UploadInfo> Commit(absl::string_view name);
  uint64_t size() const { return size_; }

 private:
  friend class UploadStore;
  PendingUpload(UploadStore* store, std::unique_ptr<HeldFile> file)
      : store_(store), file_(std::move(file)) {}
  UploadStore* store_;
  std::unique_ptr<HeldFile> file_;
  uint64_t size_ = 0;
  bool committed_ = false;
};

// INVALID_ARGUMENT on UploadCaptureRequest.data: an upload that sent no bytes.
absl::Status EmptyUploadError();

class UploadStore {
 public:
  // `temp_dir` must outlive the store.
  UploadStore(UploadLimits limits, const TempDir* temp_dir);

  // RESOURCE_EXHAUSTED, naming the limit, when max_count finished uploads are held or
  // max_unfinished are being received.
  absl::StatusOr<std::unique_ptr<PendingUpload>> Begin();
  size_t held();        // uploads held now (expired ones are dropped first)
  size_t unfinished();  // uploads being received now
  const UploadLimits& limits() const { return limits_; }

 private:
  friend class PendingUpload;
  struct Entry {
    std::shared_ptr<const HeldFile> file;
    uint64_t size;
    std::chrono::steady_clock::time_point expires;
  };
  void DropExpiredLocked();
  absl::Status HeldLimitLocked() const;  // RESOURCE_EXHAUSTED when max_count are held
  bool Reserve(uint64_t more);           // counts bytes of uploads in progress against the total
  void Release(uint64_t bytes, bool slot);

  const UploadLimits limits_;
  const TempDir* temp_dir_;
  std::mutex mu_;
  std::map<std::string, Entry> entries_;  // by id
  uint32_t pending_ = 0;
  uint64_t total_bytes_ = 0;  // committed and in progress
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SOURCE_UPLOAD_STORE_H_

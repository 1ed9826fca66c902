#include "backend/source/upload_store.h"

#include <sys/random.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "backend/base/error_details.h"
#include "backend/base/status_macros.h"

namespace mcpcap {
namespace {

constexpr size_t kMaxNameLength = 100;

// 128 random bits: ids cannot be guessed by other callers.
std::string NewId() {
  unsigned char raw[16];
  size_t got = 0;
  while (got < sizeof raw) {
    const ssize_t n = ::getrandom(raw + got, sizeof raw - got, 0);
    if (n > 0) got += static_cast<size_t>(n);
  }
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(raw), sizeof raw));
}

// Keeps a display name harmless: letters, digits, '.', '-' and '_' only.
std::string CleanName(absl::string_view name) {
  std::string out;
  for (char c : name) {
    if (out.size() >= kMaxNameLength) break;
    out.push_back(absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ||
                          c == '_'
                      ? c
                      : '_');
  }
  return out;
}

absl::Status StoreFull(const std::string& message, ErrorFacts facts) {
  return ReasonError(absl::StatusCode::kResourceExhausted, v1::ERROR_REASON_UPLOAD_STORE_FULL,
                     message, facts);
}

absl::Status AlreadyComplete() {
  return ReasonError(absl::StatusCode::kFailedPrecondition, v1::ERROR_REASON_SERVER_ERROR,
                     "the upload is already complete");
}

}  // namespace

absl::Status EmptyUploadError() {
  return FieldError("data", "the upload is empty: no capture bytes sent");
}

PendingUpload::~PendingUpload() {
  if (!committed_) store_->Release(size_, true);
}

absl::Status PendingUpload::Append(absl::string_view bytes) {
  if (committed_) return AlreadyComplete();
  if (size_ + bytes.size() > store_->limits_.max_bytes) {
    return ReasonError(absl::StatusCode::kResourceExhausted, v1::ERROR_REASON_UPLOAD_TOO_LARGE,
                       absl::StrCat("the uploaded capture is larger than the limit of ",
                                    store_->limits_.max_bytes, " bytes (--max-upload-bytes)"),
                       {{"limit_bytes", absl::StrCat(store_->limits_.max_bytes)},
                        {"size_bytes", absl::StrCat(size_ + bytes.size())}});
  }
  if (!store_->Reserve(bytes.size())) {
    return StoreFull(
        absl::StrCat("mcpcapd holds too many uploaded bytes (limit ",
                     store_->limits_.max_total_bytes, "); retry when earlier uploads expire"),
        {{"limit_bytes", absl::StrCat(store_->limits_.max_total_bytes)}});
  }
  size_ += bytes.size();
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t w = ::write(file_->fd(), bytes.data() + done, bytes.size() - done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      return ReasonError(
          absl::StatusCode::kResourceExhausted, v1::ERROR_REASON_SERVER_ERROR,
          absl::StrCat("storing the uploaded capture failed: ", w < 0 ? std::strerror(errno) : ""));
    }
    done += static_cast<size_t>(w);
  }
  return absl::OkStatus();
}

absl::StatusOr<UploadInfo> PendingUpload::Commit(absl::string_view name) {
  if (committed_) return AlreadyComplete();
  if (size_ == 0) return EmptyUploadError();
  const std::string id = NewId();
  UploadInfo info;
  info.name = CleanName(name);
  info.size_bytes = size_;
  info.expires = std::chrono::system_clock::now() + store_->limits_.ttl;
  {
    std::lock_guard<std::mutex> lock(store_->mu_);
    store_->DropExpiredLocked();
    RETURN_IF_ERROR(store_->HeldLimitLocked());
    info.file = std::shared_ptr<const HeldFile>(std::move(file_));
    UploadStore::Entry entry{info.file, size_,
                             std::chrono::steady_clock::now() + store_->limits_.ttl};
    store_->entries_.emplace(id, std::move(entry));
    --store_->pending_;
  }
  committed_ = true;
  return info;
}

UploadStore::UploadStore(UploadLimits limits, const TempDir* temp_dir)
    : limits_(limits), temp_dir_(temp_dir) {}

void UploadStore::DropExpiredLocked() {
  const auto now = std::chrono::steady_clock::now();
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (it->second.expires <= now) {
      total_bytes_ -= it->second.size;
      it = entries_.erase(it);
    } else {
      ++it;
    }
  }
}

absl::Status UploadStore::HeldLimitLocked() const {
  if (entries_.size() < limits_.max_count) return absl::OkStatus();
  return StoreFull(absl::StrCat("mcpcapd already holds ", limits_.max_count,
                                " uploaded captures (--max-uploads); retry when earlier uploads "
                                "expire"),
                   {{"flag", "--max-uploads"}, {"limit", absl::StrCat(limits_.max_count)}});
}

absl::StatusOr<std::unique_ptr<PendingUpload>> UploadStore::Begin() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    DropExpiredLocked();
    RETURN_IF_ERROR(HeldLimitLocked());
    if (pending_ >= limits_.max_unfinished) {
      return StoreFull(
          absl::StrCat("mcpcapd is already receiving ", limits_.max_unfinished,
                       " unfinished uploads (--max-unfinished-uploads); retry when "
                       "one of them ends"),
          {{"flag", "--max-unfinished-uploads"}, {"limit", absl::StrCat(limits_.max_unfinished)}});
    }
    ++pending_;
  }
  absl::StatusOr<std::unique_ptr<HeldFile>> file = temp_dir_->NewFile();
  if (!file.ok()) {
    Release(0, true);
    return file.status();
  }
  return std::unique_ptr<PendingUpload>(new PendingUpload(this, std::move(*file)));
}

bool UploadStore::Reserve(uint64_t more) {
  std::lock_guard<std::mutex> lock(mu_);
  if (total_bytes_ + more > limits_.max_total_bytes) return false;
  total_bytes_ += more;
  return true;
}

void UploadStore::Release(uint64_t bytes, bool slot) {
  std::lock_guard<std::mutex> lock(mu_);
  total_bytes_ -= bytes;
  if (slot) --pending_;
}

size_t UploadStore::unfinished() {
  std::lock_guard<std::mutex> lock(mu_);
  return pending_;
}

size_t UploadStore::held() {
  std::lock_guard<std::mutex> lock(mu_);
  DropExpiredLocked();
  return entries_.size();
}

}  // namespace mcpcap

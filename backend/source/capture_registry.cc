#include "backend/source/capture_registry.h"

#include <sys/stat.h>
#include <unistd.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "backend/base/error_details.h"
#include "backend/base/proto_time.h"
#include "backend/base/status_macros.h"
#include "backend/source/capture_reader.h"
#include "backend/source/file_hashes.h"

namespace mcpcap {
namespace {

// 128 bits of SHA-256: collisions are out of reach, and names stay short.
constexpr size_t kIdDigits = 32;

bool IsGzip(int fd) {
  unsigned char magic[2] = {0, 0};
  return pread(fd, magic, sizeof magic, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
}

int64_t FileSize(int fd) {
  struct stat st;
  return fstat(fd, &st) == 0 ? static_cast<int64_t>(st.st_size) : -1;
}

absl::StatusOr<std::string> IdOfName(const std::string& name, absl::string_view field) {
  const bool well_formed =
      absl::StartsWith(name, kCaptureNamePrefix) &&
      name.size() == sizeof(kCaptureNamePrefix) - 1 + kIdDigits &&
      std::all_of(name.begin() + sizeof(kCaptureNamePrefix) - 1, name.end(),
                  [](char c) { return absl::ascii_isdigit(c) || (c >= 'a' && c <= 'f'); });
  if (!well_formed) {
    return FieldError(
        field, absl::StrCat("'", name, "' is not a capture name: expected \"captures/\" and ",
                            kIdDigits, " lowercase hex digits, as CreateCapture returns"));
  }
  return name.substr(sizeof(kCaptureNamePrefix) - 1);
}

absl::Status NotFound(const std::string& name) {
  return ReasonError(absl::StatusCode::kNotFound, v1::ERROR_REASON_CAPTURE_RESOURCE_NOT_FOUND,
                     absl::StrCat("capture '", name,
                                  "' is unknown or has expired; create or upload it again "
                                  "(the same bytes get the same name)"),
                     {{"capture", name}});
}

void SetSystemTime(std::chrono::system_clock::time_point t, google::protobuf::Timestamp* out) {
  SetTimestampNanos(
      std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count(), out);
}

}  // namespace

absl::StatusOr<v1::Capture> CaptureRegistry::Register(std::shared_ptr<const HeldFile> file,
                                                      const std::string& source,
                                                      const std::function<bool()>& cancelled) {
  // The reader checks the header (and a gzip stream's first bytes) as an analysis would.
  ASSIGN_OR_RETURN(std::unique_ptr<CaptureReader> reader,
                   CaptureReader::Open(file->path(), source));
  const v1::CaptureFormat format = ToProtoFormat(reader->info().format);
  reader.reset();
  ASSIGN_OR_RETURN(FileHashes hashes, HashFile(file->path(), /*all=*/false, cancelled));
  if (!hashes.sha256) {
    return ReasonError(absl::StatusCode::kFailedPrecondition, v1::ERROR_REASON_SERVER_ERROR,
                       "mcpcapd's crypto library offers no SHA-256");
  }
  const std::string id = hashes.sha256->substr(0, kIdDigits);

  std::lock_guard<std::mutex> lock(mu_);
  DropExpiredLocked();
  auto it = entries_.find(id);
  if (it != entries_.end()) return Expiring(it->second);
  if (entries_.size() >= limits_.max_count) {
    return ReasonError(absl::StatusCode::kResourceExhausted, v1::ERROR_REASON_CAPTURE_STORE_FULL,
                       absl::StrCat("mcpcapd already holds ", limits_.max_count,
                                    " captures (--max-captures); retry when earlier ones expire, "
                                    "or delete ones no longer needed"),
                       {{"limit", absl::StrCat(limits_.max_count)}});
  }
  Entry entry;
  v1::Capture& c = entry.held.capture;
  c.set_name(absl::StrCat(kCaptureNamePrefix, id));
  c.set_source(source);
  c.set_sha256(*hashes.sha256);
  c.set_size_bytes(static_cast<uint64_t>(std::max<int64_t>(0, FileSize(file->fd()))));
  c.set_format(format);
  c.set_gzip(IsGzip(file->fd()));
  SetNow(c.mutable_create_time());
  entry.held.file = std::move(file);
  return Expiring(entries_.emplace(id, std::move(entry)).first->second);
}

v1::Capture CaptureRegistry::Expiring(Entry& entry) {
  entry.expires = std::chrono::steady_clock::now() + limits_.ttl;
  SetSystemTime(std::chrono::system_clock::now() + limits_.ttl,
                entry.held.capture.mutable_expire_time());
  return entry.held.capture;
}

absl::StatusOr<HeldCapture> CaptureRegistry::Find(const std::string& name,
                                                  absl::string_view field) {
  ASSIGN_OR_RETURN(std::string id, IdOfName(name, field));
  std::lock_guard<std::mutex> lock(mu_);
  DropExpiredLocked();
  auto it = entries_.find(id);
  if (it == entries_.end()) return NotFound(name);
  const HeldCapture& held = it->second.held;
  // A capture from a path shares its file with whoever else may write it.
  if (FileSize(held.file->fd()) != static_cast<int64_t>(held.capture.size_bytes())) {
    return ReasonError(absl::StatusCode::kFailedPrecondition, v1::ERROR_REASON_CAPTURE_CHANGED,
                       absl::StrCat("the file behind capture '", name, "' (", held.capture.source(),
                                    ") changed size since it was created; create it again"),
                       {{"capture", name}});
  }
  return held;
}

absl::Status CaptureRegistry::Delete(const std::string& name, absl::string_view field) {
  ASSIGN_OR_RETURN(std::string id, IdOfName(name, field));
  std::lock_guard<std::mutex> lock(mu_);
  DropExpiredLocked();
  if (entries_.erase(id) == 0) return NotFound(name);
  return absl::OkStatus();
}

size_t CaptureRegistry::held() {
  std::lock_guard<std::mutex> lock(mu_);
  DropExpiredLocked();
  return entries_.size();
}

void CaptureRegistry::DropExpiredLocked() {
  const auto now = std::chrono::steady_clock::now();
  for (auto it = entries_.begin(); it != entries_.end();) {
    it = it->second.expires <= now ? entries_.erase(it) : std::next(it);
  }
}

}  // namespace mcpcap

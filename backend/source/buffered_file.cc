#include "backend/source/buffered_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "backend/source/capture_errors.h"
#include "backend/source/gzip_source.h"
#include "backend/source/limits.h"

namespace mcpcap {
namespace {

absl::Status OpenError(int err, const std::string& name) {
  switch (err) {
    case ENOENT:
    case ENOTDIR:
      return CaptureError(absl::StatusCode::kNotFound, v1::ERROR_REASON_CAPTURE_NOT_FOUND, name,
                          absl::StrCat("capture '", name, "' not found"));
    case EACCES:
    case EPERM:
      return CaptureError(absl::StatusCode::kPermissionDenied, v1::ERROR_REASON_CAPTURE_UNREADABLE,
                          name,
                          absl::StrCat("capture '", name, "' cannot be read: permission denied"));
    default:
      return CaptureError(
          absl::StatusCode::kInvalidArgument, v1::ERROR_REASON_CAPTURE_UNREADABLE, name,
          absl::StrCat("capture '", name, "' cannot be opened: ", std::strerror(err)));
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<BufferedFile>> BufferedFile::Open(const std::string& path,
                                                                 const std::string& display_name,
                                                                 uint64_t max_decompressed_bytes) {
  if (path.empty()) return FieldError("pcap_file", "no capture file given (pcap_file is empty)");
  // O_NONBLOCK: opening a FIFO must not hang; it is refused below as not a regular file.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) return OpenError(errno, display_name);
  struct stat st;
  absl::Status problem;
  if (::fstat(fd, &st) != 0) {
    problem = OpenError(errno, display_name);
  } else if (S_ISDIR(st.st_mode)) {
    problem = NotACaptureFile(display_name, absl::StrCat("capture '", display_name,
                                                         "' is a directory, not a capture file"));
  } else if (!S_ISREG(st.st_mode)) {
    problem = NotACaptureFile(display_name,
                              absl::StrCat("capture '", display_name, "' is not a regular file"));
  } else if (st.st_size == 0) {
    problem = NotACaptureFile(
        display_name,
        absl::StrCat("capture '", display_name, "' is empty (0 bytes): not a capture file"));
  }
  if (!problem.ok()) {
    ::close(fd);
    return problem;
  }
  ::fcntl(fd, F_SETFL, 0);  // blocking reads from here on
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  uint8_t magic[3] = {0, 0, 0};
  const bool gzip = ::pread(fd, magic, sizeof magic, 0) == sizeof magic && IsGzipMagic(magic);
  std::unique_ptr<ByteSource> source = MakeFdSource(fd);
  if (gzip) source = MakeGzipSource(std::move(source), max_decompressed_bytes);
  return std::unique_ptr<BufferedFile>(
      new BufferedFile(std::move(source), static_cast<uint64_t>(st.st_size), gzip));
}

BufferedFile::BufferedFile(std::unique_ptr<ByteSource> source, uint64_t size, bool compressed)
    : source_(std::move(source)), size_(size), compressed_(compressed) {}

BufferedFile::~BufferedFile() = default;

bool BufferedFile::Grow(size_t needed) {
  if (needed > kMaxBlockBytes + size_t{64}) return false;  // a corrupt length, not a real need
  // A compressed file expands: its size on disk says little about the buffer it needs.
  size_t capacity = capacity_     ? capacity_
                    : compressed_ ? kChunk
                                  : std::min<size_t>(kChunk, size_ + 64);
  while (capacity < needed) capacity *= 2;
  if (capacity == capacity_) return true;
  std::unique_ptr<uint8_t[]> bigger(new uint8_t[capacity]);
  if (end_ > start_) std::memcpy(bigger.get(), buffer_.get() + start_, end_ - start_);
  end_ -= start_;
  start_ = 0;
  buffer_ = std::move(bigger);
  capacity_ = capacity;
  return true;
}

bool BufferedFile::Ensure(size_t n) {
  if (available() >= n) return true;
  if (eof_) return false;
  if (capacity_ < n && !Grow(n)) return false;
  if (capacity_ - start_ < n) {  // slide the unread tail to the front
    std::memmove(buffer_.get(), buffer_.get() + start_, end_ - start_);
    end_ -= start_;
    start_ = 0;
  }
  while (available() < n) {
    const ssize_t got = source_->Read(buffer_.get() + end_, capacity_ - end_);
    if (got > 0) {
      end_ += static_cast<size_t>(got);
    } else {
      if (got < 0) read_error_ = source_->error();
      eof_ = true;
      return false;
    }
  }
  return true;
}

}  // namespace mcpcap

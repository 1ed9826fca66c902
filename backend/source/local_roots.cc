#include "backend/source/local_roots.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "backend/source/capture_errors.h"

namespace mcpcap {
namespace {

// realpath(3) into a std::string; empty on failure (errno set).
std::string RealPath(const std::string& path) {
  char resolved[PATH_MAX];
  if (::realpath(path.c_str(), resolved) == nullptr) return "";
  return resolved;
}

// The path the kernel holds for an open descriptor.
std::string PathOfDescriptor(int fd) {
  char target[PATH_MAX];
  const std::string link = absl::StrCat("/proc/self/fd/", fd);
  const ssize_t n = ::readlink(link.c_str(), target, sizeof target - 1);
  if (n <= 0) return "";
  return std::string(target, static_cast<size_t>(n));
}

std::string Lexical(const std::string& path) {
  std::filesystem::path p(path);
  if (p.is_relative()) {
    std::error_code ec;
    p = std::filesystem::current_path(ec) / p;
  }
  return p.lexically_normal().string();
}

absl::Status NotFound(const std::string& path) {
  return CaptureError(absl::StatusCode::kNotFound, v1::ERROR_REASON_CAPTURE_NOT_FOUND, path,
                      absl::StrCat("capture '", path, "' not found"));
}

}  // namespace

absl::StatusOr<LocalRoots> LocalRoots::Create(const std::vector<std::string>& dirs) {
  LocalRoots roots;
  for (const std::string& dir : dirs) {
    std::string real = RealPath(dir);
    struct stat st;
    if (real.empty() || ::stat(real.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--root '", dir, "' is not an existing directory"));
    }
    if (real.size() > 1 && real.back() == '/') real.pop_back();
    roots.roots_.push_back(std::move(real));
  }
  return roots;
}

bool LocalRoots::Inside(const std::string& resolved) const {
  for (const std::string& root : roots_) {
    if (root == "/") return true;
    if (resolved.size() > root.size() && resolved.compare(0, root.size(), root) == 0 &&
        resolved[root.size()] == '/') {
      return true;
    }
  }
  return false;
}

absl::Status LocalRoots::Outside(const std::string& path) const {
  return CaptureError(
      absl::StatusCode::kPermissionDenied, v1::ERROR_REASON_CAPTURE_OUTSIDE_ROOTS, path,
      absl::StrCat("capture '", path, "' is outside the directories mcpcapd may read (--root ",
                   absl::StrJoin(roots_, ", --root "), ")"));
}

absl::StatusOr<std::unique_ptr<HeldFile>> LocalRoots::Open(const std::string& path) const {
  const std::string real = RealPath(path);
  if (real.empty()) {
    const int err = errno;
    // Say "not found" only inside the roots, so the answer tells nothing about other places.
    if (!Inside(Lexical(path))) return Outside(path);
    if (err == ENOENT || err == ENOTDIR) return NotFound(path);
    return CaptureError(
        absl::StatusCode::kPermissionDenied, v1::ERROR_REASON_CAPTURE_UNREADABLE, path,
        absl::StrCat("capture '", path, "' cannot be resolved: ", std::strerror(err)));
  }
  if (!Inside(real)) return Outside(path);
  struct stat st;
  if (::stat(real.c_str(), &st) != 0) return NotFound(path);
  if (S_ISDIR(st.st_mode)) {
    return NotACaptureFile(path,
                           absl::StrCat("capture '", path, "' is a directory, not a capture file"));
  }
  if (!S_ISREG(st.st_mode)) {
    return NotACaptureFile(path, absl::StrCat("capture '", path, "' is not a regular file"));
  }
  // O_NOFOLLOW and the checks below catch a path swapped after it was resolved.
  const int fd = ::open(real.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW);
  if (fd < 0) {
    const int err = errno;
    if (err == EACCES || err == EPERM) {
      return CaptureError(absl::StatusCode::kPermissionDenied, v1::ERROR_REASON_CAPTURE_UNREADABLE,
                          path,
                          absl::StrCat("capture '", path, "' cannot be read: permission denied"));
    }
    return CaptureError(
        absl::StatusCode::kNotFound, v1::ERROR_REASON_CAPTURE_NOT_FOUND, path,
        absl::StrCat("capture '", path, "' cannot be opened: ", std::strerror(err)));
  }
  struct stat opened;
  const bool same = ::fstat(fd, &opened) == 0 && S_ISREG(opened.st_mode) &&
                    opened.st_dev == st.st_dev && opened.st_ino == st.st_ino;
  const std::string held = HaveProcFd() ? PathOfDescriptor(fd) : real;
  if (!same || !Inside(held)) {
    ::close(fd);
    return CaptureError(
        absl::StatusCode::kPermissionDenied, v1::ERROR_REASON_CAPTURE_UNREADABLE, path,
        absl::StrCat("capture '", path, "' changed while it was being opened; refused"));
  }
  ::fcntl(fd, F_SETFL, 0);
  return std::make_unique<HeldFile>(fd, HaveProcFd() ? absl::StrCat("/proc/self/fd/", fd) : real);
}

}  // namespace mcpcap

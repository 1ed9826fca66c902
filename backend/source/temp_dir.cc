#include "backend/source/temp_dir.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "backend/base/error_details.h"
#include "tools/tempdir/owned_temp_dir.h"

namespace mcpcap {
namespace {

constexpr char kTempDirPrefix[] = "mcpcapd";

}  // namespace

absl::StatusOr<std::unique_ptr<TempDir>> TempDir::Create(const std::string& parent) {
  std::string base = parent;
  if (base.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    base = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
  }
  RemoveStaleTempDirs(base, kTempDirPrefix);  // a killed mcpcapd's, left behind
  absl::StatusOr<std::string> path = MakeOwnedTempDir(base, kTempDirPrefix);
  if (!path.ok()) return path.status();
  return std::unique_ptr<TempDir>(new TempDir(std::move(*path)));
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

absl::StatusOr<std::unique_ptr<HeldFile>> TempDir::NewFile() const {
  if (HaveProcFd()) {
    int fd = ::open(path_.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0) {  // a file system without O_TMPFILE: create, then unlink at once
      std::string name = absl::StrCat(path_, "/capture-XXXXXX");
      fd = ::mkostemp(name.data(), O_CLOEXEC);
      if (fd >= 0) ::unlink(name.c_str());
    }
    if (fd >= 0) return std::make_unique<HeldFile>(fd, absl::StrCat("/proc/self/fd/", fd));
  } else {
    std::string name = absl::StrCat(path_, "/capture-XXXXXX");
    const int fd = ::mkostemp(name.data(), O_CLOEXEC);
    if (fd >= 0) return std::make_unique<HeldFile>(fd, name, name);
  }
  return ReasonError(
      absl::StatusCode::kUnavailable, v1::ERROR_REASON_SERVER_ERROR,
      absl::StrCat("cannot create a temporary file in ", path_, ": ", std::strerror(errno)));
}

}  // namespace mcpcap

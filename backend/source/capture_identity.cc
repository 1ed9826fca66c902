#include "backend/source/capture_identity.h"

#include <sys/stat.h>

#include "absl/strings/str_cat.h"
#include "backend/base/status_macros.h"
#include "backend/source/file_hashes.h"

namespace mcpcap {

absl::StatusOr<std::string> CaptureIdentity(const CaptureLocation& location,
                                            const std::function<bool()>& cancelled) {
  if (!location.held_name.empty()) return absl::StrCat("held ", location.held_name);
  if (IsUrl(location.source)) {
    ASSIGN_OR_RETURN(FileHashes hashes, HashFile(location.local_path, false, cancelled));
    if (!hashes.sha256) return absl::UnavailableError("no SHA-256 for the download");
    return absl::StrCat("sha256 ", *hashes.sha256);
  }
  struct stat st;
  const int rc = location.hold != nullptr ? ::fstat(location.hold->fd(), &st)
                                          : ::stat(location.local_path.c_str(), &st);
  if (rc != 0 || !S_ISREG(st.st_mode)) return absl::UnavailableError("not a regular file");
  return absl::StrCat("file ", st.st_dev, ":", st.st_ino, " ", st.st_size, " ", st.st_mtim.tv_sec,
                      ".", st.st_mtim.tv_nsec, " ", st.st_ctim.tv_sec, ".", st.st_ctim.tv_nsec);
}

}  // namespace mcpcap

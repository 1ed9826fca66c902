// The directories local captures may be read from (mcpcapd --root, repeatable). A path is
// resolved with its symlinks and must land inside a root, on a regular file; the file is then
// held open, so the checked file is the one analysed.
#ifndef MCPCAP_BACKEND_SOURCE_LOCAL_ROOTS_H_
#define MCPCAP_BACKEND_SOURCE_LOCAL_ROOTS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "backend/source/held_file.h"

namespace mcpcap {

class LocalRoots {
 public:
  // Each directory is resolved now (relative ones against the working directory).
  // INVALID_ARGUMENT when one does not exist or is not a directory.
  static absl::StatusOr<LocalRoots> Create(const std::vector<std::string>& dirs);
  LocalRoots() = default;  // no roots: every path is allowed

  bool restricted() const { return !roots_.empty(); }
  const std::vector<std::string>& roots() const { return roots_; }

  // Opens `path` (shown as given in messages). PERMISSION_DENIED outside the roots, whether
  // or not the file exists there; NOT_FOUND inside; INVALID_ARGUMENT for a directory or any
  // other non-regular file.
  absl::StatusOr<std::unique_ptr<HeldFile>> Open(const std::string& path) const;

 private:
  bool Inside(const std::string& resolved) const;
  absl::Status Outside(const std::string& path) const;

  std::vector<std::string> roots_;  // resolved, without a trailing slash
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SOURCE_LOCAL_ROOTS_H_

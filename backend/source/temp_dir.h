// Private storage for downloaded and uploaded captures: one mkdtemp directory (0700) per
// process, named after it ("mcpcapd-<pid>-..."), removed with the object; creating one first
// removes those of mcpcapd processes that are gone. Files are unlinked as soon as they exist and
// live on as open descriptors, so nothing is left behind on any path, even when the process is
// killed; only without /proc are they named files, removed when closed.
#ifndef MCPCAP_BACKEND_SOURCE_TEMP_DIR_H_
#define MCPCAP_BACKEND_SOURCE_TEMP_DIR_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "backend/source/held_file.h"

namespace mcpcap {

class TempDir {
 public:
  // Under $TMPDIR (or /tmp) unless `parent` is given; removes a dead mcpcapd's folders there.
  static absl::StatusOr<std::unique_ptr<TempDir>> Create(const std::string& parent = "");
  ~TempDir();  // removes whatever is left in it, then the directory
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // A new empty file, readable and writable through its descriptor.
  absl::StatusOr<std::unique_ptr<HeldFile>> NewFile() const;

 private:
  explicit TempDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SOURCE_TEMP_DIR_H_

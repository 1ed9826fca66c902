// Private temporary folders whose name says which process made them:
// "<prefix>-<pid>-<start ticks>-<boot id>-XXXXXX". A process that dies without cleaning up
// (SIGKILL, a crash, a parent that could not wait) leaves its folder behind; the next process of
// the same kind removes it at start. The start time (clock ticks since boot, /proc/PID/stat) and
// the boot id tell a dead owner from a live process that reuses its pid, so a live owner's folder
// is never removed.
#ifndef MCPCAP_TOOLS_TEMPDIR_OWNED_TEMP_DIR_H_
#define MCPCAP_TOOLS_TEMPDIR_OWNED_TEMP_DIR_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mcpcap {

// Who made a folder: a process of one boot, started at `start_ticks`.
struct TempDirOwner {
  long pid = 0;
  unsigned long long start_ticks = 0;
  std::string boot_id;  // the first 8 hex digits of /proc/sys/kernel/random/boot_id
};

// This process.
TempDirOwner CurrentOwner();

// "<prefix>-<pid>-<ticks>-<boot>-" for `owner`; mkdtemp's XXXXXX follows.
std::string OwnedTempDirStem(absl::string_view prefix, const TempDirOwner& owner);

// mkdtemp (0700) of "<parent>/<stem>XXXXXX" for this process.
absl::StatusOr<std::string> MakeOwnedTempDir(const std::string& parent, absl::string_view prefix);

// True when the process that `owner` names is gone: another boot, no such pid, or a pid now
// held by a process that started at another time. False when unsure (no /proc).
bool OwnerIsGone(const TempDirOwner& owner);

// Removes every "<parent>/<prefix>-..." folder of this user whose owner is gone, with what is in
// it; folders of live owners, of other users, symlinks and foreign names are left alone.
// Returns how many were removed.
int RemoveStaleTempDirs(const std::string& parent, absl::string_view prefix);

}  // namespace mcpcap

#endif  // MCPCAP_TOOLS_TEMPDIR_OWNED_TEMP_DIR_H_

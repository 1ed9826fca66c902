#include "tools/tempdir/owned_temp_dir.h"

#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace mcpcap {
namespace {

constexpr size_t kBootIdDigits = 8;

std::string ReadSmallFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string BootId() {
  std::string id;
  for (char c : ReadSmallFile("/proc/sys/kernel/random/boot_id")) {
    if (absl::ascii_isxdigit(static_cast<unsigned char>(c))) id.push_back(c);
    if (id.size() == kBootIdDigits) break;
  }
  return id.size() == kBootIdDigits ? id : "";
}

// Field 22 of /proc/PID/stat; the command name (field 2) may hold spaces and parentheses, so
// fields are counted after its last ')'. False when the process or /proc is not there.
bool StartTicks(long pid, unsigned long long* ticks) {
  const std::string stat = ReadSmallFile(absl::StrCat("/proc/", pid, "/stat"));
  const size_t close = stat.rfind(')');
  if (close == std::string::npos) return false;
  const std::vector<absl::string_view> fields =
      absl::StrSplit(absl::string_view(stat).substr(close + 1), ' ', absl::SkipEmpty());
  constexpr size_t kStartTimeAfterName = 19;  // field 22 is the 20th after the name
  return fields.size() > kStartTimeAfterName &&
         absl::SimpleAtoi(fields[kStartTimeAfterName], ticks);
}

// "<pid>-<ticks>-<boot>-XXXXXX" after "<prefix>-"; false for any other name.
bool ParseOwner(absl::string_view name, absl::string_view prefix, TempDirOwner* owner) {
  if (!absl::ConsumePrefix(&name, prefix) || !absl::ConsumePrefix(&name, "-")) return false;
  const std::vector<absl::string_view> parts = absl::StrSplit(name, '-');
  if (parts.size() != 4 || parts[2].size() != kBootIdDigits || parts[3].size() != 6) return false;
  for (char c : parts[2]) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) return false;
  }
  owner->boot_id = std::string(parts[2]);
  return absl::SimpleAtoi(parts[0], &owner->pid) && owner->pid > 0 &&
         absl::SimpleAtoi(parts[1], &owner->start_ticks);
}

}  // namespace

TempDirOwner CurrentOwner() {
  TempDirOwner owner;
  owner.pid = static_cast<long>(::getpid());
  if (!StartTicks(owner.pid, &owner.start_ticks)) owner.start_ticks = 0;
  owner.boot_id = BootId();
  if (owner.boot_id.empty()) owner.boot_id = std::string(kBootIdDigits, '0');
  return owner;
}

std::string OwnedTempDirStem(absl::string_view prefix, const TempDirOwner& owner) {
  return absl::StrCat(prefix, "-", owner.pid, "-", owner.start_ticks, "-", owner.boot_id, "-");
}

absl::StatusOr<std::string> MakeOwnedTempDir(const std::string& parent, absl::string_view prefix) {
  std::string path = absl::StrCat(parent, "/", OwnedTempDirStem(prefix, CurrentOwner()), "XXXXXX");
  if (::mkdtemp(path.data()) == nullptr) {  // mkdtemp makes it 0700
    return absl::UnavailableError(absl::StrCat("cannot create a private temporary directory in ",
                                               parent, ": ", std::strerror(errno)));
  }
  return path;
}

bool OwnerIsGone(const TempDirOwner& owner) {
  const std::string boot = BootId();
  if (boot.empty()) return false;  // no /proc: nothing can be told apart
  if (owner.boot_id != boot) return true;
  if (::kill(static_cast<pid_t>(owner.pid), 0) != 0 && errno == ESRCH) return true;
  unsigned long long ticks = 0;
  if (!StartTicks(owner.pid, &ticks)) {
    return ::kill(static_cast<pid_t>(owner.pid), 0) != 0 && errno == ESRCH;
  }
  return ticks != owner.start_ticks;  // the pid now belongs to a later process
}

int RemoveStaleTempDirs(const std::string& parent, absl::string_view prefix) {
  DIR* dir = ::opendir(parent.c_str());
  if (dir == nullptr) return 0;
  std::vector<std::string> stale;
  while (const dirent* entry = ::readdir(dir)) {
    TempDirOwner owner;
    if (!ParseOwner(entry->d_name, prefix, &owner)) continue;
    const std::string path = absl::StrCat(parent, "/", entry->d_name);
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != ::geteuid()) {
      continue;
    }
    if (OwnerIsGone(owner)) stale.push_back(path);
  }
  ::closedir(dir);
  int removed = 0;
  for (const std::string& path : stale) {
    std::error_code error;
    if (std::filesystem::remove_all(path, error) > 0 && !error) ++removed;
  }
  return removed;
}

}  // namespace mcpcap

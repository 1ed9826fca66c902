#include "backend/source/held_file.h"

#include <unistd.h>

namespace mcpcap {

bool HaveProcFd() {
  static const bool have = ::access("/proc/self/fd", X_OK) == 0;
  return have;
}

HeldFile::HeldFile(int fd, std::string path, std::string remove)
    : fd_(fd), path_(std::move(path)), remove_(std::move(remove)) {}

HeldFile::~HeldFile() {
  ::close(fd_);
  if (!remove_.empty()) ::unlink(remove_.c_str());
}

bool HeldFile::Truncate() { return ::ftruncate(fd_, 0) == 0 && ::lseek(fd_, 0, SEEK_SET) == 0; }

}  // namespace mcpcap

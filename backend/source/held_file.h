// A file held open for the length of an analysis. Analyses open captures by path, so the
// descriptor is offered as /proc/self/fd/N: the path names exactly the file that was checked
// (no swap between check and use) and works for files already unlinked.
#ifndef MCPCAP_BACKEND_SOURCE_HELD_FILE_H_
#define MCPCAP_BACKEND_SOURCE_HELD_FILE_H_

#include <string>

namespace mcpcap {

// True when /proc/self/fd can reopen descriptors (false in some sandboxes).
bool HaveProcFd();

class HeldFile {
 public:
  // Takes `fd`. `path` opens the same file; `remove` is a directory entry to unlink on close.
  HeldFile(int fd, std::string path, std::string remove = "");
  ~HeldFile();
  HeldFile(const HeldFile&) = delete;
  HeldFile& operator=(const HeldFile&) = delete;

  int fd() const { return fd_; }
  const std::string& path() const { return path_; }
  // Empties the file for a new attempt (a redirect's next hop).
  bool Truncate();

 private:
  int fd_;
  std::string path_;
  std::string remove_;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SOURCE_HELD_FILE_H_

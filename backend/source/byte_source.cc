#include "backend/source/byte_source.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace mcpcap {
namespace {

class FdSource final : public ByteSource {
 public:
  explicit FdSource(int fd) : fd_(fd) {}
  ~FdSource() override { ::close(fd_); }

  ssize_t Read(uint8_t* dst, size_t n) override {
    for (;;) {
      const ssize_t got = ::read(fd_, dst, n);
      if (got > 0) read_ += static_cast<uint64_t>(got);
      if (got >= 0) return got;
      if (errno == EINTR) continue;
      error_ = std::strerror(errno);
      return -1;
    }
  }
  const std::string& error() const override { return error_; }
  uint64_t file_bytes_read() const override { return read_; }

 private:
  int fd_;
  uint64_t read_ = 0;
  std::string error_;
};

}  // namespace

std::unique_ptr<ByteSource> MakeFdSource(int fd) { return std::make_unique<FdSource>(fd); }

}  // namespace mcpcap

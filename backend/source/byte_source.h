// Where BufferedFile's bytes come from: a plain file, or a decompressor in front of one.
// One virtual call per large read, so the seam costs nothing on the hot path.
#ifndef MCPCAP_BACKEND_SOURCE_BYTE_SOURCE_H_
#define MCPCAP_BACKEND_SOURCE_BYTE_SOURCE_H_

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace mcpcap {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to `n` bytes: the count read, 0 at a clean end, -1 on an error (see error()).
  virtual ssize_t Read(uint8_t* dst, size_t n) = 0;
  // What went wrong when Read() returned -1.
  virtual const std::string& error() const = 0;
  // Bytes taken from the file on disk so far (for progress; a decompressor reports its input).
  virtual uint64_t file_bytes_read() const = 0;
};

// Reads an open file descriptor; takes ownership and closes it.
std::unique_ptr<ByteSource> MakeFdSource(int fd);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SOURCE_BYTE_SOURCE_H_

// Sequential reading of a whole regular file through one large buffer. Large read()s beat
// mmap here: faulting pages in one by one made a mapped walk several times slower.
// gzip files (recognised by content) are inflated into the same buffer as they are read.
#ifndef MCPCAP_BACKEND_SOURCE_BUFFERED_FILE_H_
#define MCPCAP_BACKEND_SOURCE_BUFFERED_FILE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "backend/base/byte_reader.h"
#include "backend/source/byte_source.h"
#include "backend/source/gzip_source.h"

namespace mcpcap {

class BufferedFile {
 public:
  // Opens `path` for reading; `display_name` names it in errors. NOT_FOUND, PERMISSION_DENIED,
  // or INVALID_ARGUMENT for a directory, a non-regular file or an empty file. A gzip file is
  // decompressed, up to `max_decompressed_bytes` (mcpcapd's --max-decompressed-bytes).
  static absl::StatusOr<std::unique_ptr<BufferedFile>> Open(
      const std::string& path, const std::string& display_name,
      uint64_t max_decompressed_bytes = kDefaultMaxDecompressedBytes);
  ~BufferedFile();
  BufferedFile(const BufferedFile&) = delete;
  BufferedFile& operator=(const BufferedFile&) = delete;

  // Makes at least `n` bytes available at the read position. False when the file ends first
  // (or cannot be read); available() then says how many bytes are left.
  bool Ensure(size_t n);
  // The bytes at the read position; valid until the next Ensure().
  Bytes window() const { return Bytes(buffer_.get() + start_, end_ - start_); }
  size_t available() const { return end_ - start_; }
  void Consume(size_t n) {
    start_ += n;
    offset_ += n;
  }
  // Offset of the read position in the (decompressed) data.
  uint64_t offset() const { return offset_; }
  // Size of the file on disk (compressed size for gzip).
  uint64_t size() const { return size_; }
  // How far into the file on disk the reading got, comparable with size(): the read position,
  // or for gzip the compressed bytes inflated so far (up to one input chunk ahead).
  uint64_t disk_offset() const { return compressed_ ? source_->file_bytes_read() : offset_; }
  bool compressed() const { return compressed_; }
  // What went wrong when a read failed (not at a clean end): errno text, or the decompressor's.
  const std::string& read_error() const { return read_error_; }

 private:
  BufferedFile(std::unique_ptr<ByteSource> source, uint64_t size, bool compressed);
  bool Grow(size_t needed);

  static constexpr size_t kChunk = 8u << 20;
  std::unique_ptr<ByteSource> source_;
  uint64_t size_;
  bool compressed_;
  std::unique_ptr<uint8_t[]> buffer_;
  size_t capacity_ = 0;
  size_t start_ = 0;  // read position in buffer_
  size_t end_ = 0;    // end of valid bytes in buffer_
  uint64_t offset_ = 0;
  bool eof_ = false;
  std::string read_error_;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SOURCE_BUFFERED_FILE_H_

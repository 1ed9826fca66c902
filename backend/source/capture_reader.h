// Reads capture files by content: classic pcap (micro- and nanosecond magic, either byte order)
// and pcapng (several sections, interfaces with their own link types and time resolutions).
// The file is read sequentially through one large buffer and records are handed out as views
// into it: one streaming pass, no per-record copies.
#ifndef MCPCAP_BACKEND_SOURCE_CAPTURE_READER_H_
#define MCPCAP_BACKEND_SOURCE_CAPTURE_READER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "backend/source/capture_info.h"
#include "backend/source/gzip_source.h"
#include "backend/source/packet_record.h"

namespace mcpcap {

class BufferedFile;

class CaptureReader {
 public:
  // Opens `path` (shown as `display_name` in messages). Errors: NOT_FOUND (missing),
  // INVALID_ARGUMENT (directory, not a regular file, empty, not a capture), PERMISSION_DENIED,
  // DATA_LOSS (header cut short or corrupt). gzip content is inflated up to
  // `max_decompressed_bytes`.
  static absl::StatusOr<std::unique_ptr<CaptureReader>> Open(
      const std::string& path, const std::string& display_name,
      uint64_t max_decompressed_bytes = kDefaultMaxDecompressedBytes);
  virtual ~CaptureReader();

  // The next record, or false at the end of the file. A file cut in the middle of a record, or a
  // corrupt record, ends the reading with a warning in info().warnings: what was read stays valid.
  virtual bool Next(PacketRecord* record) = 0;

  // What is known about the file so far; complete (interfaces, warnings) once Next() returned
  // false.
  const CaptureInfo& info() const { return info_; }

  // Bytes of the file on disk consumed so far, comparable with info().file_size (for progress
  // reporting; for a gzip file, compressed bytes).
  uint64_t bytes_consumed() const;

 protected:
  explicit CaptureReader(std::unique_ptr<BufferedFile> file);
  // Records a warning and ends the reading. `cut` marks a file that ends mid-record.
  bool Stop(const std::string& what, bool cut, uint64_t frames);

  std::unique_ptr<BufferedFile> in_;
  CaptureInfo info_;
  bool stopped_ = false;  // set by Stop(): nothing more is read
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SOURCE_CAPTURE_READER_H_

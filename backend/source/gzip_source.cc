#include "backend/source/gzip_source.h"

#include <zlib.h>

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace mcpcap {
namespace {

constexpr size_t kInputChunk = 256 * 1024;

class GzipSource final : public ByteSource {
 public:
  GzipSource(std::unique_ptr<ByteSource> in, uint64_t max_bytes)
      : in_(std::move(in)), input_(new uint8_t[kInputChunk]), max_bytes_(max_bytes) {
    // 15 + 16: a 32 KiB window, gzip framing only.
    if (inflateInit2(&zs_, 15 + 16) != Z_OK) Fail("zlib could not be initialised");
  }
  ~GzipSource() override { inflateEnd(&zs_); }

  ssize_t Read(uint8_t* dst, size_t n) override {
    if (!error_.empty()) return -1;
    if (!pending_error_.empty()) return Fail(std::move(pending_error_));
    if (done_ || n == 0) return 0;
    const uint64_t room = max_bytes_ - produced_;
    if (room == 0) {  // at the cap: anything more is too much
      uint8_t probe;
      const ssize_t got = Inflate(&probe, 1);
      if (got > 0) {
        return Fail(absl::StrCat("the decompressed capture exceeds the limit of ", max_bytes_,
                                 " bytes (--max-decompressed-bytes)"));
      }
      return got;
    }
    const ssize_t got = Inflate(dst, static_cast<size_t>(std::min<uint64_t>(n, room)));
    if (got > 0) produced_ += static_cast<uint64_t>(got);
    return got;
  }

  const std::string& error() const override { return error_; }
  // What inflate consumed: the file's bytes read, less those still waiting in the input buffer.
  uint64_t file_bytes_read() const override { return in_->file_bytes_read() - zs_.avail_in; }

 private:
  ssize_t Fail(std::string what) {
    error_ = std::move(what);
    return -1;
  }

  // Inflates into `out` until at least one byte is produced, the data ends, or an error.
  ssize_t Inflate(uint8_t* out, size_t n) {
    zs_.next_out = out;
    zs_.avail_out = static_cast<uInt>(std::min<size_t>(n, 1u << 30));
    const uInt want = zs_.avail_out;
    while (zs_.avail_out == want) {
      if (zs_.avail_in == 0) {
        const ssize_t got = in_->Read(input_.get(), kInputChunk);
        if (got < 0) return Fail(in_->error());
        if (got == 0) {
          if (between_members_) break;
          return Fail(absl::StrCat("the gzip data ends early (file cut short) after ",
                                   produced_ + (want - zs_.avail_out), " decompressed bytes"));
        }
        zs_.next_in = input_.get();
        zs_.avail_in = static_cast<uInt>(got);
      }
      if (between_members_) {
        // Another member follows (as `cat a.gz b.gz` makes); anything else is trailing padding.
        if (zs_.next_in[0] != 0x1f) break;
        inflateReset(&zs_);
        between_members_ = false;
      }
      const int rc = inflate(&zs_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        between_members_ = true;
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        if (zs_.avail_out != want) {  // hand out what was inflated; fail on the next read
          pending_error_ =
              absl::StrCat("the gzip data is corrupt (", zs_.msg ? zs_.msg : zError(rc), ") after ",
                           produced_ + (want - zs_.avail_out), " decompressed bytes");
          break;
        }
        return Fail(absl::StrCat("the gzip data is corrupt (", zs_.msg ? zs_.msg : zError(rc),
                                 ") after ", produced_ + (want - zs_.avail_out),
                                 " decompressed bytes"));
      }
    }
    const ssize_t produced = static_cast<ssize_t>(want - zs_.avail_out);
    if (produced == 0) done_ = true;
    return produced;
  }

  std::unique_ptr<ByteSource> in_;
  std::unique_ptr<uint8_t[]> input_;
  z_stream zs_{};
  uint64_t max_bytes_;
  uint64_t produced_ = 0;
  bool between_members_ = false;
  bool done_ = false;
  std::string error_;
  std::string pending_error_;  // met after some bytes were produced: reported next time
};

}  // namespace

bool IsGzipMagic(Bytes head) {
  return head.size() >= 3 && head[0] == 0x1f && head[1] == 0x8b && head[2] == 8;
}

std::unique_ptr<ByteSource> MakeGzipSource(std::unique_ptr<ByteSource> compressed,
                                           uint64_t max_bytes) {
  return std::make_unique<GzipSource>(std::move(compressed), max_bytes);
}

}  // namespace mcpcap

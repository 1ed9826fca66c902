// Bounds-checked, zero-copy reads over a byte span. Every read from the wire goes through here:
// a read past the end fails (returns false / an empty span) and leaves the reader where it was.
#ifndef MCPCAP_BACKEND_BASE_BYTE_READER_H_
#define MCPCAP_BACKEND_BASE_BYTE_READER_H_

#include <cstddef>
#include <cstdint>

#include "absl/types/span.h"

namespace mcpcap {

using Bytes = absl::Span<const uint8_t>;

class ByteReader {
 public:
  explicit ByteReader(Bytes data) : data_(data) {}

  size_t remaining() const { return data_.size() - pos_; }
  size_t position() const { return pos_; }
  bool empty() const { return remaining() == 0; }
  Bytes rest() const { return data_.subspan(pos_); }

  bool Skip(size_t n) {
    if (n > remaining()) return false;
    pos_ += n;
    return true;
  }
  bool Seek(size_t pos) {
    if (pos > data_.size()) return false;
    pos_ = pos;
    return true;
  }
  bool ReadU8(uint8_t* v) {
    if (remaining() < 1) return false;
    *v = data_[pos_++];
    return true;
  }
  bool ReadU16Be(uint16_t* v) { return ReadBe(v); }
  bool ReadU32Be(uint32_t* v) { return ReadBe(v); }
  bool ReadU64Be(uint64_t* v) { return ReadBe(v); }
  bool ReadU16Le(uint16_t* v) { return ReadLe(v); }
  bool ReadU32Le(uint32_t* v) { return ReadLe(v); }
  bool ReadU64Le(uint64_t* v) { return ReadLe(v); }
  // A view of the next n bytes; false if fewer remain.
  bool ReadBytes(size_t n, Bytes* out) {
    if (n > remaining()) return false;
    *out = data_.subspan(pos_, n);
    pos_ += n;
    return true;
  }

 private:
  template <typename T>
  bool ReadBe(T* v) {
    if (remaining() < sizeof(T)) return false;
    T r = 0;
    for (size_t i = 0; i < sizeof(T); ++i) r = static_cast<T>((r << 8) | data_[pos_ + i]);
    *v = r;
    pos_ += sizeof(T);
    return true;
  }
  template <typename T>
  bool ReadLe(T* v) {
    if (remaining() < sizeof(T)) return false;
    T r = 0;
    for (size_t i = sizeof(T); i > 0; --i) r = static_cast<T>((r << 8) | data_[pos_ + i - 1]);
    *v = r;
    pos_ += sizeof(T);
    return true;
  }

  Bytes data_;
  size_t pos_ = 0;
};

// Fixed-position loads for hot paths whose length the caller has already checked.
inline uint16_t LoadU16Be(const uint8_t* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }
inline uint32_t LoadU32Be(const uint8_t* p) {
  return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3];
}
inline uint16_t LoadU16Le(const uint8_t* p) { return static_cast<uint16_t>(p[1] << 8 | p[0]); }
inline uint32_t LoadU32Le(const uint8_t* p) {
  return uint32_t{p[3]} << 24 | uint32_t{p[2]} << 16 | uint32_t{p[1]} << 8 | p[0];
}

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_BASE_BYTE_READER_H_

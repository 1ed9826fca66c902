// Appends big-endian fields to a fixed buffer. Writes past the end are dropped and remembered
// (ok() turns false) so a planning mistake shows up as an error instead of memory corruption.
#ifndef MCPCAP_TOOLS_GENCAP_BYTE_WRITER_H_
#define MCPCAP_TOOLS_GENCAP_BYTE_WRITER_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace mcpcap::gencap {

class ByteWriter {
 public:
  ByteWriter(uint8_t* buf, size_t capacity) : buf_(buf), cap_(capacity) {}

  size_t size() const { return pos_; }
  size_t room() const { return cap_ - pos_; }
  bool ok() const { return ok_; }
  uint8_t* data() { return buf_; }
  void Reset() {
    pos_ = 0;
    ok_ = true;
  }

  void U8(uint8_t v) {
    if (Reserve(1)) buf_[pos_++] = v;
  }
  void U16(uint16_t v) {
    if (!Reserve(2)) return;
    buf_[pos_++] = static_cast<uint8_t>(v >> 8);
    buf_[pos_++] = static_cast<uint8_t>(v);
  }
  void U32(uint32_t v) {
    U16(static_cast<uint16_t>(v >> 16));
    U16(static_cast<uint16_t>(v));
  }
  void Bytes(const void* p, size_t n) {
    if (!Reserve(n)) return;
    std::memcpy(buf_ + pos_, p, n);
    pos_ += n;
  }
  void Text(std::string_view s) { Bytes(s.data(), s.size()); }
  void Zeros(size_t n) {
    if (!Reserve(n)) return;
    std::memset(buf_ + pos_, 0, n);
    pos_ += n;
  }
  // Overwrites a 16-bit field written earlier (lengths and checksums known only at the end).
  void PutU16At(size_t off, uint16_t v) {
    if (off + 2 > pos_) {
      ok_ = false;
      return;
    }
    buf_[off] = static_cast<uint8_t>(v >> 8);
    buf_[off + 1] = static_cast<uint8_t>(v);
  }

 private:
  bool Reserve(size_t n) {
    if (n > cap_ - pos_) ok_ = false;
    return ok_;
  }

  uint8_t* buf_;
  size_t cap_;
  size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace mcpcap::gencap

#endif  // MCPCAP_TOOLS_GENCAP_BYTE_WRITER_H_

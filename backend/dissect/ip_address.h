// An IPv4 or IPv6 address by value: 17 bytes, no heap, usable as a hash or map key.
#ifndef MCPCAP_BACKEND_DISSECT_IP_ADDRESS_H_
#define MCPCAP_BACKEND_DISSECT_IP_ADDRESS_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <utility>

namespace mcpcap {

class IpAddress {
 public:
  // Longest text ToChars can write ("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255") plus NUL.
  static constexpr size_t kMaxTextLength = 46;

  IpAddress() = default;  // version 0: "no address"
  // p must point to 4 (V4) or 16 (V6) readable bytes; the caller has checked the length.
  static IpAddress V4(const uint8_t* p) { return IpAddress(4, p, 4); }
  static IpAddress V6(const uint8_t* p) { return IpAddress(6, p, 16); }

  uint8_t version() const { return version_; }  // 0, 4 or 6
  bool empty() const { return version_ == 0; }
  // 4 or 16 meaningful bytes (0 for an empty address), network order.
  const uint8_t* bytes() const { return bytes_; }
  size_t size() const { return version_ == 4 ? 4 : version_ == 6 ? 16 : 0; }

  // Canonical text: dotted quad, or RFC 5952 IPv6 (lower case, longest zero run compressed,
  // IPv4-mapped addresses as ::ffff:a.b.c.d). Empty address gives "".
  std::string ToString() const;
  // Parses an IPv4 or IPv6 literal ("192.0.2.1", "2001:db8::1"); false when it is neither.
  static bool Parse(const std::string& text, IpAddress* out);
  // Same text without allocating; buf must hold kMaxTextLength bytes. Returns the length.
  size_t ToChars(char* buf) const;

  friend bool operator==(const IpAddress& a, const IpAddress& b) {
    return a.version_ == b.version_ && std::memcmp(a.bytes_, b.bytes_, sizeof(a.bytes_)) == 0;
  }
  friend bool operator!=(const IpAddress& a, const IpAddress& b) { return !(a == b); }
  // Orders IPv4 before IPv6, then by bytes.
  friend bool operator<(const IpAddress& a, const IpAddress& b) {
    if (a.version_ != b.version_) return a.version_ < b.version_;
    return std::memcmp(a.bytes_, b.bytes_, sizeof(a.bytes_)) < 0;
  }
  template <typename H>
  friend H AbslHashValue(H h, const IpAddress& a) {
    return H::combine_contiguous(H::combine(std::move(h), a.version_), a.bytes_, a.size());
  }

 private:
  IpAddress(uint8_t version, const uint8_t* p, size_t n) : version_(version) {
    std::memcpy(bytes_, p, n);  // the unused tail stays zero so == can compare all 16
  }

  uint8_t version_ = 0;
  uint8_t bytes_[16] = {};
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_DISSECT_IP_ADDRESS_H_

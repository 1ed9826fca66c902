// Builds DNS messages byte by byte for tests, including malformed ones.
#ifndef MCPCAP_TESTS_ANALYSIS_DNS_DNS_MESSAGE_BUILDER_H_
#define MCPCAP_TESTS_ANALYSIS_DNS_DNS_MESSAGE_BUILDER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "backend/base/byte_reader.h"

namespace mcpcap::testing {

class DnsBuilder {
 public:
  DnsBuilder& Header(uint16_t id, uint16_t flags, uint16_t qd, uint16_t an, uint16_t ns = 0,
                     uint16_t ar = 0) {
    U16(id).U16(flags).U16(qd).U16(an).U16(ns).U16(ar);
    return *this;
  }
  DnsBuilder& U8(uint8_t v) {
    b_.push_back(v);
    return *this;
  }
  DnsBuilder& U16(uint16_t v) { return U8(v >> 8).U8(v & 0xff); }
  DnsBuilder& U32(uint32_t v) { return U16(v >> 16).U16(v & 0xffff); }
  DnsBuilder& Raw(const std::string& s) {
    b_.insert(b_.end(), s.begin(), s.end());
    return *this;
  }
  DnsBuilder& Bytes(std::initializer_list<uint8_t> v) {
    b_.insert(b_.end(), v.begin(), v.end());
    return *this;
  }
  // Uncompressed name; "" is the root.
  DnsBuilder& Name(const std::string& name) {
    if (!name.empty()) {
      for (absl::string_view l : absl::StrSplit(name, '.')) {
        U8(static_cast<uint8_t>(l.size()));
        Raw(std::string(l));
      }
    }
    return U8(0);
  }
  DnsBuilder& Pointer(uint16_t offset) { return U16(0xc000 | offset); }
  DnsBuilder& Question(const std::string& name, uint16_t type, uint16_t klass = 1) {
    return Name(name).U16(type).U16(klass);
  }
  // A record with an uncompressed owner name and the given rdata.
  DnsBuilder& Record(const std::string& name, uint16_t type, const std::vector<uint8_t>& rdata,
                     uint32_t ttl = 300, uint16_t klass = 1) {
    Name(name).U16(type).U16(klass).U32(ttl).U16(static_cast<uint16_t>(rdata.size()));
    b_.insert(b_.end(), rdata.begin(), rdata.end());
    return *this;
  }
  size_t size() const { return b_.size(); }
  const std::vector<uint8_t>& bytes() const { return b_; }
  mcpcap::Bytes span() const { return mcpcap::Bytes(b_); }

 private:
  std::vector<uint8_t> b_;
};

// Wire form of a name, for building rdata.
inline std::vector<uint8_t> WireName(const std::string& name) {
  DnsBuilder b;
  b.Name(name);
  return b.bytes();
}

inline std::vector<uint8_t> Concat(std::initializer_list<std::vector<uint8_t>> parts) {
  std::vector<uint8_t> out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

}  // namespace mcpcap::testing

#endif  // MCPCAP_TESTS_ANALYSIS_DNS_DNS_MESSAGE_BUILDER_H_

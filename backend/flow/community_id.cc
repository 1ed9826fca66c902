#include "backend/flow/community_id.h"

#include <openssl/evp.h>

#include <cstring>
#include <utility>

#include "absl/strings/escaping.h"

namespace mcpcap {
namespace {

constexpr uint8_t kIcmp = 1;
constexpr uint8_t kIcmpV6 = 58;

// The spec's table of ICMP types answered by another type: such a flow has two directions (the
// counterpart stands in for the destination port); other types are one-way.
bool IcmpCounterpart(uint8_t protocol, uint16_t type, uint16_t* counterpart) {
  static constexpr std::pair<uint8_t, uint8_t> kV4[] = {
      {8, 0}, {0, 8}, {13, 14}, {14, 13}, {15, 16}, {16, 15}, {10, 9}, {9, 10}, {17, 18}, {18, 17}};
  static constexpr std::pair<uint8_t, uint8_t> kV6[] = {
      {128, 129}, {129, 128}, {133, 134}, {134, 133}, {135, 136},
      {136, 135}, {130, 131}, {131, 130}, {144, 145}, {145, 144}};
  const auto find = [&](const auto& table) {
    for (const auto& [from, to] : table) {
      if (from == type) {
        *counterpart = to;
        return true;
      }
    }
    return false;
  };
  return protocol == kIcmp ? find(kV4) : find(kV6);
}

}  // namespace

std::string CommunityId(const CommunityIdTuple& tuple, uint16_t seed) {
  if (tuple.src.empty() || tuple.src.version() != tuple.dst.version()) return "";
  const IpAddress* src = &tuple.src;
  const IpAddress* dst = &tuple.dst;
  uint16_t sport = tuple.src_port, dport = tuple.dst_port;
  bool one_way = false;
  if (tuple.protocol == kIcmp || tuple.protocol == kIcmpV6) {
    uint16_t counterpart = 0;
    if (IcmpCounterpart(tuple.protocol, sport, &counterpart)) {
      dport = counterpart;
    } else {
      one_way = true;  // the code stays the "destination port"
    }
  }
  const size_t n = src->size();
  const int order = std::memcmp(src->bytes(), dst->bytes(), n);
  if (!one_way && (order > 0 || (order == 0 && sport > dport))) {
    std::swap(src, dst);
    std::swap(sport, dport);
  }
  const bool has_ports =
      tuple.has_ports && (tuple.protocol == 6 || tuple.protocol == 17 || tuple.protocol == 132 ||
                          tuple.protocol == kIcmp || tuple.protocol == kIcmpV6);
  uint8_t input[2 + 16 + 16 + 2 + 4];
  size_t len = 0;
  input[len++] = static_cast<uint8_t>(seed >> 8);
  input[len++] = static_cast<uint8_t>(seed);
  std::memcpy(input + len, src->bytes(), n);
  len += n;
  std::memcpy(input + len, dst->bytes(), n);
  len += n;
  input[len++] = tuple.protocol;
  input[len++] = 0;  // padding
  if (has_ports) {
    for (uint16_t port : {sport, dport}) {
      input[len++] = static_cast<uint8_t>(port >> 8);
      input[len++] = static_cast<uint8_t>(port);
    }
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  if (EVP_Digest(input, len, digest, &digest_len, EVP_sha1(), nullptr) != 1) return "";
  return "1:" +
         absl::Base64Escape(absl::string_view(reinterpret_cast<const char*>(digest), digest_len));
}

}  // namespace mcpcap

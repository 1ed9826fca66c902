// libFuzzer entry point for DecodePacket. The first input byte picks the link type (from the
// supported list, or any 16-bit value from the next byte when the pick falls past the list) and
// the rest is the frame; a second pass claims a longer wire length to exercise the snaplen paths.
#include <cstddef>
#include <cstdint>

#include "backend/dissect/decoder.h"

namespace {

constexpr uint16_t kLinkTypes[] = {
    mcpcap::kLinkTypeEthernet,  mcpcap::kLinkTypeNull,     mcpcap::kLinkTypeLoop,
    mcpcap::kLinkTypeRaw,       mcpcap::kLinkTypeRawAlt12, mcpcap::kLinkTypeRawAlt14,
    mcpcap::kLinkTypeIpv4,      mcpcap::kLinkTypeIpv6,     mcpcap::kLinkTypeLinuxSll,
    mcpcap::kLinkTypeLinuxSll2,
};
constexpr size_t kNumLinkTypes = sizeof(kLinkTypes) / sizeof(kLinkTypes[0]);

// Touches the views so that a span pointing outside the input trips ASan.
uint32_t Touch(mcpcap::Bytes b) {
  uint32_t sum = 0;
  for (uint8_t v : b) sum += v;
  return sum;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  uint16_t link_type = 0;
  size_t skip = 1;
  if (data[0] < kNumLinkTypes) {
    link_type = kLinkTypes[data[0]];
  } else if (size >= 3) {
    link_type = static_cast<uint16_t>(data[1] << 8 | data[2]);
    skip = 3;
  }
  const mcpcap::Bytes frame(data + skip, size - skip);
  mcpcap::DecodedPacket p;
  volatile uint32_t sink = 0;
  for (uint32_t extra : {0u, 1000u}) {
    mcpcap::DecodePacket(link_type, frame, static_cast<uint32_t>(frame.size()) + extra, &p);
    sink = sink + Touch(p.payload) + Touch(p.ip.payload) + Touch(p.icmp.quoted);
    char text[mcpcap::IpAddress::kMaxTextLength];
    p.ip.src.ToChars(text);
    p.ip.dst.ToChars(text);
    p.anomalies.ForEach([&](mcpcap::Anomaly a) { sink = sink + mcpcap::AnomalyName(a).size(); });
    if (p.icmp.is_error) {
      mcpcap::DecodedPacket inner;
      mcpcap::DecodePacket(mcpcap::kLinkTypeRaw, p.icmp.quoted, &inner);
      sink = sink + Touch(inner.payload);
    }
  }
  return 0;
}

// libFuzzer entry point for the DNS parser and the DNS-over-TCP framer. The first byte picks the
// variant (DNS, mDNS, LLMNR) and how the rest is fed to the framer; the rest is parsed both as one
// message and as a TCP stream cut into pieces of varying size.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "backend/dissect/dns.h"
#include "backend/dissect/dns_tcp_framer.h"

namespace {

// Reads every string so that a view or size gone wrong trips ASan.
size_t Touch(const mcpcap::DnsMessage& m) {
  size_t sum = m.edns.options.size();
  for (const auto& q : m.questions) sum += q.name.size();
  for (const auto* list : {&m.answers, &m.authorities, &m.additionals}) {
    for (const auto& rr : *list) {
      sum += rr.name.size() + rr.data.size() + rr.address.size() + rr.target.size() +
             rr.rdata_hex.size();
    }
  }
  for (const auto& o : m.edns.options) sum += o.name.size() + o.value.size();
  m.anomalies.ForEach([&](mcpcap::DnsAnomaly a) { sum += mcpcap::DnsAnomalyName(a).size(); });
  return sum + (mcpcap::LooksLikeDns(m) ? 1 : 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t control = data[0];
  const auto variant = static_cast<mcpcap::DnsVariant>(control % 3);
  const mcpcap::Bytes body(data + 1, size - 1);
  mcpcap::DnsMessage m;
  volatile size_t sink = 0;
  mcpcap::ParseDnsMessage(body, variant, &m);
  sink = sink + Touch(m);

  // The same bytes as a TCP stream, in pieces of 1..32 bytes, each an exact-size copy.
  mcpcap::DnsTcpFramer framer;
  const size_t step = 1 + (control >> 3);
  for (size_t off = 0; off < body.size(); off += step) {
    const size_t n = std::min(step, body.size() - off);
    std::vector<uint8_t> piece(body.begin() + off, body.begin() + off + n);
    mcpcap::Bytes in(piece);
    mcpcap::Bytes msg;
    while (framer.Next(&in, &msg) == mcpcap::DnsFrameStatus::kMessage) {
      mcpcap::ParseDnsMessage(msg, variant, &m);
      sink = sink + Touch(m);
    }
  }
  return 0;
}

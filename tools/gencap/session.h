// A planned conversation between two hosts: the addresses of each direction and the packets
// ("steps") it will send, in order, each with its delay after the previous one as seen at the
// capture point (the LAN uplink: client packets leave at once, server answers come a round trip
// later). TrafficMix runs many sessions at once; planning up front keeps each protocol's logic
// in one straight-line function.
#ifndef MCPCAP_TOOLS_GENCAP_SESSION_H_
#define MCPCAP_TOOLS_GENCAP_SESSION_H_

#include <cstdint>
#include <string>
#include <vector>

#include "tools/gencap/frame_builder.h"
#include "tools/gencap/rng.h"

namespace mcpcap::gencap {

enum class Transport : uint8_t { kTcp, kUdp, kIcmp };
// What follows a step's stored bytes up to payload_len.
enum class Filler : uint8_t { kNone, kText, kBinary };

struct Step {
  uint64_t gap_ns = 0;    // after the session's previous step (its start, for the first)
  uint8_t dir = 0;        // 0: client to server, 1: server to client
  uint8_t tcp_flags = 0;  // TCP only
  uint16_t window = 0;    // TCP only
  uint32_t seq = 0;       // TCP sequence number, or ICMP echo sequence
  uint32_t ack = 0;
  uint32_t stored_off = 0;  // into Session::payloads
  uint16_t stored_len = 0;
  uint16_t payload_len = 0;  // stored bytes plus filler
  Filler filler = Filler::kNone;
};

struct Session {
  Transport transport = Transport::kTcp;
  // Index 0: client to server, 1: server to client. Kept per direction because DHCP is not
  // symmetric (0.0.0.0 -> broadcast, server -> broadcast).
  LinkHeader link[2];
  IpAddr src[2];
  IpAddr dst[2];
  uint16_t sport[2] = {};
  uint16_t dport[2] = {};
  uint8_t ttl[2] = {64, 64};
  uint16_t ip_id[2] = {};
  uint16_t icmp_id = 0;
  std::vector<Step> steps;
  size_t next = 0;
  std::string payloads;

  bool done() const { return next >= steps.size(); }
};

// Replaces *s (reusing its storage) with a new session drawn from the traffic mix: TCP
// connections of several applications, DNS, ICMP echo, DHCP; some IPv6, some VLAN-tagged.
void PlanSession(Rng& rng, Session* s);

}  // namespace mcpcap::gencap

#endif  // MCPCAP_TOOLS_GENCAP_SESSION_H_

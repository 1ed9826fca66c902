// Internal to the generator: one planning function per kind of session, and the helpers they
// share. PlanSession() (session.cc) picks which one runs.
#ifndef MCPCAP_TOOLS_GENCAP_PLANNERS_H_
#define MCPCAP_TOOLS_GENCAP_PLANNERS_H_

#include <cmath>
#include <cstdint>

#include "tools/gencap/byte_writer.h"
#include "tools/gencap/hosts.h"
#include "tools/gencap/rng.h"
#include "tools/gencap/session.h"

namespace mcpcap::gencap {

struct Stored {
  uint32_t off = 0;
  uint16_t len = 0;
};

// Appends what `write(ByteWriter&)` produces to the session's payload store.
template <typename WriteFn>
Stored Store(Session* s, WriteFn&& write) {
  uint8_t buf[1500];
  ByteWriter w(buf, sizeof(buf));
  write(w);
  Stored st{static_cast<uint32_t>(s->payloads.size()), static_cast<uint16_t>(w.size())};
  s->payloads.append(reinterpret_cast<const char*>(buf), w.size());
  return st;
}

inline constexpr uint64_t kMicros = 1000, kMillis = 1000000, kSeconds = 1000000000;
// A host answering a packet it just received (kernel turnaround, delayed ACK aside).
inline constexpr uint64_t kTurnaroundNs = 40 * kMicros;

// Log-uniform delay in [lo_ns, hi_ns]: mostly short, with a long tail (think times, RTTs).
inline uint64_t Delay(Rng& rng, uint64_t lo_ns, uint64_t hi_ns) {
  return static_cast<uint64_t>(std::exp(
      std::log(double(lo_ns)) + rng.Unit() * (std::log(double(hi_ns)) - std::log(double(lo_ns)))));
}
// Round trip from the capture point to a server: on the LAN, or somewhere on the Internet.
inline uint64_t RandomRtt(Rng& rng, bool lan) {
  return lan ? Delay(rng, 200 * kMicros, 2 * kMillis) : Delay(rng, 4 * kMillis, 180 * kMillis);
}

// A datagram step (UDP or ICMP) whose payload is entirely stored bytes.
inline void AddDatagram(Session* s, uint64_t gap_ns, uint8_t dir, Stored payload,
                        uint32_t seq = 0) {
  Step st;
  st.gap_ns = gap_ns;
  st.dir = dir;
  st.seq = seq;
  st.stored_off = payload.off;
  st.stored_len = payload.len;
  st.payload_len = payload.len;
  s->steps.push_back(st);
}

// Symmetric addressing between a LAN client and a server reached through the router.
void SetEndpoints(Session* s, const Host& client, bool v6, const IpAddr& server, uint16_t cport,
                  uint16_t sport, uint16_t vlan, Rng& rng);
uint16_t EphemeralPort(Rng& rng);

void PlanTcp(Rng& rng, const Host& client, bool v6, uint16_t vlan, Session* s);
void PlanDns(Rng& rng, const Host& client, bool v6, uint16_t vlan, Session* s);
void PlanIcmpEcho(Rng& rng, const Host& client, bool v6, uint16_t vlan, Session* s);
void PlanDhcp(Rng& rng, const Host& client, Session* s);

}  // namespace mcpcap::gencap

#endif  // MCPCAP_TOOLS_GENCAP_PLANNERS_H_

// Limits the operator sets for every call (mcpcapd flags).
#ifndef MCPCAP_BACKEND_SERVICE_SERVICE_LIMITS_H_
#define MCPCAP_BACKEND_SERVICE_SERVICE_LIMITS_H_

#include <cstdint>

namespace mcpcap {

struct ServiceLimits {
  uint64_t max_packets = 0;  // cap on every call's max_packets; 0 = none
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SERVICE_SERVICE_LIMITS_H_

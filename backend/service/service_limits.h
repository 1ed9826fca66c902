// Limits the operator sets for every call (mcpcapd flags), and the pace of progress reports.
#ifndef MCPCAP_BACKEND_SERVICE_SERVICE_LIMITS_H_
#define MCPCAP_BACKEND_SERVICE_SERVICE_LIMITS_H_

#include <chrono>
#include <cstdint>

namespace mcpcap {

struct ServiceLimits {
  uint64_t max_packets = 0;  // cap on every call's max_packets; 0 = none
  // Analyze streams report progress at most this often (and only after 1% more of the file).
  std::chrono::milliseconds progress_interval{250};
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SERVICE_SERVICE_LIMITS_H_

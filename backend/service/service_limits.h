// Limits the operator sets for every call (mcpcapd flags), and the pace of progress reports.
#ifndef MCPCAP_BACKEND_SERVICE_SERVICE_LIMITS_H_
#define MCPCAP_BACKEND_SERVICE_SERVICE_LIMITS_H_

#include <chrono>
#include <cstdint>

namespace mcpcap {

struct ServiceLimits {
  uint64_t max_packets = 0;  // cap on every call's max_packets; 0 = none
  // Largest analysis response sent (--max-response-bytes): gRPC clients refuse messages above
  // 4 MiB unless told otherwise, so a bigger one fails here with a reason, not there.
  uint64_t max_response_bytes = uint64_t{4} << 20;
  // Analyze streams report progress at most this often (and only after 1% more of the file).
  std::chrono::milliseconds progress_interval{250};
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SERVICE_SERVICE_LIMITS_H_

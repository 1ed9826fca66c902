#include "backend/analysis/common/latency_stats.h"

#include <algorithm>
#include <cmath>

#include "backend/base/proto_time.h"

namespace mcpcap {

void FillLatency(std::vector<double> samples, v1::LatencyStats* out) {
  if (samples.empty()) return;
  std::sort(samples.begin(), samples.end());
  const size_t n = samples.size();
  double sum = 0;
  for (double s : samples) sum += s;
  out->set_samples(n);
  SetDurationMillis(samples.front(), out->mutable_min());
  SetDurationMillis(samples.back(), out->mutable_max());
  SetDurationMillis(sum / static_cast<double>(n), out->mutable_average());
  SetDurationMillis(n % 2 == 1 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2,
                    out->mutable_median());
  const size_t rank = static_cast<size_t>(std::ceil(0.95 * static_cast<double>(n)));
  SetDurationMillis(samples[rank == 0 ? 0 : rank - 1], out->mutable_p95());
}

}  // namespace mcpcap

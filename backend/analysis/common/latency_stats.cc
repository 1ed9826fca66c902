#include "backend/analysis/common/latency_stats.h"

#include <algorithm>
#include <cmath>

namespace mcpcap {

void FillLatency(std::vector<double> samples, v1::LatencyStats* out) {
  if (samples.empty()) return;
  std::sort(samples.begin(), samples.end());
  const size_t n = samples.size();
  double sum = 0;
  for (double s : samples) sum += s;
  out->set_samples(n);
  out->set_min_ms(samples.front());
  out->set_max_ms(samples.back());
  out->set_average_ms(sum / static_cast<double>(n));
  out->set_median_ms(n % 2 == 1 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2);
  const size_t rank = static_cast<size_t>(std::ceil(0.95 * static_cast<double>(n)));
  out->set_p95_ms(samples[rank == 0 ? 0 : rank - 1]);
}

}  // namespace mcpcap

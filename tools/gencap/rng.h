// Deterministic random numbers for the generator: xoshiro256** seeded by splitmix64. Our own
// helpers instead of <random> distributions, whose output differs between standard libraries;
// a seed must give the same capture everywhere.
#ifndef MCPCAP_TOOLS_GENCAP_RNG_H_
#define MCPCAP_TOOLS_GENCAP_RNG_H_

#include <cmath>
#include <cstdint>

namespace mcpcap::gencap {

class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (uint64_t& s : s_) {
      seed += 0x9e3779b97f4a7c15ULL;
      uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      s = z ^ (z >> 31);
    }
  }

  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }
  uint32_t U32() { return static_cast<uint32_t>(Next() >> 32); }
  // Uniform in [0, n), n > 0 (multiply-shift: no modulo bias worth caring about here).
  uint32_t Below(uint32_t n) { return static_cast<uint32_t>((uint64_t{U32()} * n) >> 32); }
  // Uniform in [lo, hi].
  uint32_t Range(uint32_t lo, uint32_t hi) { return lo + Below(hi - lo + 1); }
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }  // [0, 1)
  bool Chance(double p) { return Unit() < p; }
  // Exponential with the given mean (inter-arrival times of a Poisson process).
  double Exp(double mean) { return -std::log(1.0 - Unit()) * mean; }
  // Log-uniform in [lo, hi]: many small values, a long tail of large ones (object sizes).
  uint32_t LogUniform(uint32_t lo, uint32_t hi) {
    const double v = std::exp(std::log(lo) + Unit() * (std::log(hi) - std::log(lo)));
    return static_cast<uint32_t>(v);
  }
  template <typename T, size_t N>
  const T& Pick(const T (&items)[N]) {
    return items[Below(N)];
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

}  // namespace mcpcap::gencap

#endif  // MCPCAP_TOOLS_GENCAP_RNG_H_

// mcpcap-gencap: writes a synthetic but realistic capture for benchmarks and stress tests.
//   mcpcap-gencap [--packets N] [--out FILE] [--seed S] [--nsec]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "tools/gencap/generate.h"

namespace {

constexpr char kUsage[] =
    "usage: mcpcap-gencap [--packets N] [--out FILE] [--seed S] [--nsec]\n"
    "  --packets N  number of frames (default 1000000)\n"
    "  --out FILE   output pcap (default gencap.pcap)\n"
    "  --seed S     same seed, same capture (default 1)\n"
    "  --nsec       nanosecond timestamps (pcap magic a1b23c4d)\n";

bool ParseU64(const char* text, uint64_t* out) {
  char* end = nullptr;
  const unsigned long long v = std::strtoull(text, &end, 10);
  if (end == text || *end != '\0' || text[0] == '-') return false;
  *out = v;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  mcpcap::gencap::GenerateOptions options;
  options.out = "gencap.pcap";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--packets" && has_value) {
      if (!ParseU64(argv[++i], &options.packets)) {
        std::fprintf(stderr, "mcpcap-gencap: bad --packets %s\n", argv[i]);
        return 2;
      }
    } else if (arg == "--seed" && has_value) {
      if (!ParseU64(argv[++i], &options.seed)) {
        std::fprintf(stderr, "mcpcap-gencap: bad --seed %s\n", argv[i]);
        return 2;
      }
    } else if (arg == "--out" && has_value) {
      options.out = argv[++i];
    } else if (arg == "--nsec") {
      options.nsec = true;
    } else if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    } else {
      std::fprintf(stderr, "mcpcap-gencap: unknown or incomplete argument %s\n%s", arg.c_str(),
                   kUsage);
      return 2;
    }
  }

  const auto start = std::chrono::steady_clock::now();
  mcpcap::gencap::GenerateStats stats;
  const absl::Status status = mcpcap::gencap::GenerateCapture(options, &stats);
  if (!status.ok()) {
    std::fprintf(stderr, "mcpcap-gencap: %s\n", std::string(status.message()).c_str());
    return 1;
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr, "mcpcap-gencap: wrote %llu packets (%llu frame bytes) to %s in %.2f s\n",
               static_cast<unsigned long long>(stats.packets),
               static_cast<unsigned long long>(stats.frame_bytes), options.out.c_str(), secs);
  return 0;
}

// mcpcap_bench: reading and analysis throughput on one generated capture, all in one run.
//
//   mcpcap_bench [--packets N] [--seed S] [--nsec] [--repeat R] [--capture FILE] [--keep]
//                [--tmpdir DIR] [--wireshark]
//
// Generates the capture with mcpcap-gencap's library (unless --capture names one), then times
// each case R times on the warm page cache and prints the best run: packets/s, MB/s of file, and
// the ratio to libpcap (a) and to our raw framing walk (b). Rates come from CPU time (user +
// system, of this process or of the external tool), which waiting for a core on a shared
// machine does not inflate; wall time is shown next to it. Not a CTest test.
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "tests/bench/cases.h"
#include "tools/gencap/generate.h"

namespace mcpcap::bench {
namespace {

struct Options {
  gencap::GenerateOptions gen;
  int repeat = 3;
  std::string capture;  // an existing file instead of a generated one
  std::string tmpdir = "/tmp";
  bool keep = false;
  bool wireshark = false;
};

struct Case {
  std::string name;
  std::function<CaseResult(const std::string&)> run;
};

struct Row {
  std::string name;
  CaseResult result;
  double seconds = 0;       // CPU seconds, best of the repeats
  double wall_seconds = 0;  // wall time of that run
};

double Seconds(const std::function<void()>& fn) {
  const auto start = std::chrono::steady_clock::now();
  fn();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// CPU time of this process plus that of waited-for children (the external tools).
double CpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  rusage ru{};
  getrusage(RUSAGE_CHILDREN, &ru);
  return ts.tv_sec + ts.tv_nsec / 1e9 + ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
         ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

Row Measure(const Case& c, const std::string& path, int repeat) {
  Row row{c.name, {}, 0};
  for (int i = 0; i < repeat; ++i) {
    CaseResult result;
    const double cpu_start = CpuSeconds();
    const double wall = Seconds([&] { result = c.run(path); });
    const double cpu = CpuSeconds() - cpu_start;
    if (!result.error.empty()) return {c.name, result, 0, 0};
    if (i == 0 || cpu < row.seconds) {
      row.seconds = cpu;
      row.wall_seconds = wall;
    }
    row.result = result;
  }
  return row;
}

// An external tool over the same file (Wireshark's capinfos, tshark), for the mission's
// "faster than tshark" comparison; its packet count is taken from case (a).
Case External(const std::string& name, const std::string& command) {
  return {name, [command](const std::string& path) {
            CaseResult r;
            const std::string cmd = command + " '" + path + "' >/dev/null 2>&1";
            if (std::system(cmd.c_str()) != 0) r.error = "failed: " + cmd;
            return r;
          }};
}

std::vector<Case> Cases(const Options& options) {
  std::vector<Case> cases = {{"(a) libpcap pcap_next_ex", RunLibpcap},
                             {"(b) raw framing walk (8 MiB read)", RunRawWalk},
                             {"(b') raw framing walk (mmap)", RunRawWalkMmap}};
#ifdef MCPCAP_BENCH_HAVE_READER
  cases.push_back({"(c) CaptureReader::Next", RunReader});
#endif
#ifdef MCPCAP_BENCH_HAVE_DECODER
  cases.push_back({"(d) CaptureReader + DecodePacket", RunReaderDecoder});
#endif
#ifdef MCPCAP_BENCH_HAVE_CAPINFOS
  cases.push_back({"(e) AnalyzeCapinfos hashes=none",
                   [](const std::string& p) { return RunCapinfos(p, "none"); }});
  cases.push_back({"(e) AnalyzeCapinfos hashes=sha256",
                   [](const std::string& p) { return RunCapinfos(p, "sha256"); }});
  cases.push_back({"(e) AnalyzeCapinfos hashes=all",
                   [](const std::string& p) { return RunCapinfos(p, "all"); }});
  for (const auto& [name, run] : AnalysisCases()) cases.push_back({name, run});
#endif
  if (options.wireshark) {
    cases.push_back(External("Wireshark capinfos (all hashes)", "capinfos"));
    cases.push_back(External("tshark -z io,phs (dissect all)", "tshark -n -q -z io,phs -r"));
  }
  return cases;
}

bool ParseArgs(int argc, char** argv, Options* o) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const char* v = i + 1 < argc ? argv[i + 1] : nullptr;
    if (a == "--packets" && v) {
      o->gen.packets = std::strtoull(argv[++i], nullptr, 10);
    } else if (a == "--seed" && v) {
      o->gen.seed = std::strtoull(argv[++i], nullptr, 10);
    } else if (a == "--repeat" && v) {
      o->repeat = std::max(1, std::atoi(argv[++i]));
    } else if (a == "--capture" && v) {
      o->capture = argv[++i];
    } else if (a == "--tmpdir" && v) {
      o->tmpdir = argv[++i];
    } else if (a == "--nsec") {
      o->gen.nsec = true;
    } else if (a == "--keep") {
      o->keep = true;
    } else if (a == "--wireshark") {
      o->wireshark = true;
    } else {
      std::fprintf(stderr,
                   "usage: mcpcap_bench [--packets N] [--seed S] [--nsec] [--repeat R] "
                   "[--capture FILE] [--keep] [--tmpdir DIR] [--wireshark]\n");
      return false;
    }
  }
  return o->gen.packets > 0;
}

uint64_t FileSize(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return 0;
  std::fseek(f, 0, SEEK_END);
  const long size = std::ftell(f);
  std::fclose(f);
  return size > 0 ? static_cast<uint64_t>(size) : 0;
}

// The machines are shared: the load average tells how much to trust the figures.
void PrintLoad() {
  double load[3] = {};
  FILE* f = std::fopen("/proc/loadavg", "r");
  if (f && std::fscanf(f, "%lf %lf %lf", &load[0], &load[1], &load[2]) == 3) {
    std::printf("load average %.2f %.2f %.2f on %ld cores\n", load[0], load[1], load[2],
                sysconf(_SC_NPROCESSORS_ONLN));
  }
  if (f) std::fclose(f);
}

void PrintTable(const std::vector<Row>& rows, uint64_t file_bytes) {
  const double base_a = rows.size() > 0 ? rows[0].seconds : 0;
  const double base_b = rows.size() > 1 ? rows[1].seconds : 0;
  std::printf("\n%-36s %11s %8s %8s %9s %9s %8s %8s\n", "case", "packets", "cpu s", "wall s",
              "Mpkt/s", "MB/s", "vs (a)", "vs (b)");
  for (const Row& r : rows) {
    if (!r.result.error.empty()) {
      std::printf("%-36s  error: %s\n", r.name.c_str(), r.result.error.c_str());
      continue;
    }
    const double pps = r.result.packets / r.seconds;
    const double mbs = file_bytes / r.seconds / 1e6;
    // Ratios are speed-ups: > 1 means faster than the baseline.
    std::printf("%-36s %11llu %8.3f %8.3f %9.2f %9.0f %7.2fx %7.2fx\n", r.name.c_str(),
                static_cast<unsigned long long>(r.result.packets), r.seconds, r.wall_seconds,
                pps / 1e6, mbs, base_a > 0 ? base_a / r.seconds : 0,
                base_b > 0 ? base_b / r.seconds : 0);
  }
  std::printf(
      "rates from CPU seconds; MB = 10^6 bytes of file; vs (x) = speed relative to case x "
      "(> 1: faster)\n");
}

int Main(int argc, char** argv) {
  Options o;
  if (!ParseArgs(argc, argv, &o)) return 2;
  std::string path = o.capture;
  if (path.empty()) {
    path = o.tmpdir + "/mcpcap-bench-" + std::to_string(getpid()) + ".pcap";
    o.gen.out = path;
    gencap::GenerateStats stats;
    absl::Status status;
    const double s = Seconds([&] { status = gencap::GenerateCapture(o.gen, &stats); });
    if (!status.ok()) {
      std::fprintf(stderr, "mcpcap_bench: %s\n", std::string(status.message()).c_str());
      return 1;
    }
    std::printf("generated %llu packets (seed %llu, %s) in %.2f s: %s\n",
                static_cast<unsigned long long>(stats.packets),
                static_cast<unsigned long long>(o.gen.seed), o.gen.nsec ? "nsec" : "usec", s,
                path.c_str());
  }
  const uint64_t file_bytes = FileSize(path);
  std::printf("capture %s: %.1f MB; best of %d runs per case, warm page cache\n", path.c_str(),
              file_bytes / 1e6, o.repeat);
  PrintLoad();

  std::vector<Row> rows;
  for (const Case& c : Cases(o)) {
    rows.push_back(Measure(c, path, c.name.rfind("tshark", 0) == 0 ? 1 : o.repeat));
    Row& r = rows.back();
    if (r.result.error.empty() && r.result.packets == 0) {
      r.result.packets = rows[0].result.packets;  // external tools do not report a count
    }
    if (r.result.error.empty() && r.result.packets != rows[0].result.packets) {
      r.result.error = "saw " + std::to_string(r.result.packets) + " packets, libpcap saw " +
                       std::to_string(rows[0].result.packets);
    }
    std::fprintf(stderr, "  %s: %.3f cpu s, checksum %llu\n", r.name.c_str(), r.seconds,
                 static_cast<unsigned long long>(r.result.checksum));
  }
  PrintTable(rows, file_bytes);
  if (o.capture.empty() && !o.keep) std::remove(path.c_str());
  return 0;
}

}  // namespace
}  // namespace mcpcap::bench

int main(int argc, char** argv) { return mcpcap::bench::Main(argc, argv); }

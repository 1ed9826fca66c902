// Runs Wireshark's capinfos on every capture we can find (../shared/captures, examples/,
// tests/data/, tests/source/data/) and checks that analyze_capinfos reports the same facts.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "backend/analysis/capinfos/capinfos.h"
#include "backend/base/proto_time.h"
#include "backend/base/time_format.h"
#include "gtest/gtest.h"

namespace mcpcap {
namespace {

namespace fs = std::filesystem;

struct CapinfosRun {
  int exit_code = -1;
  std::map<std::string, std::string> table;  // column name -> value
};

bool HaveCapinfos() { return std::system("capinfos -v >/dev/null 2>&1") == 0; }

// `capinfos -T -M` prints a header line of column names and a line of values.
CapinfosRun RunCapinfos(const std::string& path) {
  CapinfosRun run;
  const std::string command = "TZ=UTC capinfos -T -M '" + path + "' 2>/dev/null";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  std::string output;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) output.append(buf, n);
  const int status = ::pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::vector<std::string> lines = absl::StrSplit(output, '\n', absl::SkipEmpty());
  if (lines.size() < 2) return run;
  std::vector<std::string> names = absl::StrSplit(lines[0], '\t');
  std::vector<std::string> values = absl::StrSplit(lines[1], '\t');
  for (size_t i = 0; i < names.size() && i < values.size(); ++i) run.table[names[i]] = values[i];
  return run;
}

std::vector<std::string> Captures() {
  std::vector<std::string> files;
  const std::vector<std::string> roots = {MCPCAP_SHARED_CAPTURES, MCPCAP_EXAMPLES, MCPCAP_TEST_DATA,
                                          MCPCAP_SOURCE_DATA};
  for (const std::string& root : roots) {
    std::error_code ec;
    if (!fs::is_directory(root, ec)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root, ec)) {
      const std::string ext = entry.path().extension();
      if (entry.is_regular_file() && (ext == ".pcap" || ext == ".pcapng" || ext == ".cap")) {
        files.push_back(entry.path());
      }
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string ShortFileType(v1::CaptureFormat format) {
  switch (format) {
    case v1::CAPTURE_FORMAT_PCAP:
      return "pcap";
    case v1::CAPTURE_FORMAT_PCAP_NSEC:
      return "nsecpcap";
    case v1::CAPTURE_FORMAT_PCAPNG:
      return "pcapng";
    default:
      return "unknown";
  }
}

// capinfos' name of a time precision ("UNKNOWN" for a pcapng without interfaces).
std::string PrecisionName(v1::TimePrecision p) {
  switch (p) {
    case v1::TIME_PRECISION_SECONDS:
      return "seconds";
    case v1::TIME_PRECISION_DECISECONDS:
      return "deciseconds";
    case v1::TIME_PRECISION_CENTISECONDS:
      return "centiseconds";
    case v1::TIME_PRECISION_MILLISECONDS:
      return "milliseconds";
    case v1::TIME_PRECISION_MICROSECONDS:
      return "microseconds";
    case v1::TIME_PRECISION_NANOSECONDS:
      return "nanoseconds";
    case v1::TIME_PRECISION_PER_PACKET:
      return "per-packet";
    default:
      return "UNKNOWN";
  }
}

// Our time as capinfos prints it in UTC ("2014-06-30 17:21:26.981015"), to as many fractional
// digits as `theirs` shows (capinfos uses the precision of the packet's interface; the
// Timestamp keeps every nanosecond).
std::string AsCapinfosTime(const google::protobuf::Timestamp& ts, const std::string& theirs) {
  const size_t dot = theirs.find('.');
  const int digits = dot == std::string::npos ? 0 : static_cast<int>(theirs.size() - dot - 1);
  std::string t = absl::StrReplaceAll(
      FormatUtcIso(ts.seconds(), static_cast<uint32_t>(ts.nanos()), digits), {{"T", " "}});
  if (!t.empty() && t.back() == 'Z') t.pop_back();
  return t;
}

// capinfos prints rates with two decimals, and divides by the difference of the two times as
// doubles (nstime_to_sec(stop) - nstime_to_sec(start)), which is off by up to about 2.4e-7 s at
// today's epochs; we divide by the exact duration. Allow for both.
void ExpectNear2(const std::string& theirs, double ours, double duration, const std::string& what) {
  const double value = std::strtod(theirs.c_str(), nullptr);
  const double time_noise = duration > 0 ? 5e-7 / duration : 0;
  EXPECT_NEAR(value, ours, 0.0051 + (1e-9 + time_noise) * ours) << what << ": capinfos " << theirs;
}

TEST(CapinfosAgreement, EveryCaptureMatchesWiresharksCapinfos) {
  if (!HaveCapinfos()) GTEST_SKIP() << "capinfos is not installed (Debian package tshark)";
  const std::vector<std::string> files = Captures();
  if (files.empty()) GTEST_SKIP() << "no captures found";
  if (!fs::is_directory(MCPCAP_SHARED_CAPTURES)) {
    std::fprintf(stderr, "note: %s is absent; comparing our own captures only\n",
                 MCPCAP_SHARED_CAPTURES);
  }
  int compared = 0;
  for (const std::string& path : files) {
    SCOPED_TRACE(path);
    const CapinfosRun theirs = RunCapinfos(path);
    AnalysisInput input;
    input.source = input.local_path = path;
    v1::AnalyzeCapinfosRequest request;
    request.set_pcap_file(path);
    request.set_hashes(v1::CAPINFOS_HASHES_ALL);
    const auto ours = AnalyzeCapinfos(input, request);
    if (theirs.table.empty()) {
      // capinfos cannot read it: neither should we claim to.
      EXPECT_FALSE(ours.ok()) << "capinfos failed (exit " << theirs.exit_code << ") but we read it";
      continue;
    }
    const auto& t = theirs.table;
    const std::string& type = t.at("File type");
    if (type != "pcap" && type != "nsecpcap" && type != "pcapng") {
      // Other vendors' formats (NetMon, Sniffer, ...) are outside what mcpcap reads.
      std::fprintf(stderr, "skipped %s: capinfos file type %s is not pcap/pcapng\n", path.c_str(),
                   type.c_str());
      continue;
    }
    EXPECT_TRUE(ours.ok()) << ours.status();
    if (!ours.ok()) continue;
    const auto& r = *ours;
    ++compared;
    EXPECT_EQ(t.at("File type"), ShortFileType(r.capture().format()));
    EXPECT_EQ(t.at("File encapsulation"), r.file_encapsulation_short());
    EXPECT_EQ(t.at("File time precision"), PrecisionName(r.file_time_precision()));
    EXPECT_EQ(t.at("Number of packets"), std::to_string(r.packet_count()));
    EXPECT_EQ(t.at("File size (bytes)"), std::to_string(r.file_size_bytes()));
    EXPECT_EQ(t.at("Data size (bytes)"), std::to_string(r.data_size_bytes()));
    EXPECT_EQ(t.at("Packet size limit"),
              r.has_packet_size_limit() ? std::to_string(r.packet_size_limit()) : "(not set)");
    EXPECT_EQ(t.at("Packet size limit min (inferred)"),
              r.has_packet_size_limit_min_inferred()
                  ? std::to_string(r.packet_size_limit_min_inferred())
                  : "n/a");
    EXPECT_EQ(t.at("Packet size limit max (inferred)"),
              r.has_packet_size_limit_max_inferred()
                  ? std::to_string(r.packet_size_limit_max_inferred())
                  : "n/a");
    EXPECT_EQ(t.at("Strict time order"), !r.has_strict_time_order() ? "Unknown"
                                         : r.strict_time_order()    ? "True"
                                                                    : "False");
    EXPECT_EQ(t.at("SHA256"), r.sha256());
    EXPECT_EQ(t.at("SHA1"), r.sha1());
    EXPECT_EQ(t.at("RIPEMD160"), r.ripemd160());
    if (r.packet_count() == 0 || !r.has_strict_time_order()) continue;  // no times to compare
    EXPECT_EQ(t.at("Start time"), AsCapinfosTime(r.first_packet_time(), t.at("Start time")));
    EXPECT_EQ(t.at("End time"), AsCapinfosTime(r.last_packet_time(), t.at("End time")));
    // capinfos prints the exact difference; ours is exact to the nanosecond, compared here as a
    // double, exact to about 16 digits (a nanosecond-precision duration across decades has more).
    ASSERT_TRUE(r.has_capture_duration());
    const double d = static_cast<double>(DurationNanos(r.capture_duration())) / 1e9;
    const std::string& duration = t.at("Capture duration (seconds)");
    const size_t dot = duration.find('.');
    const int digits = dot == std::string::npos ? 0 : static_cast<int>(duration.size() - dot - 1);
    const std::string ours_duration = absl::StrFormat("%.*f", digits, d);
    if (duration.size() - (dot == std::string::npos ? 0 : 1) <= 15) {
      EXPECT_EQ(duration, ours_duration);
    } else {
      EXPECT_NEAR(std::strtod(duration.c_str(), nullptr), d,
                  4e-16 * std::abs(d) + std::pow(10.0, -digits))
          << "duration: capinfos " << duration;
    }
    ExpectNear2(t.at("Data byte rate (bytes/sec)"), r.data_rate_bytes(), d, "byte rate");
    ExpectNear2(t.at("Data bit rate (bits/sec)"), r.data_rate_bits(), d, "bit rate");
    ExpectNear2(t.at("Average packet size (bytes)"), r.average_packet_size_bytes(), 0, "size");
    ExpectNear2(t.at("Average packet rate (packets/sec)"), r.average_packet_rate(), d, "rate");
    EXPECT_EQ(t.at("Capture hardware"), r.capture_hardware());
    EXPECT_EQ(t.at("Capture oper-sys"), r.capture_os());
    EXPECT_EQ(t.at("Capture application"), r.capture_application());
  }
  std::fprintf(stderr, "compared %d captures with capinfos\n", compared);
  EXPECT_GT(compared, 0);
}

}  // namespace
}  // namespace mcpcap

#include "tools/gencap/generate.h"

#include <pcap/pcap.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "tools/gencap/traffic_mix.h"

namespace mcpcap::gencap {
namespace {

struct PcapCloser {
  void operator()(pcap_t* p) const { pcap_close(p); }
};
struct DumperCloser {
  void operator()(pcap_dumper_t* d) const { pcap_dump_close(d); }
};

}  // namespace

absl::Status GenerateCapture(const GenerateOptions& options, GenerateStats* stats) {
  *stats = {};
  const int precision = options.nsec ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO;
  std::unique_ptr<pcap_t, PcapCloser> dead(
      pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 262144, precision));
  if (!dead) return absl::InternalError("pcap_open_dead failed");
  std::unique_ptr<pcap_dumper_t, DumperCloser> dumper(
      pcap_dump_open(dead.get(), options.out.c_str()));
  if (!dumper) {
    return absl::UnavailableError(
        absl::StrCat("cannot write ", options.out, ": ", pcap_geterr(dead.get())));
  }

  TrafficMix mix(options.seed);
  Frame frame;
  const int64_t divisor = options.nsec ? 1 : 1000;
  for (uint64_t i = 0; i < options.packets; ++i) {
    if (!mix.Next(&frame)) {
      return absl::InternalError(absl::StrCat("frame ", i + 1, " did not fit (generator bug)"));
    }
    pcap_pkthdr hdr{};
    hdr.ts.tv_sec = static_cast<time_t>(frame.ts_ns / 1000000000);
    // With nanosecond precision libpcap stores nanoseconds in the tv_usec field.
    hdr.ts.tv_usec = static_cast<suseconds_t>((frame.ts_ns % 1000000000) / divisor);
    hdr.caplen = static_cast<bpf_u_int32>(frame.size);
    hdr.len = hdr.caplen;
    pcap_dump(reinterpret_cast<u_char*>(dumper.get()), &hdr, frame.data);
    stats->frame_bytes += frame.size;
  }
  stats->packets = options.packets;
  if (pcap_dump_flush(dumper.get()) != 0) {
    return absl::DataLossError(absl::StrCat("write error on ", options.out));
  }
  return absl::OkStatus();
}

}  // namespace mcpcap::gencap

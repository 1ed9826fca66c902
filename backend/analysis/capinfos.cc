#include "backend/analysis/capinfos.h"

#include <algorithm>
#include <future>
#include <limits>
#include <map>

#include "absl/strings/str_cat.h"
#include "backend/analysis/packet_scan.h"
#include "backend/base/status_macros.h"
#include "backend/base/time_format.h"
#include "backend/source/file_hashes.h"
#include "backend/source/link_types.h"

namespace mcpcap {
namespace {

struct Instant {
  int64_t sec = 0;
  uint32_t nsec = 0;
  bool operator<(const Instant& o) const { return sec != o.sec ? sec < o.sec : nsec < o.nsec; }
};

// Nanoseconds between two instants as seconds, without the rounding noise of subtracting two
// large doubles.
double SecondsBetween(const Instant& from, const Instant& to) {
  const __int128 ns = (static_cast<__int128>(to.sec) - from.sec) * 1000000000 +
                      (static_cast<__int128>(to.nsec) - from.nsec);
  return static_cast<double>(ns) / 1e9;
}

// Wireshark's names for timestamp precisions (pcapng if_tsresol decimal exponents).
std::string PrecisionName(const InterfaceInfo& iface) {
  if (iface.tsresol_code & 0x80) return absl::StrCat("2^-", iface.tsresol_code & 0x7f, " seconds");
  switch (iface.tsresol_code) {
    case 0:
      return "seconds";
    case 1:
      return "deciseconds";
    case 2:
      return "centiseconds";
    case 3:
      return "milliseconds";
    case 6:
      return "microseconds";
    case 9:
      return "nanoseconds";
    default:
      return absl::StrCat("10^-", static_cast<int>(iface.tsresol_code), " seconds");
  }
}

// Fraction digits that show every tick of the interface's clock.
int PrecisionDigits(const InterfaceInfo& iface) {
  if (iface.tsresol_code & 0x80) return 9;
  return std::min<int>(iface.tsresol_code, 9);
}

const char* FileTypeName(CaptureFormat format) {
  switch (format) {
    case CaptureFormat::kPcap:
      return "Wireshark/tcpdump/... - pcap";
    case CaptureFormat::kPcapNsec:
      return "Wireshark/tcpdump/... - nanosecond pcap";
    case CaptureFormat::kPcapng:
      return "Wireshark/... - pcapng";
  }
  return "unknown";
}

// What one pass over the records collects.
struct Tally {
  uint64_t packets = 0;
  uint64_t wire_bytes = 0;
  uint64_t captured_bytes = 0;
  uint64_t cut_packets = 0;
  uint32_t cut_min = std::numeric_limits<uint32_t>::max();
  uint32_t cut_max = 0;
  Instant first, last, previous;
  bool strict_order = true;
  std::map<uint32_t, uint64_t> per_interface;
  std::map<uint16_t, uint64_t> per_link_type;

  void Add(const PacketRecord& rec) {
    const Instant t{rec.ts_sec, rec.ts_nsec};
    if (packets == 0) {
      first = last = t;
    } else {
      if (t < previous) strict_order = false;
      if (t < first) first = t;
      if (last < t) last = t;
    }
    previous = t;
    ++packets;
    wire_bytes += rec.origlen;
    captured_bytes += rec.caplen;
    if (rec.caplen < rec.origlen) {
      ++cut_packets;
      cut_min = std::min(cut_min, rec.caplen);
      cut_max = std::max(cut_max, rec.caplen);
    }
    ++per_interface[rec.interface_id];
    ++per_link_type[rec.link_type];
  }
};

std::string BaseName(const std::string& source) {
  std::string path = source;
  const size_t query = path.find_first_of("?#");
  if (query != std::string::npos && path.find("://") != std::string::npos) path.resize(query);
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

void FillInterfaces(const CaptureInfo& info, const Tally& tally, v1::AnalyzeCapinfosResponse* out) {
  for (size_t i = 0; i < info.interfaces.size(); ++i) {
    const InterfaceInfo& iface = info.interfaces[i];
    v1::CaptureInterface* o = out->add_interfaces();
    o->set_index(static_cast<uint32_t>(i));
    o->set_name(iface.name);
    o->set_description(iface.description);
    o->set_encapsulation(LinkTypeDescription(iface.link_type));
    o->set_encapsulation_short(LinkTypeShortName(iface.link_type));
    o->set_link_type(iface.link_type);
    o->set_snaplen(iface.snaplen);
    o->set_time_precision(PrecisionName(iface));
    o->set_time_ticks_per_second(iface.ticks_per_second);
    o->set_filter(iface.filter);
    o->set_operating_system(iface.os);
    auto it = tally.per_interface.find(static_cast<uint32_t>(i));
    o->set_packet_count(it == tally.per_interface.end() ? 0 : it->second);
    o->set_statistics_blocks(iface.statistics_blocks);
  }
  out->set_number_of_interfaces(static_cast<uint32_t>(info.interfaces.size()));
}

void FillFileFields(const CaptureInfo& info, v1::AnalyzeCapinfosResponse* out) {
  out->set_file_type(FileTypeName(info.format));
  bool same_link_type = true, same_precision = true;
  uint32_t snaplen = 0;
  for (const InterfaceInfo& iface : info.interfaces) {
    same_link_type &= iface.link_type == info.interfaces.front().link_type;
    same_precision &= iface.tsresol_code == info.interfaces.front().tsresol_code;
    snaplen = std::max(snaplen, iface.snaplen);
  }
  if (info.interfaces.empty()) {
    out->set_file_encapsulation("Unknown");
    out->set_file_encapsulation_short("unknown");
    out->set_file_time_precision("microseconds");
  } else if (same_link_type) {
    out->set_file_encapsulation(LinkTypeDescription(info.interfaces.front().link_type));
    out->set_file_encapsulation_short(LinkTypeShortName(info.interfaces.front().link_type));
  } else {
    out->set_file_encapsulation("Per packet");
    out->set_file_encapsulation_short("per-packet");
  }
  if (!info.interfaces.empty()) {
    out->set_file_time_precision(same_precision ? PrecisionName(info.interfaces.front()) : "mixed");
  }
  // capinfos reports a file-level limit only for classic pcap; pcapng keeps it per interface.
  out->set_packet_size_limit(info.format == CaptureFormat::kPcapng ? 0 : snaplen);
  for (const SectionInfo& section : info.sections) {
    if (out->capture_hardware().empty()) out->set_capture_hardware(section.hardware);
    if (out->capture_os().empty()) out->set_capture_os(section.os);
    if (out->capture_application().empty()) out->set_capture_application(section.application);
    for (const std::string& comment : section.comments) out->add_capture_comments(comment);
  }
  out->set_section_count(static_cast<uint32_t>(info.sections.size()));
}

void FillPacketFields(const CaptureInfo& info, const Tally& tally,
                      v1::AnalyzeCapinfosResponse* out) {
  out->set_packet_count(tally.packets);
  out->set_data_size_bytes(tally.wire_bytes);
  out->set_captured_size_bytes(tally.captured_bytes);
  out->set_packets_cut_by_snaplen(tally.cut_packets);
  if (tally.cut_packets > 0) {
    out->set_packet_size_limit_min_inferred(tally.cut_min);
    out->set_packet_size_limit_max_inferred(tally.cut_max);
  }
  out->set_strict_time_order(tally.strict_order);
  for (const auto& [link_type, count] : tally.per_link_type) {
    (*out->mutable_packets_by_encapsulation())[LinkTypeDescription(link_type)] += count;
  }
  if (tally.packets == 0) return;
  int digits = 0;
  for (const InterfaceInfo& iface : info.interfaces) {
    digits = std::max(digits, PrecisionDigits(iface));
  }
  const double duration = SecondsBetween(tally.first, tally.last);
  out->set_capture_duration_seconds(duration);
  out->set_first_packet_time(ToEpochSeconds(tally.first.sec, tally.first.nsec));
  out->set_last_packet_time(ToEpochSeconds(tally.last.sec, tally.last.nsec));
  out->set_first_packet_time_utc(FormatUtcIso(tally.first.sec, tally.first.nsec, digits));
  out->set_last_packet_time_utc(FormatUtcIso(tally.last.sec, tally.last.nsec, digits));
  const double bytes = static_cast<double>(tally.wire_bytes);
  out->set_average_packet_size_bytes(bytes / static_cast<double>(tally.packets));
  if (duration > 0) {  // as capinfos: no rate without a duration, never a division by ~0
    out->set_data_rate_bytes(bytes / duration);
    out->set_data_rate_bits(bytes * 8 / duration);
    out->set_average_packet_rate(static_cast<double>(tally.packets) / duration);
  }
}

}  // namespace

absl::StatusOr<v1::AnalyzeCapinfosResponse> AnalyzeCapinfos(
    const AnalysisInput& input, const v1::AnalyzeCapinfosRequest& request) {
  const std::string& hashes = request.hashes();
  if (!hashes.empty() && hashes != "sha256" && hashes != "all" && hashes != "none") {
    return absl::InvalidArgumentError(
        absl::StrCat("hashes must be \"sha256\", \"all\" or \"none\", not \"", hashes, "\""));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<PacketScan> scan, PacketScan::Open(input));

  // Hash on the second core while the records are walked.
  std::future<absl::StatusOr<FileHashes>> digest;
  if (hashes != "none") {
    digest = std::async(std::launch::async, [&input, all = hashes == "all"] {
      return HashFile(input.local_path, all, input.cancelled);
    });
  }
  Tally tally;
  absl::Status scanned = scan->Run([&tally](const PacketRecord& rec) { tally.Add(rec); });
  absl::StatusOr<FileHashes> file_hashes =
      digest.valid() ? digest.get() : absl::StatusOr<FileHashes>(FileHashes{});
  RETURN_IF_ERROR(scanned);
  RETURN_IF_ERROR(file_hashes.status());

  const CaptureInfo& info = scan->info();
  v1::AnalyzeCapinfosResponse out;
  scan->FillSummary(out.mutable_capture());
  out.set_file_size_bytes(info.file_size);
  out.set_filename(BaseName(input.source));
  out.set_cut_short(info.cut_short);
  FillFileFields(info, &out);
  FillInterfaces(info, tally, &out);
  FillPacketFields(info, tally, &out);
  if (file_hashes->sha256) out.set_sha256(*file_hashes->sha256);
  if (file_hashes->sha1) out.set_sha1(*file_hashes->sha1);
  if (file_hashes->ripemd160) out.set_ripemd160(*file_hashes->ripemd160);
  if (tally.packets == 0) out.mutable_capture()->add_warnings("the capture holds no packets");
  return out;
}

}  // namespace mcpcap

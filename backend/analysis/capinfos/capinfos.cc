#include "backend/analysis/capinfos/capinfos.h"

#include <algorithm>
#include <future>
#include <limits>
#include <map>

#include "absl/strings/str_cat.h"
#include "backend/analysis/common/packet_scan.h"
#include "backend/base/error_details.h"
#include "backend/base/proto_time.h"
#include "backend/base/status_macros.h"
#include "backend/source/file_hashes.h"
#include "backend/source/link_types.h"

namespace mcpcap {
namespace {

struct Instant {
  int64_t sec = 0;
  uint32_t nsec = 0;
  bool operator<(const Instant& o) const { return sec != o.sec ? sec < o.sec : nsec < o.nsec; }
};

// The exact span between two instants (to >= from), to the nanosecond, and its seconds as a
// double for the rates.
double SetSpan(const Instant& from, const Instant& to, google::protobuf::Duration* out) {
  const __int128 ns = (static_cast<__int128>(to.sec) - from.sec) * 1000000000 +
                      (static_cast<__int128>(to.nsec) - from.nsec);
  out->set_seconds(static_cast<int64_t>(ns / 1000000000));
  out->set_nanos(static_cast<int32_t>(ns % 1000000000));
  return static_cast<double>(ns) / 1e9;
}

// The precision Wireshark gives an interface: the decimal digits its ticks need, rounded down
// to seconds, deci-, centi-, milli-, micro- or nanoseconds (2^-10 s ticks count as
// milliseconds, 10^-7 s as microseconds, anything finer than 1e9 ticks a second as
// nanoseconds). capinfos names and prints times with it.
int PrecisionDigits(const InterfaceInfo& iface) {
  const uint64_t tps = iface.ticks_per_second;
  if (tps >= 1000000000) return 9;
  if (tps >= 1000000) return 6;
  if (tps >= 1000) return 3;
  if (tps >= 100) return 2;
  if (tps >= 10) return 1;
  return 0;
}

v1::TimePrecision Precision(const InterfaceInfo& iface) {
  switch (PrecisionDigits(iface)) {
    case 0:
      return v1::TIME_PRECISION_SECONDS;
    case 1:
      return v1::TIME_PRECISION_DECISECONDS;
    case 2:
      return v1::TIME_PRECISION_CENTISECONDS;
    case 3:
      return v1::TIME_PRECISION_MILLISECONDS;
    case 6:
      return v1::TIME_PRECISION_MICROSECONDS;
    default:
      return v1::TIME_PRECISION_NANOSECONDS;
  }
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

// Bytes of link-layer pseudo-header that Wireshark strips from a record before counting its
// lengths (SunATM, MTP2, IrDA, LAPD, SITA, Bluetooth H4 and monitor, PPP with direction, I2C).
// capinfos's data size and inferred snapshot lengths leave them out, so ours do too. ERF's
// header has a variable length and is not modelled.
uint32_t PseudoHeaderBytes(uint16_t link_type) {
  switch (link_type) {
    case 123:  // SUNATM
    case 139:  // MTP2_WITH_PHDR
    case 201:  // BLUETOOTH_HCI_H4_WITH_PHDR
    case 254:  // BLUETOOTH_LINUX_MONITOR
      return 4;
    case 144:  // IRDA
    case 177:  // LINUX_LAPD
      return 16;
    case 196:  // SITA
    case 209:  // I2C_LINUX
      return 5;
    case 204:  // PPP_WITH_DIR
      return 1;
    default:
      return 0;
  }
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
  bool every_packet_timed = true;  // false once a record without a time is seen
  std::map<uint32_t, uint64_t> per_interface;
  std::map<uint16_t, uint64_t> per_link_type;

  void Add(const PacketRecord& rec) {
    AddTime(rec);
    ++packets;
    const uint32_t skip = PseudoHeaderBytes(rec.link_type);
    const uint32_t origlen = rec.origlen > skip ? rec.origlen - skip : 0;
    const uint32_t caplen = rec.caplen > skip ? rec.caplen - skip : 0;
    wire_bytes += origlen;
    captured_bytes += caplen;
    if (caplen < origlen) {
      ++cut_packets;
      cut_min = std::min(cut_min, caplen);
      cut_max = std::max(cut_max, caplen);
    }
    ++per_interface[rec.interface_id];
    ++per_link_type[rec.link_type];
  }

 private:
  // Only records with a time take part in the order and the span, as in capinfos.
  void AddTime(const PacketRecord& rec) {
    if (!rec.has_time) {
      every_packet_timed = false;
      return;
    }
    const Instant t{rec.ts_sec, rec.ts_nsec};
    if (timed == 0) {
      first = last = t;
    } else {
      if (t < previous) strict_order = false;
      if (t < first) first = t;
      if (last < t) last = t;
    }
    previous = t;
    ++timed;
  }

  uint64_t timed = 0;  // records with a time
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
    o->set_time_precision(Precision(iface));
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
    same_precision &= PrecisionDigits(iface) == PrecisionDigits(info.interfaces.front());
    snaplen = std::max(snaplen, iface.snaplen);
  }
  if (info.interfaces.empty()) {
    out->set_file_encapsulation("Unknown");
    out->set_file_encapsulation_short("unknown");
    // file_time_precision stays unspecified: capinfos says "UNKNOWN" for a pcapng without
    // interfaces.
  } else if (same_link_type) {
    out->set_file_encapsulation(LinkTypeDescription(info.interfaces.front().link_type));
    out->set_file_encapsulation_short(LinkTypeShortName(info.interfaces.front().link_type));
  } else {
    out->set_file_encapsulation("Per packet");
    out->set_file_encapsulation_short("per-packet");
  }
  if (!info.interfaces.empty()) {
    out->set_file_time_precision(same_precision ? Precision(info.interfaces.front())
                                                : v1::TIME_PRECISION_PER_PACKET);
  }
  // capinfos reports a file-level limit only for classic pcap; pcapng keeps it per interface.
  if (info.format != CaptureFormat::kPcapng && snaplen != 0) out->set_packet_size_limit(snaplen);
  for (const SectionInfo& section : info.sections) {
    if (out->capture_hardware().empty()) out->set_capture_hardware(section.hardware);
    if (out->capture_os().empty()) out->set_capture_os(section.os);
    if (out->capture_application().empty()) out->set_capture_application(section.application);
    for (const std::string& comment : section.comments) out->add_capture_comments(comment);
  }
  out->set_section_count(static_cast<uint32_t>(info.sections.size()));
}

void FillPacketFields(const Tally& tally, v1::AnalyzeCapinfosResponse* out) {
  out->set_packet_count(tally.packets);
  out->set_data_size_bytes(tally.wire_bytes);
  out->set_captured_size_bytes(tally.captured_bytes);
  out->set_packets_cut_by_snaplen(tally.cut_packets);
  if (tally.cut_max > 0) {  // as capinfos: only empty cut records say nothing of a limit
    out->set_packet_size_limit_min_inferred(tally.cut_min);
    out->set_packet_size_limit_max_inferred(tally.cut_max);
  }
  for (const auto& [link_type, count] : tally.per_link_type) {
    (*out->mutable_packets_by_encapsulation())[LinkTypeDescription(link_type)] += count;
  }
  if (tally.packets > 0) {
    out->set_average_packet_size_bytes(static_cast<double>(tally.wire_bytes) /
                                       static_cast<double>(tally.packets));
  }
  // As capinfos: one record without a time (a pcapng simple packet) makes the first and last
  // times, the duration and the rates unknown, and the order too unless it was already broken:
  // they are left out.
  if (!tally.strict_order || tally.every_packet_timed) {
    out->set_strict_time_order(tally.strict_order);
  }
  if (!tally.every_packet_timed || tally.packets == 0) return;
  const double duration = SetSpan(tally.first, tally.last, out->mutable_capture_duration());
  SetTimestamp(tally.first.sec, tally.first.nsec, out->mutable_first_packet_time());
  SetTimestamp(tally.last.sec, tally.last.nsec, out->mutable_last_packet_time());
  const double bytes = static_cast<double>(tally.wire_bytes);
  if (duration > 0) {  // as capinfos: no rate without a duration, never a division by ~0
    out->set_data_rate_bytes(bytes / duration);
    out->set_data_rate_bits(bytes * 8 / duration);
    out->set_average_packet_rate(static_cast<double>(tally.packets) / duration);
  }
}

}  // namespace

absl::StatusOr<v1::AnalyzeCapinfosResponse> AnalyzeCapinfos(
    const AnalysisInput& input, const v1::AnalyzeCapinfosRequest& request) {
  const v1::CapinfosHashes hashes = request.hashes();
  if (!v1::CapinfosHashes_IsValid(hashes)) {
    return FieldError("hashes", absl::StrCat("hashes must be \"sha256\", \"all\" or \"none\", not ",
                                             static_cast<int>(hashes)));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<PacketScan> scan, PacketScan::Open(input));

  // Hash on the second core while the records are walked.
  std::future<absl::StatusOr<FileHashes>> digest;
  if (hashes != v1::CAPINFOS_HASHES_NONE) {
    digest = std::async(std::launch::async, [&input, all = hashes == v1::CAPINFOS_HASHES_ALL] {
      return HashFile(input.local_path, all, input.cancelled);
    });
  }
  Tally tally;
  absl::Status scanned = scan->Run([&tally](const PacketRecord& rec) { tally.Add(rec); });
  absl::StatusOr<FileHashes> file_hashes =
      digest.valid() ? digest.get() : absl::StatusOr<FileHashes>(FileHashes{});
  RETURN_IF_ERROR(scanned);
  RETURN_IF_ERROR(WithFacts(file_hashes.status(), {{"pcap_file", input.source}}));

  const CaptureInfo& info = scan->info();
  v1::AnalyzeCapinfosResponse out;
  scan->FillSummary(out.mutable_capture());
  out.set_file_size_bytes(info.file_size);
  out.set_filename(BaseName(input.source));
  out.set_cut_short(info.cut_short);
  FillFileFields(info, &out);
  FillInterfaces(info, tally, &out);
  FillPacketFields(tally, &out);
  if (file_hashes->sha256) out.set_sha256(*file_hashes->sha256);
  if (file_hashes->sha1) out.set_sha1(*file_hashes->sha1);
  if (file_hashes->ripemd160) out.set_ripemd160(*file_hashes->ripemd160);
  if (tally.packets == 0) out.mutable_capture()->add_warnings("the capture holds no packets");
  return out;
}

}  // namespace mcpcap

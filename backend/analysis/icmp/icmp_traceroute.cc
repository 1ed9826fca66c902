#include "backend/analysis/icmp/icmp_traceroute.h"

#include <algorithm>
#include <limits>

#include "backend/analysis/common/result_parts.h"
#include "backend/dissect/icmp_names.h"

namespace mcpcap {
namespace {

// One row of the result: a router at a hop, with every probe it answered.
struct HopRow {
  uint32_t probes = 0;
  std::vector<CaptureNanos> rtts;
  uint64_t frame = 0;
  CaptureNanos time = 0;
  bool destination = false;
};

}  // namespace

void IcmpTracerouteBuilder::OnPacket(const ProbeKey& key, uint8_t ttl, uint64_t frame,
                                     CaptureNanos time) {
  if (ttl == 0 || ttl > kMaxProbeTtl) return;
  auto it = probes_.find(key);
  if (it == probes_.end() && probes_.size() >= kMaxProbes) return;
  probes_[key] = Probe{frame, time, ttl};  // a repeated key is a new probe: the latest counts
}

IcmpFrame IcmpTracerouteBuilder::ProbeFrame(const ProbeKey& key) const {
  auto it = probes_.find(key);
  return it == probes_.end() ? IcmpFrame{} : IcmpFrame{it->second.frame, it->second.time};
}

IcmpTracerouteBuilder::Answer IcmpTracerouteBuilder::MakeAnswer(const IpAddress& router,
                                                                const ProbeKey& key, uint64_t frame,
                                                                CaptureNanos time) const {
  Answer a;
  a.router = router;
  a.frame = frame;
  a.time = time;
  a.order = key.b;
  auto it = probes_.find(key);
  if (it != probes_.end() && it->second.time <= time) {
    a.probe_ttl = it->second.ttl;
    a.has_rtt = true;
    a.rtt = time - it->second.time;
  }
  return a;
}

IcmpFrame IcmpTracerouteBuilder::OnTimeExceeded(const IpAddress& router, const ProbeKey& quoted,
                                                uint64_t frame, CaptureNanos time) {
  Path& path = paths_[PathKey{quoted.src, quoted.dst, quoted.protocol}];
  const Answer a = MakeAnswer(router, quoted, frame, time);
  if (path.answers.size() < kMaxAnswers) path.answers.push_back(a);
  return a.has_rtt ? ProbeFrame(quoted) : IcmpFrame{};
}

IcmpFrame IcmpTracerouteBuilder::OnDestinationAnswer(const ProbeKey& probe, uint64_t frame,
                                                     CaptureNanos time) {
  auto it = paths_.find(PathKey{probe.src, probe.dst, probe.protocol});
  if (it == paths_.end()) return IcmpFrame{};
  Answer a = MakeAnswer(probe.dst, probe, frame, time);
  a.destination = true;
  if (it->second.answers.size() < kMaxAnswers) it->second.answers.push_back(a);
  return a.has_rtt ? ProbeFrame(probe) : IcmpFrame{};
}

void IcmpTracerouteBuilder::FillPath(const PathKey& key, const Path& path,
                                     v1::TraceroutePath* out) const {
  const auto& [source, destination, protocol] = key;
  FillEndpoint(source, out->mutable_source());
  FillEndpoint(destination, out->mutable_destination());
  out->set_protocol(IpProtocolName(protocol));

  // Hop numbers for answers whose probe was not captured: routers ranked by their first probe.
  std::map<IpAddress, uint32_t> first_order;
  for (const Answer& a : path.answers) {
    if (a.probe_ttl != 0 || a.destination) continue;
    auto [it, inserted] = first_order.emplace(a.router, a.order);
    if (!inserted) it->second = std::min(it->second, a.order);
  }
  std::vector<std::pair<uint32_t, IpAddress>> ranked;
  for (const auto& [router, order] : first_order) ranked.emplace_back(order, router);
  std::sort(ranked.begin(), ranked.end());
  std::map<IpAddress, uint32_t> rank;
  for (size_t i = 0; i < ranked.size(); ++i) rank[ranked[i].second] = static_cast<uint32_t>(i + 1);

  uint32_t max_router_hop = 0;
  auto hop_of = [&](const Answer& a) -> uint32_t {
    if (a.probe_ttl != 0) return a.probe_ttl;
    auto it = rank.find(a.router);
    return it == rank.end() ? 0 : it->second;
  };
  for (const Answer& a : path.answers) {
    if (!a.destination) max_router_hop = std::max(max_router_hop, hop_of(a));
  }
  // The destination sits at the lowest TTL that reached it (later, higher-TTL probes reach it
  // too); without captured probes, one past the last router.
  uint32_t dest_hop = std::numeric_limits<uint32_t>::max();
  for (const Answer& a : path.answers) {
    if (!a.destination) continue;
    dest_hop = std::min(dest_hop, a.probe_ttl != 0 ? uint32_t{a.probe_ttl} : max_router_hop + 1);
  }
  const bool reached = dest_hop != std::numeric_limits<uint32_t>::max();
  out->set_reached(reached);

  std::map<std::pair<uint32_t, IpAddress>, HopRow> rows;
  for (const Answer& a : path.answers) {
    uint32_t hop = a.destination ? (a.probe_ttl != 0 ? a.probe_ttl : dest_hop) : hop_of(a);
    if (a.destination && hop != dest_hop) continue;
    if (!a.destination && reached && hop >= dest_hop) continue;
    HopRow& row = rows[{hop, a.router}];
    if (row.probes == 0) {
      row.frame = a.frame;
      row.time = a.time;
    }
    ++row.probes;
    if (a.has_rtt) row.rtts.push_back(a.rtt);
    row.destination |= a.destination;
  }

  // Captured probes of this path that drew no answer at all: "*" hops, as traceroute prints.
  std::map<uint32_t, uint32_t> silent;  // ttl -> probes
  for (const auto& [pk, probe] : probes_) {
    if (pk.src != source || pk.dst != destination || pk.protocol != protocol) continue;
    silent[probe.ttl]++;
  }
  const uint32_t last = reached ? dest_hop : std::min<uint32_t>(kMaxHops, kMaxProbeTtl + 1);
  for (const auto& [ttl, count] : silent) {
    if (ttl >= last) continue;
    bool answered = false;
    for (const auto& [hop_router, row] : rows) answered |= hop_router.first == ttl;
    if (!answered) rows[{ttl, IpAddress()}].probes = count;
  }

  for (const auto& [hop_router, row] : rows) {
    v1::TracerouteHop* hop = out->add_hops();
    hop->set_hop(hop_router.first);
    const bool silent_hop = hop_router.second.empty();
    hop->set_router(silent_hop ? "*" : hop_router.second.ToString());
    hop->set_probes(row.probes);
    hop->set_is_destination(row.destination);
    if (!silent_hop) FillPacketRef(row.frame, row.time, hop->mutable_first_answer());
    if (!row.rtts.empty()) {
      SetDurationNanos(*std::min_element(row.rtts.begin(), row.rtts.end()), hop->mutable_rtt());
    }
    for (CaptureNanos r : row.rtts) SetDurationNanos(r, hop->add_probe_rtts());
  }
}

void IcmpTracerouteBuilder::Fill(
    Listing& listing, google::protobuf::RepeatedPtrField<v1::TraceroutePath>* out) const {
  for (const auto& [key, path] : paths_) {
    if (listing.Admit()) FillPath(key, path, out->Add());
  }
}

}  // namespace mcpcap

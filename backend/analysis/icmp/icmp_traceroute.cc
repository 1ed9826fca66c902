#include "backend/analysis/icmp/icmp_traceroute.h"

#include <algorithm>
#include <limits>
#include <tuple>

#include "backend/analysis/common/result_parts.h"
#include "backend/dissect/icmp_names.h"

namespace mcpcap {
namespace {

// Probe order keys (UDP destination port, echo sequence) rise by one per probe; a run of 30 hops
// with 3 probes each spans 90. A jump beyond this is another tool's range.
constexpr uint32_t kOrderWindow = 100;

// One row of the result: a router at a hop, with every probe it answered.
struct HopRow {
  uint32_t probes = 0;
  std::vector<CaptureNanos> rtts;
  uint64_t frame = 0;
  CaptureNanos time = 0;
  bool destination = false;
};

}  // namespace

void IcmpTracerouteBuilder::Run::Touch(uint64_t frame, CaptureNanos time) {
  if (first_frame == 0 || frame < first_frame) {
    first_frame = frame;
    first_time = time;
  }
  if (frame >= last_frame) {
    last_frame = frame;
    last_time = time;
  }
}

IcmpTracerouteBuilder::StreamKey IcmpTracerouteBuilder::StreamOf(const ProbeKey& k) {
  // ICMP echo probes carry the run's identifier (traceroute -I, mtr, tracert); UDP and TCP
  // probes change ports from probe to probe, so ports do not name a run.
  const bool echo = k.protocol == 1 || k.protocol == 58;
  return StreamKey{k.src, k.dst, k.protocol, echo ? k.a : uint16_t{0}};
}

void IcmpTracerouteBuilder::Run::Start(const ProbeKey& key) {
  *this = Run();
  source = key.src;
  destination = key.dst;
  protocol = key.protocol;
  echo = key.protocol == 1 || key.protocol == 58;
  echo_id = echo ? key.a : 0;
}

int64_t IcmpTracerouteBuilder::NewRun(const ProbeKey& key) {
  if (runs_.size() >= kMaxRuns) return -1;
  runs_.emplace_back().Start(key);
  return static_cast<int64_t>(runs_.size() - 1);
}

void IcmpTracerouteBuilder::OnPacket(const ProbeKey& key, uint8_t ttl, uint64_t frame,
                                     CaptureNanos time) {
  if (ttl == 0 || ttl > kMaxProbeTtl) return;
  auto it = probes_.find(key);
  if (it == probes_.end() && probes_.size() >= kMaxProbes) return;
  const StreamKey sk = StreamOf(key);
  auto sit = streams_.find(sk);
  if (sit == streams_.end()) {
    if (streams_.size() >= kMaxProbes) return;
    sit = streams_.emplace(sk, Stream()).first;
  }
  Stream& st = sit->second;
  // A new run: the first probe, a long pause, or the TTL starting over at the run's first value
  // after it went higher (traceroute, tracepath and mtr cycles raise the TTL probe by probe).
  const bool restart = st.max_ttl > st.first_ttl && ttl <= st.first_ttl;
  if (st.run < 0 || time - st.last_probe > kRunGap || restart) {
    // A run that drew no answer at all (low-TTL multicast, say) is no traceroute: its slot is
    // reused, so that such traffic cannot use up the runs.
    const bool unanswered = st.run >= 0 && runs_[st.run].answers.empty();
    if (unanswered) {
      runs_[st.run].Start(key);
    } else {
      st.run = NewRun(key);
    }
    st.first_ttl = ttl;
    st.max_ttl = ttl;
    if (st.run < 0) return;
  }
  st.last_probe = time;
  st.max_ttl = std::max(st.max_ttl, ttl);
  Run& r = runs_[st.run];
  r.Touch(frame, time);
  ++r.probes;
  r.max_ttl = std::max(r.max_ttl, ttl);
  ++r.probes_per_ttl[ttl];
  // A repeated key is a new probe: the latest counts.
  probes_[key] = Probe{frame, time, ttl, static_cast<uint32_t>(st.run)};
}

const IcmpTracerouteBuilder::Probe* IcmpTracerouteBuilder::FindProbe(const ProbeKey& key,
                                                                     CaptureNanos time) const {
  auto it = probes_.find(key);
  if (it == probes_.end() || it->second.time > time || time - it->second.time > kRunGap) {
    return nullptr;
  }
  return &it->second;
}

IcmpFrame IcmpTracerouteBuilder::ProbeFrame(const ProbeKey& key, CaptureNanos time) const {
  const Probe* p = FindProbe(key, time);
  return p == nullptr ? IcmpFrame{} : IcmpFrame{p->frame, p->time};
}

int64_t IcmpTracerouteBuilder::Place(const IpAddress& router, const ProbeKey& key, uint64_t frame,
                                     CaptureNanos time, bool may_start, Answer* a) {
  a->router = router;
  a->frame = frame;
  a->time = time;
  a->order = key.b;
  if (const Probe* p = FindProbe(key, time)) {
    a->probe_ttl = p->ttl;
    a->has_rtt = true;
    a->rtt = time - p->time;
    return p->run;
  }
  auto sit = streams_.find(StreamOf(key));
  if (sit == streams_.end()) {
    if (!may_start || streams_.size() >= kMaxProbes) return -1;
    sit = streams_.emplace(StreamOf(key), Stream()).first;
  }
  Stream& st = sit->second;
  // Probes of this run are captured, only not this one: it joins the run being sent.
  if (st.run >= 0 && time >= st.last_probe && time - st.last_probe <= kRunGap) return st.run;
  // Answers alone: a pause, the probe order starting over, or a jump to another port or sequence
  // range (tracepath after traceroute) begins another run.
  const bool restart = (st.max_order > st.first_order && a->order <= st.first_order) ||
                       a->order > st.max_order + kOrderWindow;
  if (st.answer_run < 0 || time - st.last_answer > kRunGap || restart) {
    if (!may_start) return -1;
    st.answer_run = NewRun(key);
    st.first_order = a->order;
    st.max_order = a->order;
    if (st.answer_run < 0) return -1;
  }
  st.last_answer = time;
  st.first_order = std::min(st.first_order, a->order);
  st.max_order = std::max(st.max_order, a->order);
  return st.answer_run;
}

IcmpFrame IcmpTracerouteBuilder::OnTimeExceeded(const IpAddress& router, const ProbeKey& quoted,
                                                uint64_t frame, CaptureNanos time) {
  Answer a;
  const int64_t run = Place(router, quoted, frame, time, /*may_start=*/true, &a);
  if (run < 0) return IcmpFrame{};
  Run& r = runs_[run];
  r.time_exceeded = true;
  r.Touch(frame, time);
  if (r.answers.size() < kMaxAnswers) r.answers.push_back(a);
  return a.has_rtt ? ProbeFrame(quoted, time) : IcmpFrame{};
}

IcmpFrame IcmpTracerouteBuilder::OnDestinationAnswer(const ProbeKey& probe, uint64_t frame,
                                                     CaptureNanos time) {
  Answer a;
  const int64_t run = Place(probe.dst, probe, frame, time, /*may_start=*/false, &a);
  if (run < 0) return IcmpFrame{};
  a.destination = true;
  Run& r = runs_[run];
  r.Touch(frame, time);
  if (r.answers.size() < kMaxAnswers) r.answers.push_back(a);
  return a.has_rtt ? ProbeFrame(probe, time) : IcmpFrame{};
}

size_t IcmpTracerouteBuilder::path_count() const {
  size_t n = 0;
  for (const Run& r : runs_) n += r.time_exceeded ? 1 : 0;
  return n;
}

void IcmpTracerouteBuilder::FillPath(const Run& path, v1::TraceroutePath* out) const {
  FillEndpoint(path.source, out->mutable_source());
  FillEndpoint(path.destination, out->mutable_destination());
  out->set_protocol(IpProtocolName(path.protocol));
  FillPacketRef(path.first_frame, path.first_time, out->mutable_first_packet());
  FillPacketRef(path.last_frame, path.last_time, out->mutable_last_packet());
  out->set_probes(path.probes);
  if (path.max_ttl != 0) out->set_max_probe_ttl(path.max_ttl);
  if (path.echo) out->set_echo_identifier(path.echo_id);

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
    // No hop beyond the TTLs this run probed (a rank among answers cannot exceed them either).
    if (path.max_ttl != 0 && hop > path.max_ttl) continue;
    HopRow& row = rows[{hop, a.router}];
    if (row.probes == 0) {
      row.frame = a.frame;
      row.time = a.time;
    }
    ++row.probes;
    if (a.has_rtt) row.rtts.push_back(a.rtt);
    row.destination |= a.destination;
  }

  // Captured probes of this run that drew no answer at all: "*" hops, as traceroute prints.
  const uint32_t last = reached ? dest_hop : std::min<uint32_t>(kMaxHops, kMaxProbeTtl + 1);
  for (const auto& [ttl, count] : path.probes_per_ttl) {
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
  std::vector<const Run*> order;
  for (const Run& r : runs_) {
    if (r.time_exceeded) order.push_back(&r);
  }
  std::sort(order.begin(), order.end(), [](const Run* a, const Run* b) {
    return std::tie(a->source, a->destination, a->protocol, a->first_frame) <
           std::tie(b->source, b->destination, b->protocol, b->first_frame);
  });
  for (const Run* r : order) {
    if (listing.Admit()) FillPath(*r, out->Add());
  }
}

}  // namespace mcpcap

#include "backend/analysis/icmp/icmp_findings.h"

#include <algorithm>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "backend/analysis/common/result_parts.h"

namespace mcpcap {
namespace {

void AddExamples(const std::vector<IcmpFrame>& frames, v1::Finding* f) {
  std::vector<IcmpFrame> sorted = frames;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  for (size_t i = 0; i < sorted.size() && f->examples_size() < 10; ++i) {
    FillPacketRef(sorted[i].frame, sorted[i].time, f->add_examples());
  }
}

// One source that echoed many destinations.
void PingSweeps(const IcmpEchoTracker& echo, google::protobuf::RepeatedPtrField<v1::Finding>* out) {
  struct Sweep {
    std::set<IpAddress> targets;
    std::set<IpAddress> answered;
    uint64_t requests = 0;
    CaptureNanos first = 0, last = 0;
    std::vector<IcmpFrame> frames;
  };
  std::map<IpAddress, Sweep> by_source;
  for (const auto& [key, s] : echo.sessions()) {
    if (s.requests == 0) continue;
    Sweep& w = by_source[key.source];
    if (w.requests == 0 || s.first_time < w.first) w.first = s.first_time;
    w.last = std::max(w.last, s.last_time);
    w.requests += s.requests;
    w.targets.insert(key.destination);
    if (s.answered > 0) w.answered.insert(key.destination);
    w.frames.push_back({s.first_packet, s.first_time});
  }
  for (const auto& [source, w] : by_source) {
    if (w.targets.size() < kSweepMinDestinations) continue;
    v1::Finding* f = out->Add();
    f->set_indicator("icmp_ping_sweep");
    f->set_severity(v1::SEVERITY_MEDIUM);
    f->set_confidence(std::min(0.95, 0.5 + static_cast<double>(w.targets.size()) / 100.0));
    f->set_description(absl::StrCat(source.ToString(), " sent echo requests to ", w.targets.size(),
                                    " different hosts (host discovery)."));
    f->add_evidence(absl::StrCat("distinct destinations: ", w.targets.size(), " (threshold ",
                                 kSweepMinDestinations, ")"));
    f->add_evidence(absl::StrCat("echo requests: ", w.requests));
    f->add_evidence(absl::StrCat("destinations that replied: ", w.answered.size()));
    f->add_evidence(absl::StrCat("over ", static_cast<double>(w.last - w.first) / 1e9, " s"));
    AddExamples(w.frames, f);
    f->set_recommendation(absl::StrCat(
        "Check whether ", source.ToString(),
        " is an authorised scanner or monitoring host; if not, look for follow-up port scans "
        "from it (analyze_tcp_connections with its address) and for the hosts that replied."));
  }
}

// Echo data that is no ping filler, replies that do not echo their request, large payloads.
void EchoPayloads(const IcmpEchoTracker& echo,
                  google::protobuf::RepeatedPtrField<v1::Finding>* out) {
  uint64_t odd = 0, mismatched = 0, large = 0, bytes = 0, suspicious_sessions = 0;
  uint32_t max_payload = 0;
  size_t max_sizes = 0;
  std::vector<IcmpFrame> frames, large_frames;
  std::vector<std::string> who;
  for (const auto& [key, s] : echo.sessions()) {
    if (s.large_payloads > 0) {
      large += s.large_payloads;
      large_frames.push_back({s.first_packet, s.first_time});
    }
    const bool suspicious = s.mismatched_replies > 0 || s.odd_payloads > 0;
    if (!suspicious) continue;
    ++suspicious_sessions;
    odd += s.odd_payloads;
    mismatched += s.mismatched_replies;
    bytes += s.payload_bytes;
    max_payload = std::max(max_payload, s.max_payload);
    max_sizes = std::max(max_sizes, s.sizes.size());
    frames.insert(frames.end(), s.odd_examples.begin(), s.odd_examples.end());
    if (frames.empty()) frames.push_back({s.first_packet, s.first_time});
    if (who.size() < 5) {
      who.push_back(absl::StrCat(key.source.ToString(), " -> ", key.destination.ToString(), " id ",
                                 key.identifier));
    }
  }
  if (suspicious_sessions > 0) {
    // Replies carrying other data than their request are the strongest sign: a normal stack
    // echoes the data unchanged. Many odd payloads of varying sizes come next.
    const bool strong = mismatched > 0 || (odd >= 5 && max_sizes >= 3);
    v1::Finding* f = out->Add();
    f->set_indicator("icmp_tunnelling_suspected");
    f->set_severity(strong ? v1::SEVERITY_HIGH : v1::SEVERITY_LOW);
    f->set_confidence(mismatched > 0 ? 0.85 : strong ? 0.7 : 0.35);
    f->set_description(strong ? "ICMP echo messages carry data that looks like a tunnel."
                              : "ICMP echo messages carry data that is no usual ping filler.");
    f->add_evidence(
        absl::StrCat("sessions: ", suspicious_sessions, " (", absl::StrJoin(who, ", "), ")"));
    f->add_evidence(absl::StrCat("requests with non-standard data: ", odd));
    f->add_evidence(absl::StrCat("replies whose data differs from the request: ", mismatched));
    f->add_evidence(absl::StrCat("distinct request sizes in one session: up to ", max_sizes));
    f->add_evidence(absl::StrCat("echo data: ", bytes, " bytes, largest ", max_payload));
    AddExamples(frames, f);
    f->set_recommendation(
        "Inspect the echo data of the example frames (tshark -x); tools such as ptunnel, "
        "icmpsh or icmptunnel leave readable protocol data there. Block or rate-limit ICMP echo "
        "with payloads from the hosts involved if they are not expected.");
  }
  if (large > 0) {
    v1::Finding* f = out->Add();
    f->set_indicator("icmp_large_echo_payload");
    f->set_severity(v1::SEVERITY_LOW);
    f->set_confidence(0.5);
    f->set_description(absl::StrCat("Echo requests with more than ", kLargeEchoPayload,
                                    " bytes of data were sent."));
    f->add_evidence(absl::StrCat("large echo requests: ", large));
    uint32_t largest = 0;
    for (const auto& [key, s] : echo.sessions()) largest = std::max(largest, s.max_payload);
    f->add_evidence(absl::StrCat("largest echo data: ", largest, " bytes"));
    AddExamples(large_frames, f);
    f->set_recommendation(
        "Large pings are used for MTU tests (ping -s) but also to move data or to stress "
        "reassembly; confirm with the host owner and check the data content.");
  }
}

void Floods(const IcmpRateTracker& rates, google::protobuf::RepeatedPtrField<v1::Finding>* out) {
  for (const auto& [source, s] : rates.sources()) {
    if (s.peak < kFloodMinPacketsPerSecond) continue;
    v1::Finding* f = out->Add();
    f->set_indicator("icmp_flood");
    f->set_severity(s.peak >= 10 * kFloodMinPacketsPerSecond ? v1::SEVERITY_HIGH
                                                             : v1::SEVERITY_MEDIUM);
    f->set_confidence(std::min(0.95, 0.5 + static_cast<double>(s.peak) / 2000.0));
    f->set_description(
        absl::StrCat(source.ToString(), " sent up to ", s.peak, " ICMP packets in one second."));
    f->add_evidence(absl::StrCat("peak: ", s.peak, " packets in the second starting at epoch ",
                                 s.peak_second, " (threshold ", kFloodMinPacketsPerSecond, ")"));
    f->add_evidence(absl::StrCat("ICMP packets from this source: ", s.total));
    f->add_evidence(
        absl::StrCat("destinations: ", s.destinations.size(),
                     s.destinations.size() >= IcmpRateTracker::kMaxDestinations ? " or more" : ""));
    AddExamples(s.examples, f);
    f->set_recommendation(
        "Check whether this is a ping flood (ping -f, DoS) or a monitoring burst; rate-limit "
        "ICMP at the edge (e.g. net.ipv4.icmp_ratelimit, firewall limits) if unexpected.");
  }
}

void Redirects(const std::vector<IcmpRedirect>& redirects, uint64_t total,
               google::protobuf::RepeatedPtrField<v1::Finding>* out) {
  if (total == 0) return;
  std::set<std::string> routers, gateways, targets;
  std::vector<IcmpFrame> frames;
  for (const IcmpRedirect& r : redirects) {
    routers.insert(r.router.ToString());
    if (!r.gateway.empty()) gateways.insert(r.gateway.ToString());
    targets.insert(r.target.ToString());
    frames.push_back({r.frame, r.time});
  }
  v1::Finding* f = out->Add();
  f->set_indicator("icmp_redirect");
  f->set_severity(v1::SEVERITY_MEDIUM);
  f->set_confidence(0.6);
  f->set_description("ICMP redirects tell hosts to send traffic through another gateway.");
  f->add_evidence(absl::StrCat("redirects: ", total));
  f->add_evidence(absl::StrCat("sent by: ", absl::StrJoin(routers, ", ")));
  f->add_evidence(absl::StrCat("gateways named: ", absl::StrJoin(gateways, ", ")));
  f->add_evidence(absl::StrCat("hosts redirected: ", absl::StrJoin(targets, ", ")));
  AddExamples(frames, f);
  f->set_recommendation(
      "Verify that the senders are the real routers of the segment and that the named gateways "
      "are legitimate; a forged redirect re-routes traffic through an attacker. Hosts should "
      "ignore redirects (net.ipv4.conf.all.accept_redirects=0, accept_redirects for IPv6).");
}

}  // namespace

void IcmpRateTracker::Add(const IpAddress& src, const IpAddress& dst, int64_t second,
                          uint64_t frame, CaptureNanos time) {
  auto it = sources_.find(src);
  if (it == sources_.end()) {
    if (sources_.size() >= kMaxSources) return;
    it = sources_.emplace(src, Source{}).first;
    it->second.current_second = second;
  }
  Source& s = it->second;
  ++s.total;
  if (s.destinations.size() < kMaxDestinations) s.destinations.insert(dst);
  if (second != s.current_second) {
    s.current_second = second;
    s.current_count = 0;
    s.current_examples.clear();
  }
  ++s.current_count;
  if (s.current_examples.size() < 10) s.current_examples.push_back({frame, time});
  if (s.current_count > s.peak) {
    s.peak = s.current_count;
    s.peak_second = second;
    s.examples = s.current_examples;
  }
}

void AddIcmpFindings(const IcmpEchoTracker& echo, const IcmpRateTracker& rates,
                     const std::vector<IcmpRedirect>& redirects, uint64_t redirect_total,
                     google::protobuf::RepeatedPtrField<v1::Finding>* out) {
  PingSweeps(echo, out);
  EchoPayloads(echo, out);
  Floods(rates, out);
  Redirects(redirects, redirect_total, out);
}

}  // namespace mcpcap

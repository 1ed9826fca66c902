#include "backend/analysis/tcp/tcp_diagnoses.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"
#include "backend/analysis/common/result_parts.h"
#include "backend/analysis/tcp/tcp_attempts.h"
#include "backend/tcp/connection_tracker.h"

namespace mcpcap {
namespace {

std::string Pct(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.2f%%", v * 100);
  return buf;
}
std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.2f", v);
  return buf;
}

// Evidence strength: grows with the number of independent observations and saturates, so one
// event never gives the confidence of a hundred. 1 -> 0.1, 3 -> 0.2, 10 -> 0.35, 100 -> 0.6.
double Strength(uint64_t n) {
  return std::min(0.6, 0.3 * std::log10(1.0 + static_cast<double>(n)) + 0.01);
}

// Confidence = base (how specific the signature is) + strength of the evidence, capped.
double Confidence(double base, uint64_t n, double cap) { return std::min(cap, base + Strength(n)); }

struct FindingBuilder {
  v1::Finding f;
  FindingBuilder(const char* indicator, v1::Severity severity, std::string description) {
    f.set_indicator(indicator);
    f.set_severity(severity);
    f.set_description(std::move(description));
  }
  FindingBuilder& Evidence(std::string e) {
    f.add_evidence(std::move(e));
    return *this;
  }
  FindingBuilder& Examples(const TcpExamples& examples) {
    FillTcpExamples(examples, f.mutable_examples());
    return *this;
  }
  // Records the score and, as the last evidence line, how it was derived.
  FindingBuilder& Score(double base, uint64_t n, double cap, const std::string& why) {
    const double c = Confidence(base, n, cap);
    f.set_confidence(std::round(c * 100) / 100);
    f.add_evidence(absl::StrCat("confidence ", Num(f.confidence()), " = ", why, " (base ",
                                Num(base), ") + evidence strength for ", n, " observations (+",
                                Num(c - base), ", capped at ", Num(cap), ")"));
    return *this;
  }
  FindingBuilder& Next(std::string r) {
    f.set_recommendation(std::move(r));
    return *this;
  }
};

v1::Severity LossSeverity(double rate) {
  return rate > 0.05 ? v1::SEVERITY_HIGH : rate > 0.02 ? v1::SEVERITY_MEDIUM : v1::SEVERITY_LOW;
}

// At most this many scan and outage findings; the rest are summed up in the last.
constexpr size_t kMaxScanFindings = 5;

std::string Service(const TcpEndpoint& e) { return FormatEndpoint(e); }

// "a, b, c" (and "and N more" beyond the list).
std::string Addresses(const std::vector<IpAddress>& list, uint64_t total) {
  std::string text;
  for (const IpAddress& ip : list)
    absl::StrAppend(&text, text.empty() ? "" : ", ", AddressText(ip));
  if (total > list.size()) absl::StrAppend(&text, " and ", total - list.size(), " more");
  return text;
}

std::string Ports(const std::vector<uint16_t>& ports) {
  std::string text;
  for (uint16_t p : ports) absl::StrAppend(&text, text.empty() ? "" : ", ", p);
  return text;
}

v1::Finding ScanFinding(const TcpScanFacts& s) {
  const std::string src = AddressText(s.source);
  std::string targets;
  for (const auto& [ip, n] : s.targets) {
    absl::StrAppend(&targets, targets.empty() ? "" : ", ", AddressText(ip));
  }
  if (s.distinct_hosts > s.targets.size()) {
    absl::StrAppend(&targets, " and ", s.distinct_hosts - s.targets.size(), " more");
  }
  FindingBuilder b(
      s.host_sweep ? "host_sweep" : "port_scan", v1::SEVERITY_MEDIUM,
      s.host_sweep ? absl::StrCat(src, " tried ", s.distinct_hosts, " hosts (", targets, ") on ",
                                  s.distinct_ports,
                                  " port(s) and used none of the connections: a host "
                                  "sweep, not a service failure")
                   : absl::StrCat(src, " probed ", s.distinct_ports, " ports (", s.lowest_port, "-",
                                  s.highest_port, ") of ", s.distinct_hosts, " host(s) (", targets,
                                  ") and used none of the connections: a port scan, not a service "
                                  "failure"));
  b.Evidence(absl::StrCat(s.attempts, " attempts: ", s.open, " answered with a SYN-ACK (open), ",
                          s.refused, " refused with a RST (closed), ", s.unanswered,
                          " unanswered (filtered, or no host)"));
  if (s.open > 0) {
    std::string open;
    for (const TcpEndpoint& e : s.open_ports) {
      absl::StrAppend(&open, open.empty() ? "" : ", ", FormatEndpoint(e));
    }
    if (s.open > s.open_ports.size())
      absl::StrAppend(&open, " and ", s.open - s.open_ports.size(), " more");
    b.Evidence(absl::StrCat("open: ", open));
  }
  if (s.half_open > 0) {
    b.Evidence(absl::StrCat(
        s.half_open, " SYN-ACK(s) were never acknowledged by ", src, " (half-open: a SYN scan)",
        s.syn_ack_repeats > 0
            ? absl::StrCat("; the targets re-sent ", s.syn_ack_repeats,
                           " SYN-ACK(s) on their back-off timer, which is not loss")
            : ""));
  }
  b.Evidence(absl::StrCat("no payload in any of its connections; first probe frame ", s.first.frame,
                          ", last probe frame ", s.last.frame));
  const uint64_t breadth = std::max(s.distinct_ports, s.distinct_hosts);
  b.Examples(s.examples)
      .Score(0.45, breadth, 0.98,
             absl::StrCat("unused attempts to >= ", s.host_sweep ? kScanHosts : kScanPorts,
                          s.host_sweep ? " hosts" : " ports", " from one source"))
      .Next(absl::StrCat("Treat as reconnaissance: find out whether ", src,
                         " is an authorised scanner; its open results are what it learned. Its "
                         "refused and unanswered SYNs say nothing about the services' health."));
  return b.f;
}

v1::Finding OutageFinding(const TcpServiceFacts& s) {
  const std::string svc = Service(s.service);
  FindingBuilder b(
      "service_unreachable", v1::SEVERITY_HIGH,
      absl::StrCat(s.clients, " clients sent ", s.unanswered, " connection attempts to ", svc,
                   " and none got an answer: the service is down or a firewall "
                   "drops its traffic (an outage or a filter)"));
  b.Evidence(absl::StrCat("clients: ", Addresses(s.client_list, s.clients), "; ", s.retried,
                          " attempt(s) retried the SYN"));
  if (s.host_answered_elsewhere) {
    b.Evidence(absl::StrCat(AddressText(s.service.ip), " answered on port(s) ",
                            Ports(s.answered_ports),
                            ": the host is up, so a firewall dropping port ", s.service.port,
                            " or a hung listener is likelier than a host outage"));
  } else {
    b.Evidence(absl::StrCat(AddressText(s.service.ip),
                            " answered nothing in this capture: the host, or the path to it, "
                            "may be down"));
  }
  b.Examples(s.examples)
      .Score(0.5, s.clients + s.unanswered, 0.95,
             "several independent clients failing against the same service")
      .Next(absl::StrCat("Check ", svc,
                         " from the server itself (ss -ltn, the service's logs) and the "
                         "firewalls on the path (a DROP rule for the port); a capture on the "
                         "server side shows whether the SYNs arrive."));
  return b.f;
}

}  // namespace

void FillTcpExamples(const TcpExamples& examples,
                     google::protobuf::RepeatedPtrField<v1::PacketRef>* out) {
  std::vector<TcpExample> sorted = examples.frames;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const TcpExample& a, const TcpExample& b) { return a.frame < b.frame; });
  for (const TcpExample& x : sorted) {
    if (out->size() >= static_cast<int>(kTcpExamples)) break;
    FillPacketRef(x.frame, x.time, out->Add());
  }
}

uint64_t TcpAnomalyFacts::Count(TcpEvent e) const {
  for (int i = 0; i < kTcpEventKinds; ++i) {
    if (static_cast<uint32_t>(e) == 1u << i) return events[static_cast<size_t>(i)];
  }
  return 0;
}

std::vector<v1::Finding> DiagnoseTcp(const TcpAnomalyFacts& x, const TcpAttemptFacts& at) {
  std::vector<v1::Finding> out;
  auto examples = [&](TcpEvent e) -> const TcpExamples& {
    for (int i = 0; i < kTcpEventKinds; ++i) {
      if (static_cast<uint32_t>(e) == 1u << i) return x.event_examples[static_cast<size_t>(i)];
    }
    return x.event_examples[0];
  };

  // Scans first: their refused and unanswered SYNs are not service failures.
  for (size_t i = 0; i < at.scanners.size() && i < kMaxScanFindings; ++i) {
    out.push_back(ScanFinding(at.scanners[i]));
  }
  if (at.scanners.size() > kMaxScanFindings) {
    out.back().add_evidence(absl::StrCat(at.scanners.size() - kMaxScanFindings,
                                         " more scanning source(s): see `scanners`"));
  }
  if (at.refused_attempts > 0) {
    FindingBuilder b("connection_refused", v1::SEVERITY_MEDIUM,
                     absl::StrCat(at.refused_attempts,
                                  " connection attempt(s) answered with a RST: nothing listens "
                                  "on the port, or a firewall rejects it"));
    b.Evidence(absl::StrCat(at.refused_attempts, " of ", x.handshake_attempts,
                            " SYN-initiated connections were refused",
                            at.scan_attempts > 0 ? " (the scanners' attempts not counted)" : ""));
    for (const TcpServiceFacts& s : at.refused_services) {
      b.Evidence(absl::StrCat(Service(s.service), ": ", s.refused, " refused, from ", s.clients,
                              " client(s) (", Addresses(s.client_list, s.clients), ")"));
    }
    b.Examples(at.refused_examples)
        .Score(0.75, at.refused_attempts, 0.98, "a RST answering a SYN has one usual reading")
        .Next(
            "Check that the service is running and listening on that address and port "
            "(ss -ltn on the server); if it is, look for a REJECT rule on the path.");
    out.push_back(b.f);
  }
  // Unanswered attempts: several clients failing against one service say more than one client.
  uint64_t single_client = 0, single_retried = 0, single_services = 0;
  TcpExamples single_examples;
  std::vector<const TcpServiceFacts*> single_rows;
  size_t outages = 0;
  for (const TcpServiceFacts& s : at.unanswered_services) {
    if (s.clients >= 2 && outages < kMaxScanFindings) {
      ++outages;
      out.push_back(OutageFinding(s));
      continue;
    }
    single_client += s.unanswered;
    single_retried += s.retried;
    ++single_services;
    for (const TcpExample& e : s.examples.frames) single_examples.Add(e.frame, e.time);
    if (single_rows.size() < 5) single_rows.push_back(&s);
  }
  if (single_client > 0) {
    FindingBuilder b(
        "syn_unanswered", v1::SEVERITY_MEDIUM,
        absl::StrCat(single_client, " connection attempt(s) got no answer (no SYN-ACK, no RST), ",
                     "each service tried by a single client: the server may be down, a firewall "
                     "may drop the SYNs silently, or they were lost; one client's view cannot tell "
                     "which"));
    b.Evidence(absl::StrCat(single_retried,
                            " of them retried the SYN (the client waited; the capture did not "
                            "just end)"));
    for (const TcpServiceFacts* s : single_rows) {
      b.Evidence(absl::StrCat(
          Service(s->service), ": ", s->unanswered, " attempt(s) from ",
          Addresses(s->client_list, s->clients),
          s->host_answered_elsewhere
              ? absl::StrCat("; the host answered on port(s) ", Ports(s->answered_ports),
                             ", so it is up: a filter or a stopped service "
                             "is likelier")
              : ""));
    }
    if (at.attempts_not_grouped > 0) {
      b.Evidence(absl::StrCat(at.attempts_not_grouped,
                              " further failed attempts were counted per source only (bound of "
                              "the grouping by service)"));
    }
    if (single_services > single_rows.size()) {
      b.Evidence(absl::StrCat(single_services - single_rows.size(), " more service(s)"));
    }
    b.Examples(single_examples)
        .Score(single_retried > 0 ? 0.3 : 0.2, single_client + single_retried, 0.7,
               single_retried > 0
                   ? "unanswered SYNs that were retried, from one client per service"
                   : "unanswered SYNs without retries (the capture may have ended too early)")
        .Next(
            "Test the port from another client and from the server's own network (ss -ltn "
            "on the server, a firewall DROP rule, a route); capture on the server side to see "
            "whether the SYNs arrive.");
    out.push_back(b.f);
  }
  const uint64_t retrans = x.Count(kEvRetransmission) + x.Count(kEvFastRetransmission) +
                           x.Count(kEvSpuriousRetransmission);
  const uint64_t data_retrans = retrans - std::min(retrans, x.handshake_retransmissions);
  if (data_retrans > 0) {
    const double rate = static_cast<double>(data_retrans) /
                        static_cast<double>(std::max<uint64_t>(1, x.tcp_packets));
    const uint64_t holes = x.Count(kEvLostSegment) + x.Count(kEvAckedUnseen);
    FindingBuilder b("packet_loss", LossSeverity(rate),
                     absl::StrCat(data_retrans, " retransmitted data segments (", Pct(rate),
                                  " of TCP packets) in ", x.connections_with_loss,
                                  " connection(s): packets are being lost"));
    b.Evidence(absl::StrCat("as Wireshark labels them: retransmission ", x.Count(kEvRetransmission),
                            ", fast ", x.Count(kEvFastRetransmission), ", spurious ",
                            x.Count(kEvSpuriousRetransmission), ", duplicate ACKs ",
                            x.Count(kEvDuplicateAck),
                            x.handshake_retransmissions > 0
                                ? absl::StrCat("; ", x.handshake_retransmissions,
                                               " repeated SYN/SYN-ACK(s) not counted as loss")
                                : ""));
    if (x.ack_retransmissions > 0) {
      b.Evidence(absl::StrCat(
          x.ack_retransmissions,
          " sent right after an ACK from the receiver (duplicate ACKs or SACK: fast retransmit "
          "and recovery): the receiver signalled the loss and the sender repaired it within a "
          "round trip, without waiting for a timer"));
    }
    if (x.timer_retransmissions > 0) {
      b.Evidence(absl::StrCat(
          x.timer_retransmissions,
          " sent after the receiver had been silent for longer than a round trip (up to ",
          Num(static_cast<double>(x.longest_timer_wait) / 1e6),
          " ms): the sender's retransmission timer (RTO) or a tail-loss probe fired"));
    }
    if (holes > 0) {
      b.Evidence(absl::StrCat(holes,
                              " segment(s) never reached the capture point (lost "
                              "segment / ACKed unseen): some loss is upstream of it, or "
                              "the capture itself dropped packets"));
    }
    b.Examples(x.ack_retransmissions > 0 ? x.ack_examples : x.timer_examples);
    b.Score(rate > 0.02 ? 0.5 : 0.3, data_retrans, 0.95,
            rate > 0.02 ? "retransmission rate above 2%" : "retransmissions below 2%");
    b.Next(
        "Find where packets drop: interface error and drop counters, queue drops and "
        "policers on the path; a capture at the other end tells loss before from loss after "
        "this point.");
    out.push_back(b.f);
  }
  if (x.Count(kEvSpuriousRetransmission) > 0) {
    out.push_back(
        FindingBuilder("spurious_retransmissions", v1::SEVERITY_LOW,
                       "Data was retransmitted after the receiver had already acknowledged it: "
                       "the sender's timer fired too early or ACKs were delayed or lost")
            .Evidence(absl::StrCat(x.Count(kEvSpuriousRetransmission), " spurious retransmissions"))
            .Examples(examples(kEvSpuriousRetransmission))
            .Score(0.4, x.Count(kEvSpuriousRetransmission), 0.85,
                   "the data was provably ACKed before it was resent")
            .Next("Look at ACK delays and loss on the return path, and at RTT variance; "
                  "check RTO settings of the sender.")
            .f);
  }
  if (x.Count(kEvZeroWindow) > 0) {
    FindingBuilder b("receiver_window_exhausted",
                     x.stall_seconds_max > 1 ? v1::SEVERITY_HIGH : v1::SEVERITY_MEDIUM,
                     absl::StrCat("A receiver advertised a zero window ", x.Count(kEvZeroWindow),
                                  " time(s): its application does not read fast enough and the "
                                  "sender had to stop"));
    b.Evidence(absl::StrCat(x.stalls, " stall(s), longest ", Num(x.stall_seconds_max), " s, total ",
                            Num(x.stall_seconds_total), " s; ", x.Count(kEvZeroWindowProbe),
                            " zero-window probes"));
    b.Examples(x.stall_examples.frames.empty() ? examples(kEvZeroWindow) : x.stall_examples);
    b.Score(0.6, x.Count(kEvZeroWindow), 0.95,
            "a zero window is the receiver's own statement that its buffer is full");
    b.Next(
        "Examine the receiving application (CPU, blocking calls, slow disk or database) at "
        "those times; a larger receive buffer (SO_RCVBUF, net.ipv4.tcp_rmem) only helps "
        "against bursts.");
    out.push_back(b.f);
  } else if (x.Count(kEvWindowFull) > 0) {
    out.push_back(
        FindingBuilder("receive_window_limited", v1::SEVERITY_LOW,
                       "Senders filled the receiver's advertised window: throughput is capped "
                       "by the window, not the network")
            .Evidence(absl::StrCat(x.Count(kEvWindowFull), " window-full segments"))
            .Examples(examples(kEvWindowFull))
            .Score(0.3, x.Count(kEvWindowFull), 0.8,
                   "window-full segments show the limit was reached, not why")
            .Next("Compare the window with bandwidth x RTT; enable or raise window scaling and "
                  "receive buffers on the receiver.")
            .f);
  }
  if (x.rst_ttl_mismatch > 0) {
    out.push_back(
        FindingBuilder("middlebox_reset_suspected", v1::SEVERITY_HIGH,
                       "RSTs arrived with another IP TTL than the rest of that endpoint's "
                       "packets: a device on the path (firewall, IPS, load balancer) probably "
                       "sent them on the endpoint's behalf")
            .Evidence(absl::StrCat(x.rst_ttl_mismatch, " RST(s) with a mismatched TTL"))
            .Examples(x.ttl_examples)
            .Score(0.55, x.rst_ttl_mismatch, 0.9,
                   "a different TTL means a different number of hops, so another sender")
            .Next("Check firewall, IPS and load-balancer logs for resets or idle time-outs on "
                  "these flows; compare with a capture at the endpoint.")
            .f);
  }
  for (bool server : {true, false}) {
    const uint64_t n = server ? x.mid_stream_by_server : x.mid_stream_by_client;
    if (n == 0) continue;
    const uint64_t side_rsts = server ? x.rst_from_server : x.rst_from_client;
    const double share =
        static_cast<double>(side_rsts) / static_cast<double>(std::max<uint64_t>(1, x.rst_total));
    out.push_back(
        FindingBuilder(server ? "server_aborts_connections" : "client_aborts_connections",
                       v1::SEVERITY_MEDIUM,
                       absl::StrCat(n, " established connection(s) were reset mid-stream by the ",
                                    server ? "server" : "client",
                                    server ? ": it aborted them (crash, time-out, overload, or "
                                             "an abortive close)"
                                           : ": the client gave up on them (time-out, "
                                             "cancelled request, or an abortive close)"))
            .Evidence(absl::StrCat(side_rsts, " of ", x.rst_total, " RSTs (", Pct(share),
                                   ") came from the ", server ? "server" : "client", " side"))
            .Evidence(absl::StrCat(x.rst_with_data, " RST(s) carried data"))
            .Examples(server ? x.mid_stream_server_examples : x.mid_stream_client_examples)
            .Score(0.3 + 0.3 * share, n, 0.9,
                   absl::StrCat("0.3 + 0.3 x this side's share of the RSTs (", Pct(share), ")"))
            .Next(server ? "Read the server application's logs at the example times (errors, "
                           "time-outs, worker restarts) and check for SO_LINGER 0 closes."
                         : "Check client time-outs and cancellations at the example times.")
            .f);
  }
  if (x.Count(kEvOutOfOrder) > 0) {
    out.push_back(
        FindingBuilder("reordering", v1::SEVERITY_LOW,
                       "Segments arrived out of order: reordering on the path (multipath, "
                       "link aggregation) or a capture merged from several links")
            .Evidence(absl::StrCat(x.Count(kEvOutOfOrder), " out-of-order segments"))
            .Examples(examples(kEvOutOfOrder))
            .Score(0.3, x.Count(kEvOutOfOrder), 0.8,
                   "out-of-order is inferred from timing, so it can also be fast loss recovery")
            .Next("If it persists, look for ECMP or LAG hashing changes; reordering triggers "
                  "duplicate ACKs and needless fast retransmissions.")
            .f);
  }
  if (x.mid_stream > 0 || x.Count(kEvAckedUnseen) > 0 || x.mid_handshake > 0 ||
      x.syn_not_captured > 0) {
    FindingBuilder b("capture_incomplete", v1::SEVERITY_INFO,
                     "The capture does not hold every packet of these connections: some "
                     "started before it, or packets were not captured");
    b.Evidence(absl::StrCat(x.mid_stream, " connection(s) without a handshake, ",
                            x.Count(kEvAckedUnseen), " ACK(s) of unseen data, ",
                            x.Count(kEvLostSegment), " gap(s) before a segment"));
    if (x.mid_handshake > 0) {
      b.Evidence(absl::StrCat(
          x.mid_handshake,
          " connection(s) began mid-handshake: their first captured segment is the SYN-ACK, "
          "within ",
          kMidHandshakeWindow / 1000000000,
          " s of the capture's start, so the SYN was sent before the capture began (not loss)"));
    }
    if (x.syn_not_captured > 0) {
      b.Evidence(absl::StrCat(x.syn_not_captured,
                              " SYN-ACK(s) later in the capture without their SYN: the SYN "
                              "took another path (asymmetric routing) or was not captured"));
    }
    TcpExamples ex = x.mid_handshake_examples;
    for (const TcpExample& e : x.syn_not_captured_examples.frames) ex.Add(e.frame, e.time);
    for (const TcpExample& e : examples(kEvAckedUnseen).frames) ex.Add(e.frame, e.time);
    b.Examples(ex)
        .Score(0.5, x.mid_stream + x.Count(kEvAckedUnseen) + x.mid_handshake + x.syn_not_captured,
               0.95, "ACKs of unseen data and missing handshakes are direct evidence")
        .Next(
            "Start the capture before the connections open and check the capture's drop "
            "counters (tcpdump's 'dropped by kernel') before trusting loss figures.");
    out.push_back(b.f);
  }
  if (x.Count(kEvKeepAlive) > 0) {
    out.push_back(
        FindingBuilder("keep_alives", v1::SEVERITY_INFO,
                       "Idle connections are being kept alive with TCP keep-alives")
            .Evidence(absl::StrCat(x.Count(kEvKeepAlive), " keep-alives, ",
                                   x.Count(kEvKeepAliveAck), " answered"))
            .Examples(examples(kEvKeepAlive))
            .Score(0.8, x.Count(kEvKeepAlive), 0.99, "keep-alives have an exact signature")
            .Next("Nothing to fix; unanswered keep-alives would mean a dead peer.")
            .f);
  }
  if (out.empty() && x.tcp_packets > 0) {
    out.push_back(FindingBuilder("no_tcp_anomalies", v1::SEVERITY_INFO,
                                 absl::StrCat("No TCP anomaly in ", x.tcp_packets, " segments of ",
                                              x.connections, " connection(s)"))
                      .Score(0.3, x.tcp_packets, 0.9, "absence of every tracked event")
                      .Next("If users still see a problem, look above TCP (application "
                            "latency, DNS, TLS).")
                      .f);
  }
  return out;
}

}  // namespace mcpcap

#include "backend/analysis/tcp/tcp_diagnoses.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"
#include "backend/analysis/common/result_parts.h"

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

std::vector<v1::Finding> DiagnoseTcp(const TcpAnomalyFacts& x) {
  std::vector<v1::Finding> out;
  auto examples = [&](TcpEvent e) -> const TcpExamples& {
    for (int i = 0; i < kTcpEventKinds; ++i) {
      if (static_cast<uint32_t>(e) == 1u << i) return x.event_examples[static_cast<size_t>(i)];
    }
    return x.event_examples[0];
  };

  if (x.refused > 0) {
    out.push_back(
        FindingBuilder("connection_refused", v1::SEVERITY_MEDIUM,
                       absl::StrCat(x.refused,
                                    " connection attempt(s) answered with a RST: "
                                    "nothing listens on the port, or a firewall "
                                    "rejects it"))
            .Evidence(absl::StrCat(x.refused, " of ", x.handshake_attempts,
                                   " SYN-initiated connections were refused"))
            .Examples(x.refused_examples)
            .Score(0.75, x.refused, 0.98, "a RST answering a SYN has one usual reading")
            .Next("Check that the service is running and listening on that address and port "
                  "(ss -ltn on the server); if it is, look for a REJECT rule on the path.")
            .f);
  }
  if (x.syn_unanswered > 0) {
    out.push_back(
        FindingBuilder("syn_unanswered", v1::SEVERITY_HIGH,
                       absl::StrCat(x.syn_unanswered,
                                    " connection attempt(s) got no answer at all: the SYN was "
                                    "dropped on the way, or the server is down"))
            .Evidence(absl::StrCat(x.syn_retried,
                                   " of them retried the SYN (the client waited; "
                                   "the capture did not just end)"))
            .Examples(x.unanswered_examples)
            .Score(x.syn_retried > 0 ? 0.6 : 0.4, x.syn_unanswered + x.syn_retried, 0.95,
                   x.syn_retried > 0 ? "unanswered SYNs that were retried"
                                     : "unanswered SYNs without retries (the capture may have "
                                       "ended too early)")
            .Next("Test reachability of the server port from the client's network (a silent "
                  "drop is typical of a firewall DROP rule, a wrong route or a stopped host); "
                  "capture on the server side to see whether the SYNs arrive.")
            .f);
  }
  const uint64_t retrans = x.Count(kEvRetransmission) + x.Count(kEvFastRetransmission) +
                           x.Count(kEvSpuriousRetransmission);
  if (retrans > 0) {
    const double rate =
        static_cast<double>(retrans) / static_cast<double>(std::max<uint64_t>(1, x.tcp_packets));
    const uint64_t holes = x.Count(kEvLostSegment) + x.Count(kEvAckedUnseen);
    FindingBuilder b(
        "packet_loss", LossSeverity(rate),
        absl::StrCat(retrans, " retransmitted segments (", Pct(rate), " of TCP packets) in ",
                     x.connections_with_loss, " connection(s): packets are being lost"));
    b.Evidence(absl::StrCat("retransmission ", x.Count(kEvRetransmission), ", fast ",
                            x.Count(kEvFastRetransmission), ", spurious ",
                            x.Count(kEvSpuriousRetransmission), ", duplicate ACKs ",
                            x.Count(kEvDuplicateAck)));
    if (x.Count(kEvFastRetransmission) > 0) {
      b.Evidence(
          "fast retransmissions: the receiver signalled the loss with duplicate ACKs "
          "and the sender recovered within a round trip");
    }
    if (x.Count(kEvRetransmission) > 0) {
      b.Evidence(
          "plain retransmissions: the sender waited for its timer (RTO), each costing at "
          "least 200 ms of stall on Linux");
    }
    if (holes > 0) {
      b.Evidence(absl::StrCat(holes,
                              " segment(s) never reached the capture point (lost "
                              "segment / ACKed unseen): some loss is upstream of it, or "
                              "the capture itself dropped packets"));
    }
    b.Examples(x.Count(kEvFastRetransmission) > 0 ? examples(kEvFastRetransmission)
                                                  : examples(kEvRetransmission));
    b.Score(rate > 0.02 ? 0.5 : 0.3, retrans, 0.95,
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
  if (x.mid_stream > 0 || x.Count(kEvAckedUnseen) > 0) {
    out.push_back(
        FindingBuilder("capture_incomplete", v1::SEVERITY_INFO,
                       "The capture does not hold every packet of these connections: some "
                       "started before it, or packets were not captured")
            .Evidence(absl::StrCat(x.mid_stream, " connection(s) without a handshake, ",
                                   x.Count(kEvAckedUnseen), " ACK(s) of unseen data, ",
                                   x.Count(kEvLostSegment), " gap(s) before a segment"))
            .Examples(examples(kEvAckedUnseen))
            .Score(0.5, x.mid_stream + x.Count(kEvAckedUnseen), 0.95,
                   "ACKs of unseen data and missing handshakes are direct evidence")
            .Next("Start the capture before the connections open and check the capture's drop "
                  "counters (tcpdump's 'dropped by kernel') before trusting loss figures.")
            .f);
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

#include "backend/analysis/tcp/tcp_attempts.h"

#include <algorithm>
#include <tuple>

namespace mcpcap {
namespace {

constexpr size_t kListed = 10;

}  // namespace

void TcpAttemptCollector::Add(const TcpConnectionRecord& c) {
  const bool answered = c.saw_syn_ack || c.s2c.payload_bytes > 0;
  if (answered) {
    auto it = answered_.find(c.server.ip);
    if (it != answered_.end()) {
      it->second.insert(c.server.port);
    } else if (answered_.size() < kMaxAnsweringHosts) {
      answered_[c.server.ip].insert(c.server.port);
    }
  }
  // An attempt: a captured SYN, and no payload either way. Open ports count when the client
  // never used them (half-open, or reset right after the handshake as connect scans do).
  if (!c.saw_syn || c.c2s.payload_bytes + c.s2c.payload_bytes > 0) return;
  Attempt a;
  if (c.saw_syn_ack) {
    if (c.Established() && c.c2s.rst == 0) return;  // e.g. a health check closing with FIN
    a.outcome = TcpAttemptOutcome::kOpen;
    a.half_open = !c.Established();
    a.syn_ack_repeats = c.s2c.handshake_retransmissions;
  } else if (c.rst_refused) {
    a.outcome = TcpAttemptOutcome::kRefused;
    a.rst = {c.first_rst_frame, c.first_rst_time};
  } else if (c.s2c.packets == 0) {
    a.outcome = TcpAttemptOutcome::kUnanswered;
  } else {
    return;
  }
  a.id = c.id;
  a.server = c.server;
  a.client = c.client.ip;
  a.retried = c.syn_retries > 0;
  a.first = {c.first_frame, c.first_time};
  auto it = sources_.find(c.client.ip);
  if (it == sources_.end() && sources_.size() < kMaxSources) {
    it = sources_.emplace(c.client.ip, Source()).first;
  }
  if (it != sources_.end()) {
    ++it->second.attempts;
    switch (a.outcome) {
      case TcpAttemptOutcome::kOpen:
        ++it->second.open;
        break;
      case TcpAttemptOutcome::kRefused:
        ++it->second.refused;
        break;
      case TcpAttemptOutcome::kUnanswered:
        ++it->second.unanswered;
        break;
    }
    it->second.ports.insert(c.server.port);
    ++it->second.hosts[c.server.ip];
  }
  if (attempts_.size() < kMaxAttempts) {
    attempts_.push_back(a);
  } else {
    ++attempts_dropped_;
  }
}

TcpAttemptFacts TcpAttemptCollector::Judge() const {
  TcpAttemptFacts out;
  std::vector<const Attempt*> sorted;
  sorted.reserve(attempts_.size());
  for (const Attempt& a : attempts_) sorted.push_back(&a);
  std::sort(sorted.begin(), sorted.end(),
            [](const Attempt* a, const Attempt* b) { return a->id < b->id; });

  // Scanners: unused attempts to many ports or many hosts.
  std::map<IpAddress, TcpScanFacts> scanners;
  for (const auto& [ip, s] : sources_) {
    if (s.ports.size() < kScanPorts && s.hosts.size() < kScanHosts) continue;
    TcpScanFacts& f = scanners[ip];
    f.source = ip;
    f.distinct_ports = s.ports.size();
    f.distinct_hosts = s.hosts.size();
    f.lowest_port = *s.ports.begin();
    f.highest_port = *s.ports.rbegin();
    f.host_sweep = s.ports.size() < kScanPorts;
    // Exact counts from the source; the attempts below add examples and open ports.
    f.attempts = s.attempts;
    f.open = s.open;
    f.refused = s.refused;
    f.unanswered = s.unanswered;
    std::vector<std::pair<IpAddress, uint64_t>> hosts(s.hosts.begin(), s.hosts.end());
    std::stable_sort(hosts.begin(), hosts.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    if (hosts.size() > kListed) hosts.resize(kListed);
    f.targets = std::move(hosts);
  }

  struct Service {
    std::map<IpAddress, uint64_t> clients;  // unanswered attempts per client
    uint64_t unanswered = 0, refused = 0, retried = 0;
    TcpExamples examples;
  };
  std::map<std::pair<IpAddress, uint16_t>, Service> unanswered, refused;
  for (const Attempt* a : sorted) {
    auto scan = scanners.find(a->client);
    if (scan != scanners.end()) {
      TcpScanFacts& f = scan->second;
      if (f.examples.frames.empty()) f.first = a->first;
      f.last = a->first;
      f.examples.Add(a->first.frame, a->first.time);
      if (a->outcome == TcpAttemptOutcome::kOpen) {
        if (a->half_open) ++f.half_open;
        f.syn_ack_repeats += a->syn_ack_repeats;
        if (f.open_ports.size() < kListed) f.open_ports.push_back(a->server);
      }
      continue;
    }
    const auto key = std::make_pair(a->server.ip, a->server.port);
    if (a->outcome == TcpAttemptOutcome::kUnanswered) {
      Service& s = unanswered[key];
      ++s.clients[a->client];
      ++s.unanswered;
      if (a->retried) ++s.retried;
      s.examples.Add(a->first.frame, a->first.time);
      ++out.unanswered_attempts;
      if (a->retried) ++out.unanswered_retried;
    } else if (a->outcome == TcpAttemptOutcome::kRefused) {
      Service& s = refused[key];
      ++s.clients[a->client];
      ++s.refused;
      s.examples.Add(a->rst.frame, a->rst.time);
      ++out.refused_attempts;
      out.refused_examples.Add(a->rst.frame, a->rst.time);
    }
  }

  for (auto& [ip, f] : scanners) {
    out.scan_attempts += f.attempts;
    out.scanners.push_back(std::move(f));
  }
  out.attempts_not_grouped = attempts_dropped_;
  std::stable_sort(out.scanners.begin(), out.scanners.end(),
                   [](const TcpScanFacts& a, const TcpScanFacts& b) {
                     return std::max(a.distinct_ports, a.distinct_hosts) >
                            std::max(b.distinct_ports, b.distinct_hosts);
                   });

  auto services = [&](const std::map<std::pair<IpAddress, uint16_t>, Service>& in) {
    std::vector<TcpServiceFacts> rows;
    for (const auto& [key, s] : in) {
      TcpServiceFacts f;
      f.service = {key.first, key.second};
      f.clients = s.clients.size();
      f.unanswered = s.unanswered;
      f.refused = s.refused;
      f.retried = s.retried;
      for (const auto& [client, n] : s.clients) {
        if (f.client_list.size() < kListed) f.client_list.push_back(client);
      }
      f.examples = s.examples;
      auto it = answered_.find(key.first);
      if (it != answered_.end()) {
        for (uint16_t port : it->second) {
          if (port == key.second) continue;
          f.host_answered_elsewhere = true;
          if (f.answered_ports.size() < 5) f.answered_ports.push_back(port);
        }
      }
      rows.push_back(std::move(f));
    }
    std::stable_sort(rows.begin(), rows.end(),
                     [](const TcpServiceFacts& a, const TcpServiceFacts& b) {
                       return std::make_tuple(a.clients, a.unanswered + a.refused) >
                              std::make_tuple(b.clients, b.unanswered + b.refused);
                     });
    return rows;
  };
  out.unanswered_services = services(unanswered);
  out.refused_services = services(refused);
  if (out.refused_services.size() > 5) out.refused_services.resize(5);
  return out;
}

}  // namespace mcpcap

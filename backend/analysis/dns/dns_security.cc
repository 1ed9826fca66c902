#include "backend/analysis/dns/dns_security.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "backend/analysis/common/result_parts.h"
#include "backend/dissect/dns_name.h"
#include "backend/dissect/dns_names.h"

namespace mcpcap {
namespace {

// Thresholds. Tunnelling tools (iodine, dnscat2, DNSExfiltrator) pack data into labels of 40-63
// characters of hex or base32; ordinary hostnames rarely exceed 30. Random-looking labels have
// an entropy near log2(alphabet): hex ~3.7-4.0, base32 ~4.3-4.8, English-like words ~2.5-3.3.
constexpr size_t kLongLabel = 40;
constexpr size_t kEntropyMinLength = 24;  // shorter labels give too noisy an estimate
constexpr double kHighEntropy = 3.5;
constexpr size_t kTunnelMinNames = 5;  // suspicious unique names under one parent
// A parent with this many unique names below it looks like data carried in the names.
constexpr size_t kManySubdomains = 50;
// Query types seen in tunnels (TXT, NULL) or abuse (ANY: amplification; AXFR: zone theft).
constexpr uint64_t kTxtMinQueries = 20;
constexpr double kTxtMinShare = 0.2;
constexpr uint64_t kAnyMinQueries = 5;
// A client that draws this many NXDOMAINs, for this share of its responses, is looking up names
// that do not exist: a typo storm, a broken search list, or a DGA walking its candidates.
constexpr uint64_t kNxdomainMin = 10;
constexpr double kNxdomainShare = 0.3;
// Second-level labels that look generated (DGA) when so long and random.
constexpr size_t kDgaMinLength = 10;
constexpr double kDgaEntropy = 3.0;
// Bounds on state.
constexpr size_t kMaxParents = 10000;
constexpr size_t kMaxNamesPerParent = 1000;
constexpr size_t kMaxClients = 10000;
constexpr size_t kMaxNamesPerClient = 1000;

std::string LeftmostLabel(const std::string& name) {
  return name.substr(0, std::min(name.find('.'), name.size()));
}

// The label just left of the public suffix part of ParentDomain.
std::string SecondLevelLabel(const std::string& parent) { return LeftmostLabel(parent); }

std::string ExampleNames(const std::set<std::string>& names, size_t n) {
  std::vector<std::string> v;
  for (const std::string& s : names) {
    if (v.size() == n) break;
    v.push_back(s.size() > 80 ? s.substr(0, 77) + "..." : s);
  }
  return absl::StrJoin(v, ", ");
}

v1::Finding MakeFinding(const std::string& indicator, v1::Severity severity, double confidence,
                        const std::string& description, const std::vector<std::string>& evidence,
                        const std::vector<DnsExample>& frames, const std::string& recommendation) {
  v1::Finding f;
  f.set_indicator(indicator);
  f.set_severity(severity);
  f.set_confidence(std::min(1.0, std::max(0.0, confidence)));
  f.set_description(description);
  for (const std::string& e : evidence) f.add_evidence(e);
  std::vector<DnsExample> sorted = frames;
  std::sort(sorted.begin(), sorted.end(),
            [](const DnsExample& a, const DnsExample& b) { return a.frame < b.frame; });
  sorted.erase(
      std::unique(sorted.begin(), sorted.end(),
                  [](const DnsExample& a, const DnsExample& b) { return a.frame == b.frame; }),
      sorted.end());
  for (size_t i = 0; i < sorted.size() && i < 10; ++i) {
    FillPacketRef(sorted[i].frame, sorted[i].time, f.add_examples());
  }
  f.set_recommendation(recommendation);
  return f;
}

// "10.0.0.2 (5), 10.0.0.3 (1)": the five most frequent senders.
std::string TopSenders(const std::map<std::string, uint64_t>& e) {
  std::vector<std::pair<std::string, uint64_t>> v(e.begin(), e.end());
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  std::vector<std::string> parts;
  for (size_t i = 0; i < v.size() && i < 5; ++i) {
    parts.push_back(absl::StrCat(v[i].first, " (", v[i].second, ")"));
  }
  if (v.size() > 5) parts.push_back(absl::StrCat("and ", v.size() - 5, " more"));
  return absl::StrJoin(parts, ", ");
}

}  // namespace

double ShannonEntropy(const std::string& s) {
  if (s.empty()) return 0;
  uint64_t counts[256] = {};
  for (unsigned char c : s) ++counts[c];
  double h = 0;
  for (uint64_t c : counts) {
    if (c == 0) continue;
    const double p = static_cast<double>(c) / static_cast<double>(s.size());
    h -= p * std::log2(p);
  }
  return h;
}

std::string ParentDomain(const std::string& name) {
  if (name.empty() || name == kDnsRootName) return "";
  std::vector<absl::string_view> labels = absl::StrSplit(name, '.');
  if (labels.size() < 2 || labels.back() == "arpa") return "";
  size_t keep = 2;
  static const char* kGenericSecondLevels[] = {"co", "com", "net", "org", "gov", "edu", "ac"};
  if (labels.size() >= 3 && labels.back().size() == 2 &&
      std::find(std::begin(kGenericSecondLevels), std::end(kGenericSecondLevels),
                labels[labels.size() - 2]) != std::end(kGenericSecondLevels)) {
    keep = 3;
  }
  if (labels.size() < keep) return "";
  return absl::StrJoin(labels.end() - keep, labels.end(), ".");
}

void DnsSecurityTally::OnQuery(uint64_t frame, CaptureNanos time, const std::string& client,
                               const std::string& qname, uint16_t qtype, DnsVariant variant) {
  if (variant != DnsVariant::kDns) {
    if (qtype == kDnsTypeAny) ++other_any_[variant];
    return;
  }
  ++queries_;
  query_types_[qtype].Add(frame, time, client);
  const std::string parent = ParentDomain(qname);
  if (parent.empty() || parent == qname) return;
  auto it = parents_.find(parent);
  if (it == parents_.end()) {
    if (parents_.size() >= kMaxParents) return;
    it = parents_.emplace(parent, Parent()).first;
  }
  Parent& p = it->second;
  if (p.names.size() < kMaxNamesPerParent) p.names.insert(qname);
  const std::string label = LeftmostLabel(qname);
  const double entropy = label.size() >= kEntropyMinLength ? ShannonEntropy(label) : 0;
  if (label.size() >= kLongLabel || entropy >= kHighEntropy) {
    if (p.suspicious.size() < kMaxNamesPerParent) p.suspicious.insert(qname);
    if (p.frames.size() < 10) p.frames.push_back({frame, time});
    p.longest_label = std::max(p.longest_label, label.size());
    p.max_entropy = std::max(p.max_entropy, entropy);
  }
}

void DnsSecurityTally::OnResponse(uint64_t frame, CaptureNanos time, const std::string& client,
                                  const std::string& qname, uint16_t rcode) {
  auto it = clients_.find(client);
  if (it == clients_.end()) {
    if (clients_.size() >= kMaxClients) return;
    it = clients_.emplace(client, Client()).first;
  }
  Client& c = it->second;
  ++c.responses;
  if (rcode != 3) return;
  ++c.nxdomain;
  if (c.nx_names.size() < kMaxNamesPerClient) c.nx_names.insert(qname);
  if (c.frames.size() < 10) c.frames.push_back({frame, time});
}

void DnsSecurityTally::OnNonStandardPort(uint64_t frame, CaptureNanos time, uint16_t port) {
  odd_ports_[port].Add(frame, time);
}

std::vector<v1::Finding> DnsSecurityTally::Findings() const {
  std::vector<v1::Finding> out;

  // Tunnelling: names carrying data in long or random leftmost labels, under one parent.
  for (const auto& [parent, p] : parents_) {
    if (p.suspicious.empty()) continue;
    const size_t n = p.suspicious.size();
    const bool strong = n >= kTunnelMinNames;
    out.push_back(MakeFinding(
        strong ? "dns_tunnelling_suspected" : "dns_unusual_labels",
        strong ? (n >= 50 ? v1::SEVERITY_HIGH : v1::SEVERITY_MEDIUM) : v1::SEVERITY_LOW,
        strong ? 0.5 + std::min(0.45, static_cast<double>(n) / 100.0) : 0.3,
        absl::StrCat(n, " unique name(s) under ", parent,
                     " have a long or random-looking leftmost label, as data encoded in DNS "
                     "queries does."),
        {absl::StrCat("parent domain: ", parent),
         absl::StrCat("unique suspicious names: ", n, " (of ", p.names.size(), " under it)"),
         absl::StrFormat("longest leftmost label: %d characters (threshold %d)", p.longest_label,
                         kLongLabel),
         absl::StrFormat("highest label entropy: %.2f bits/char (threshold %.1f for labels of "
                         "%d+ characters)",
                         p.max_entropy, kHighEntropy, kEntropyMinLength),
         absl::StrCat("examples: ", ExampleNames(p.suspicious, 3))},
        p.frames,
        absl::StrCat("Check which hosts query ", parent,
                     " and whether the domain is known; tunnelling shows as steady volumes of "
                     "unique queries with TXT/NULL/CNAME answers. Block or sinkhole it if not.")));
  }

  // Many unique subdomains under one parent (even without random labels).
  for (const auto& [parent, p] : parents_) {
    if (p.names.size() < kManySubdomains) continue;
    out.push_back(MakeFinding(
        "dns_many_subdomains", p.names.size() >= 500 ? v1::SEVERITY_MEDIUM : v1::SEVERITY_LOW,
        std::min(0.9, 0.4 + static_cast<double>(p.names.size()) / 1000.0),
        absl::StrCat(p.names.size(), p.names.size() >= kMaxNamesPerParent ? "+" : "",
                     " unique names were queried under ", parent, "."),
        {absl::StrCat("parent domain: ", parent),
         absl::StrCat("unique names: ", p.names.size(), " (threshold ", kManySubdomains, ")"),
         absl::StrCat("examples: ", ExampleNames(p.names, 3))},
        p.frames,
        "Many unique names under one domain suggest data exfiltration, a DGA or a CDN; check "
        "the domain's reputation and who queries it."));
  }

  // Unusual query types in volume.
  {
    std::vector<std::string> evidence;
    std::vector<DnsExample> frames;
    v1::Severity severity = v1::SEVERITY_UNSPECIFIED;
    auto note = [&](uint16_t type, uint64_t min, const char* why, v1::Severity sev) {
      auto it = query_types_.find(type);
      if (it == query_types_.end() || it->second.count < min) return;
      if (type == kDnsTypeTxt &&
          static_cast<double>(it->second.count) < kTxtMinShare * static_cast<double>(queries_)) {
        return;
      }
      evidence.push_back(absl::StrFormat(
          "%s questions in unicast DNS queries: %d of %d (%.0f%%): %s", DnsTypeName(type),
          it->second.count, queries_,
          100.0 * static_cast<double>(it->second.count) / static_cast<double>(queries_), why));
      evidence.push_back(
          absl::StrCat(DnsTypeName(type), " sent by: ", TopSenders(it->second.senders)));
      frames.insert(frames.end(), it->second.frames.begin(), it->second.frames.end());
      severity = std::max(severity, sev);
    };
    note(kDnsTypeTxt, kTxtMinQueries, "TXT carries arbitrary data (tunnels, C2)",
         v1::SEVERITY_MEDIUM);
    note(kDnsTypeNull, 1, "NULL records are used by iodine-style tunnels", v1::SEVERITY_MEDIUM);
    note(kDnsTypeAny, kAnyMinQueries, "ANY is used for reconnaissance and amplification",
         v1::SEVERITY_LOW);
    note(252, 1, "AXFR requests a whole zone", v1::SEVERITY_LOW);
    if (!evidence.empty()) {
      uint64_t other_any = 0;
      for (const auto& [variant, n] : other_any_) other_any += n;
      if (other_any > 0) {
        auto count = [this](DnsVariant v) {
          auto it = other_any_.find(v);
          return it == other_any_.end() ? uint64_t{0} : it->second;
        };
        evidence.push_back(absl::StrCat(
            "not counted: ", count(DnsVariant::kMdns), " mDNS and ", count(DnsVariant::kLlmnr),
            " LLMNR ANY questions (mDNS probes ask ANY by design, RFC 6762 8.1)"));
      }
      out.push_back(MakeFinding(
          "dns_unusual_record_types", severity, 0.6,
          "Query types that ordinary clients rarely use were seen in volume in unicast DNS.",
          evidence, frames,
          "Find the clients sending them and what answered; legitimate uses (SPF/DKIM checks, "
          "zone transfers between your own servers) should be known and few."));
    }
  }

  // DNS on ports not assigned to it.
  for (const auto& [port, e] : odd_ports_) {
    out.push_back(MakeFinding(
        "dns_non_standard_port", v1::SEVERITY_MEDIUM, 0.6,
        absl::StrCat(e.count, " DNS message(s) were carried on UDP port ", port,
                     ", not 53/5353/5355."),
        {absl::StrCat("port: ", port), absl::StrCat("messages: ", e.count),
         "detected by content: every byte parsed as a well-formed DNS message"},
        e.frames,
        "DNS on an odd port can bypass resolver policy and monitoring (malware, tunnels, or a "
        "local forwarder); identify the process behind it."));
  }

  // NXDOMAIN bursts, and DGA when the failing names look generated.
  for (const auto& [client, c] : clients_) {
    if (c.nxdomain < kNxdomainMin ||
        static_cast<double>(c.nxdomain) < kNxdomainShare * static_cast<double>(c.responses)) {
      continue;
    }
    size_t generated = 0;
    std::set<std::string> slds;
    for (const std::string& name : c.nx_names) {
      const std::string sld = SecondLevelLabel(ParentDomain(name));
      if (sld.size() >= kDgaMinLength && ShannonEntropy(sld) >= kDgaEntropy) {
        ++generated;
        slds.insert(name);
      }
    }
    const bool dga = generated * 2 >= c.nx_names.size() && generated >= 5;
    out.push_back(MakeFinding(
        dga ? "dns_dga_suspected" : "dns_nxdomain_burst",
        dga ? v1::SEVERITY_HIGH : v1::SEVERITY_MEDIUM, dga ? 0.75 : 0.55,
        absl::StrCat(client, " received ", c.nxdomain, " NXDOMAIN responses (", c.nx_names.size(),
                     " distinct names)",
                     dga ? ", mostly for random-looking domains, as a DGA produces." : "."),
        {absl::StrCat("client: ", client),
         absl::StrFormat("NXDOMAIN: %d of %d responses (%.0f%%; thresholds %d and %.0f%%)",
                         c.nxdomain, c.responses,
                         100.0 * static_cast<double>(c.nxdomain) / static_cast<double>(c.responses),
                         kNxdomainMin, 100 * kNxdomainShare),
         absl::StrCat("random-looking second-level labels: ", generated, " of ", c.nx_names.size()),
         absl::StrCat("examples: ", ExampleNames(dga ? slds : c.nx_names, 3))},
        c.frames,
        dga ? "Treat the client as possibly infected: look for the process issuing the lookups "
              "and for a successful resolution among them (the live C2 domain)."
            : "Check the client's resolver search list and configuration, or what it is "
              "probing for."));
  }
  return out;
}

}  // namespace mcpcap

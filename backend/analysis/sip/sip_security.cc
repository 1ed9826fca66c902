#include "backend/analysis/sip/sip_security.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "backend/analysis/common/result_parts.h"

namespace mcpcap {
namespace {

// Thresholds. A registering phone normally sees one 401 challenge per REGISTER it then answers,
// so failures count only when they clearly outnumber successes.
constexpr uint64_t kBruteForceFailures = 10;
// Sweeps: legitimate keep-alive OPTIONS go to a handful of proxies, not to tens of hosts.
constexpr size_t kSweepTargets = 10;
// Enumeration: many distinct users asked for, most of them unknown (404).
constexpr size_t kEnumerationUsers = 10;
constexpr uint64_t kEnumerationNotFound = 10;
// Toll fraud: international INVITEs after this many rejected INVITEs from the same source.
constexpr uint64_t kFraudPriorFailures = 3;
constexpr uint64_t kFraudManyInternational = 10;
constexpr size_t kMaxFindingsPerIndicator = 20;

constexpr const char* kScannerAgents[] = {
    "friendly-scanner", "sipvicious", "sipcli",  "sip-scan",        "sipscan",
    "sundayddr",        "iwar",       "smap",    "vaxsipuseragent", "pplsip",
    "sipsak-scan",      "voipbuster", "sip_scan"};

template <typename T>
void InsertBounded(std::set<T>* set, const T& value, size_t max) {
  if (set->size() < max || set->count(value) != 0) set->insert(value);
}

// 10/8, 172.16/12, 192.168/16, 100.64/10 (carrier NAT) from dotted-quad text.
bool IsPrivateIpv4Text(absl::string_view text) {
  std::vector<absl::string_view> parts = absl::StrSplit(text, '.');
  if (parts.size() != 4) return false;
  int b[4];
  for (int i = 0; i < 4; ++i) {
    if (parts[i].empty() || parts[i].size() > 3 || !absl::SimpleAtoi(parts[i], &b[i]) ||
        b[i] > 255) {
      return false;
    }
  }
  return b[0] == 10 || (b[0] == 172 && (b[1] & 0xf0) == 16) || (b[0] == 192 && b[1] == 168) ||
         (b[0] == 100 && (b[1] & 0xc0) == 64);
}

// Routable on the Internet (IPv4 outside private, loopback, link-local, multicast ranges).
bool IsPublicAddress(const IpAddress& ip) {
  if (ip.version() != 4) return false;  // IPv6 topology leaks are not judged
  const uint8_t* b = ip.bytes();
  if (b[0] == 127 || b[0] == 0 || b[0] >= 224 || (b[0] == 169 && b[1] == 254)) return false;
  return !IsPrivateIpv4Text(IpText(ip));
}

// The host of a Via value: "SIP/2.0/UDP 10.0.0.1:5060;branch=..." -> "10.0.0.1".
std::string ViaHost(absl::string_view via) {
  const size_t sp = via.find_first_of(" \t");
  if (sp == absl::string_view::npos) return "";
  absl::string_view rest = absl::StripLeadingAsciiWhitespace(via.substr(sp));
  return std::string(rest.substr(0, rest.find_first_of(":;, \t")));
}

// Contains a version number: a digit, a dot, a digit.
bool HasVersion(absl::string_view s) {
  for (size_t i = 0; i + 2 < s.size(); ++i) {
    if (absl::ascii_isdigit(static_cast<unsigned char>(s[i])) && s[i + 1] == '.' &&
        absl::ascii_isdigit(static_cast<unsigned char>(s[i + 2]))) {
      return true;
    }
  }
  return false;
}

v1::Finding* AddFinding(google::protobuf::RepeatedPtrField<v1::Finding>* out, const char* indicator,
                        v1::Severity severity, double confidence, std::string description,
                        const std::vector<SipSecurityTally::Example>& examples,
                        const char* recommendation) {
  v1::Finding* f = out->Add();
  f->set_indicator(indicator);
  f->set_severity(severity);
  f->set_confidence(std::min(confidence, 0.95));
  f->set_description(std::move(description));
  for (const SipSecurityTally::Example& e : examples)
    FillPacketRef(e.frame, e.time, f->add_examples());
  f->set_recommendation(recommendation);
  return f;
}

std::string JoinFirst(const std::set<std::string>& values, size_t n) {
  std::vector<std::string> first;
  for (const std::string& v : values) {
    if (first.size() == n) break;
    first.push_back(v);
  }
  return absl::StrJoin(first, ", ");
}

}  // namespace

bool IsInternationalNumber(absl::string_view user) {
  std::string digits;
  bool plus = false;
  for (char c : user) {
    if (c == '+' && digits.empty() && !plus) {
      plus = true;
    } else if (absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      digits.push_back(c);
    } else if (c != '-' && c != '.' && c != '(' && c != ')' && c != ' ') {
      return false;  // not a telephone number
    }
  }
  if (plus) return digits.size() >= 8;
  for (absl::string_view prefix : {"00", "011"}) {
    for (size_t skip : {0, 1}) {  // an optional one-digit outside-line prefix
      if (digits.size() >= skip + prefix.size() + 7 &&
          absl::string_view(digits).substr(skip).substr(0, prefix.size()) == prefix &&
          (skip == 0 || digits[0] == '9' || digits[0] == '0')) {
        // "000..." (outside line 0 + "00") and "00..." are both international.
        return true;
      }
    }
  }
  return false;
}

bool IsScannerUserAgent(absl::string_view user_agent) {
  const std::string lower = absl::AsciiStrToLower(user_agent);
  for (const char* a : kScannerAgents) {
    if (absl::StrContains(lower, a)) return true;
  }
  return false;
}

SipSecurityTally::Source* SipSecurityTally::SourceOf(const IpAddress& ip) {
  std::string key = IpText(ip);
  auto it = sources_.find(key);
  if (it != sources_.end()) return &it->second;
  if (sources_.size() >= kMaxKeys) return nullptr;
  return &sources_[key];
}

void SipSecurityTally::OnMessage(const SipMessage& m, const SipOrigin& o) {
  const absl::string_view agent = m.HeaderOr("user-agent");
  if (!agent.empty() && IsScannerUserAgent(agent)) {
    auto it = scanners_.find(std::string(agent));
    if (it != scanners_.end() || scanners_.size() < kMaxKeys) {
      Agent& a = scanners_[std::string(agent)];
      ++a.messages;
      InsertBounded(&a.sources, IpText(o.src), kMaxDistinct);
      a.examples.Add(o);
    }
  }
  if (m.is_request) {
    OnRequest(m, o);
  } else {
    OnResponse(m, o);
  }
  OnLeaks(m, o);
}

void SipSecurityTally::OnRequest(const SipMessage& m, const SipOrigin& o) {
  Source* s = SourceOf(o.src);
  if (s == nullptr) return;
  const std::string method = absl::AsciiStrToUpper(m.method);
  if (method == "OPTIONS") {
    ++s->options;
    InsertBounded(&s->options_targets, IpText(o.dst), kMaxDistinct);
    s->options_examples.Add(o);
  }
  if (method == "REGISTER" || method == "INVITE" || method == "OPTIONS" || method == "SUBSCRIBE") {
    std::string user =
        SipUriUser(method == "REGISTER" ? m.HeaderOr("to") : absl::string_view(m.request_uri));
    if (!user.empty()) InsertBounded(&s->request_users, user, kMaxDistinct);
  }
  if (method == "INVITE") {
    const std::string dialled = SipUriUser(m.request_uri);
    if (IsInternationalNumber(dialled)) {
      if (s->international_invites == 0) s->failures_before_international = s->invite_failures;
      ++s->international_invites;
      InsertBounded(&s->dialled, dialled, kMaxDistinct);
      if (s->international_calls.size() < kMaxDistinct) {
        s->international_calls.push_back(std::string(m.HeaderOr("call-id")));
      }
      s->fraud_examples.Add(o);
    }
  }
}

void SipSecurityTally::OnResponse(const SipMessage& m, const SipOrigin& o) {
  Source* s = SourceOf(o.dst);  // the client the answer goes to
  if (s == nullptr) return;
  const std::string method = CSeqMethod(m);
  const uint16_t code = m.status_code;
  if (code == 404) {
    ++s->not_found;
    s->enum_examples.Add(o);
  }
  if (method == "INVITE" && code >= 400 && code != 487) ++s->invite_failures;
  if (method != "REGISTER") return;
  if (code / 100 == 2) ++s->register_successes;
  if (code != 401 && code != 403 && code != 407) return;
  ++s->register_failures;
  ++(code == 401 ? s->status_401 : code == 403 ? s->status_403 : s->status_407);
  s->register_examples.Add(o);
  const std::string user = SipUriUser(m.HeaderOr("to"));
  if (user.empty()) return;
  InsertBounded(&s->register_users, user, kMaxDistinct);
  auto it = register_users_.find(user);
  if (it == register_users_.end() && register_users_.size() >= kMaxKeys) return;
  User& u = register_users_[user];
  ++u.failures;
  InsertBounded(&u.sources, IpText(o.dst), kMaxDistinct);
  u.examples.Add(o);
}

void SipSecurityTally::OnLeaks(const SipMessage& m, const SipOrigin& o) {
  for (const char* name : {"server", "user-agent"}) {
    const absl::string_view v = m.HeaderOr(name);
    if (!v.empty() && HasVersion(v) && versions_.size() < kMaxKeys) {
      versions_.emplace(std::string(v), Example{o.frame, o.time});
    }
  }
  if (!IsPublicAddress(o.src) && !IsPublicAddress(o.dst)) return;
  bool leaked = false;
  for (const SipHeaderField& h : m.headers) {
    std::string host;
    if (h.name == "via") {
      host = ViaHost(h.value);
    } else if (h.name == "contact" || h.name == "record-route" || h.name == "route") {
      host = SipUriHost(h.value);
    } else {
      continue;
    }
    if (IsPrivateIpv4Text(host) && leaked_.size() < kMaxKeys) {
      leaked_.emplace(host, Example{o.frame, o.time});
      leaked = true;
    }
  }
  if (leaked) leak_examples_.Add(o);
}

void SipSecurityTally::Fill(const SipCallTracker& calls,
                            google::protobuf::RepeatedPtrField<v1::Finding>* out) const {
  size_t n = 0;
  for (const auto& [ip, s] : sources_) {
    if (s.register_failures < kBruteForceFailures ||
        s.register_failures < 2 * s.register_successes || n++ >= kMaxFindingsPerIndicator) {
      continue;
    }
    const bool many = s.register_failures >= 5 * kBruteForceFailures ||
                      s.register_users.size() >= kBruteForceFailures;
    v1::Finding* f = AddFinding(
        out, "sip_register_bruteforce", many ? v1::SEVERITY_HIGH : v1::SEVERITY_MEDIUM,
        0.6 + 0.005 * static_cast<double>(s.register_failures) +
            (s.register_users.size() >= 5 ? 0.15 : 0.0),
        absl::StrCat(ip, " received ", s.register_failures, " REGISTER rejections (",
                     s.register_successes,
                     " successes): password guessing or a misconfigured "
                     "device"),
        s.register_examples.refs,
        "Check the registrar's logs for this source, block it if it is not a known device, and "
        "enforce strong SIP passwords and fail2ban-style lockouts.");
    f->add_evidence(absl::StrCat("401: ", s.status_401, ", 403: ", s.status_403,
                                 ", 407: ", s.status_407, "; threshold ", kBruteForceFailures,
                                 " failures outnumbering successes 2:1"));
    f->add_evidence(absl::StrCat(s.register_users.size(),
                                 " distinct users targeted: ", JoinFirst(s.register_users, 10)));
  }
  n = 0;
  for (const auto& [user, u] : register_users_) {
    // One source is reported above; several sources against one account is a distributed attack.
    if (u.failures < kBruteForceFailures || u.sources.size() < 2 ||
        n++ >= kMaxFindingsPerIndicator) {
      continue;
    }
    v1::Finding* f = AddFinding(
        out, "sip_register_bruteforce", v1::SEVERITY_HIGH,
        0.7 + 0.005 * static_cast<double>(u.failures),
        absl::StrCat("account ", user, " had ", u.failures, " REGISTER rejections from ",
                     u.sources.size(), " sources"),
        u.examples.refs,
        "Lock or re-key this account and check whether any REGISTER for it later succeeded.");
    f->add_evidence(absl::StrCat("sources: ", JoinFirst(u.sources, 10)));
  }
  n = 0;
  for (const auto& [agent, a] : scanners_) {
    if (n++ >= kMaxFindingsPerIndicator) break;
    v1::Finding* f = AddFinding(
        out, "sip_scanner_user_agent", v1::SEVERITY_HIGH, 0.9,
        absl::StrCat(a.messages, " messages with the User-Agent of a SIP attack tool: \"", agent,
                     "\""),
        a.examples.refs,
        "Block these sources at the edge; check whether any of their REGISTER or INVITE "
        "requests succeeded.");
    f->add_evidence(absl::StrCat("sources (", a.sources.size(), "): ", JoinFirst(a.sources, 10)));
  }
  n = 0;
  for (const auto& [ip, s] : sources_) {
    if (s.options_targets.size() < kSweepTargets || n++ >= kMaxFindingsPerIndicator) continue;
    v1::Finding* f = AddFinding(
        out, "sip_options_sweep", v1::SEVERITY_MEDIUM,
        0.6 + 0.01 * static_cast<double>(s.options_targets.size()),
        absl::StrCat(ip, " sent OPTIONS to ", s.options_targets.size(),
                     " hosts: a SIP discovery sweep"),
        s.options_examples.refs,
        "Treat the source as a scanner: block it and look for REGISTER or INVITE attempts "
        "from it that follow.");
    f->add_evidence(
        absl::StrCat(s.options, " OPTIONS requests; threshold ", kSweepTargets,
                     " distinct targets; first targets: ", JoinFirst(s.options_targets, 10)));
  }
  n = 0;
  for (const auto& [ip, s] : sources_) {
    if (s.request_users.size() < kEnumerationUsers || s.not_found < kEnumerationNotFound ||
        n++ >= kMaxFindingsPerIndicator) {
      continue;
    }
    v1::Finding* f = AddFinding(
        out, "sip_extension_enumeration", v1::SEVERITY_MEDIUM,
        0.55 + 0.005 * static_cast<double>(s.not_found),
        absl::StrCat(ip, " asked for ", s.request_users.size(), " distinct users and got ",
                     s.not_found, " 404 answers: extension enumeration"),
        s.enum_examples.refs,
        "Make the registrar answer unknown and wrong-password users alike (alwaysauthreject) "
        "and block the source.");
    f->add_evidence(absl::StrCat("users tried include: ", JoinFirst(s.request_users, 10)));
  }
  n = 0;
  for (const auto& [ip, s] : sources_) {
    if (s.international_invites == 0) continue;
    const bool after_failures = s.failures_before_international >= kFraudPriorFailures;
    if (!after_failures && s.international_invites < kFraudManyInternational) continue;
    if (n++ >= kMaxFindingsPerIndicator) break;
    uint64_t connected = 0;
    for (const std::string& id : s.international_calls) {
      const v1::SipCallOutcome outcome = calls.OutcomeOf(id);
      if (outcome == v1::SIP_CALL_OUTCOME_COMPLETED || outcome == v1::SIP_CALL_OUTCOME_ANSWERED) {
        ++connected;
      }
    }
    v1::Finding* f = AddFinding(
        out, "sip_toll_fraud_suspected", connected > 0 ? v1::SEVERITY_HIGH : v1::SEVERITY_MEDIUM,
        0.5 + (after_failures ? 0.2 : 0.0) + (connected > 0 ? 0.2 : 0.0),
        absl::StrCat(ip, " sent ", s.international_invites, " INVITEs to international numbers",
                     after_failures ? " after failed attempts" : "", "; ", connected,
                     " were answered"),
        s.fraud_examples.refs,
        "Check the CDRs for these numbers, restrict international dialling for the account "
        "used, and verify how the source authenticated.");
    f->add_evidence(absl::StrCat(s.failures_before_international,
                                 " rejected INVITEs from this source before the first "
                                 "international one (threshold ",
                                 kFraudPriorFailures, ")"));
    f->add_evidence(
        absl::StrCat("numbers dialled (", s.dialled.size(), "): ", JoinFirst(s.dialled, 10)));
  }
  if (!versions_.empty()) {
    std::vector<Example> examples;
    std::set<std::string> names;
    for (const auto& [v, example] : versions_) {
      if (examples.size() < kMaxExamples) examples.push_back(example);
      names.insert(v);
    }
    std::sort(examples.begin(), examples.end());
    v1::Finding* f = AddFinding(
        out, "sip_version_disclosure", v1::SEVERITY_LOW, 0.9,
        absl::StrCat(versions_.size(),
                     " distinct Server/User-Agent values name software versions, which helps "
                     "attackers pick exploits"),
        examples,
        "Remove or genericise the Server and User-Agent headers on devices exposed to "
        "untrusted networks, and check the named versions for known vulnerabilities.");
    f->add_evidence(absl::StrCat("values: ", JoinFirst(names, 10)));
  }
  if (!leaked_.empty()) {
    std::set<std::string> hosts;
    for (const auto& [host, example] : leaked_) hosts.insert(host);
    v1::Finding* f = AddFinding(
        out, "sip_topology_leak", v1::SEVERITY_LOW, 0.7,
        absl::StrCat(leaked_.size(),
                     " private addresses appear in Via/Contact/Route headers of messages to or "
                     "from public addresses"),
        leak_examples_.refs,
        "Have the edge proxy or SBC hide internal topology (strip or rewrite Via, Contact and "
        "Record-Route), and check NAT traversal settings.");
    f->add_evidence(absl::StrCat("addresses: ", JoinFirst(hosts, 10)));
  }
}

}  // namespace mcpcap

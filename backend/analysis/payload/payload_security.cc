#include "backend/analysis/payload/payload_security.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "backend/analysis/payload/payload_format.h"
#include "backend/base/time_format.h"
#include "backend/payload/tls/tls_names.h"

namespace mcpcap {
namespace {

constexpr size_t kMaxEvidence = 10;
constexpr size_t kSnippetBytes = 160;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Lower case, %xx and '+' decoded when asked (twice: double encoding is a classic evasion),
// whitespace runs and SQL comments /**/ collapsed to one space.
std::string Normalise(absl::string_view text, bool url_encoded) {
  std::string s(text.substr(0, payload::kMaxTextBytes));
  for (int round = 0; url_encoded && round < 2; ++round) {
    std::string decoded;
    decoded.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '+') {
        decoded.push_back(' ');
      } else if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 &&
                 HexValue(s[i + 2]) >= 0) {
        decoded.push_back(static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2])));
        i += 2;
      } else {
        decoded.push_back(s[i]);
      }
    }
    s.swap(decoded);
  }
  s = absl::StrReplaceAll(absl::AsciiStrToLower(s), {{"/**/", " "}});
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    const bool space = absl::ascii_isspace(static_cast<unsigned char>(c));
    if (space && (out.empty() || out.back() == ' ')) continue;
    out.push_back(space ? ' ' : c);
  }
  return out;
}

struct Pattern {
  absl::string_view needle;
  absl::string_view name;
  bool in_queries;  // legitimate SQL rarely contains it (HTTP requests: every pattern applies)
};

// Needles over the normalised text. Tautologies and quote-comment endings are the marks of a
// string that broke out of its quotes; the others are payloads that only attacks send.
constexpr Pattern kPatterns[] = {
    {"' or '1'='1", "tautology", true},
    {"' or 1=1", "tautology", true},
    {" or 1=1", "tautology", true},
    {"\" or \"1\"=\"1", "tautology", true},
    {"' or 'a'='a", "tautology", true},
    {"' or ''='", "tautology", true},
    {"union select null", "union_select", true},
    {"union all select null", "union_select", true},
    {"union select", "union_select", false},
    {"union all select", "union_select", false},
    {"sleep(", "time_delay", true},
    {"pg_sleep(", "time_delay", true},
    {"benchmark(", "time_delay", true},
    {"waitfor delay", "time_delay", true},
    {"; drop table", "stacked_query", true},
    {";drop table", "stacked_query", true},
    {"xp_cmdshell", "command_execution", true},
    {"into outfile", "file_access", true},
    {"load_file(", "file_access", true},
    {"'--", "comment_after_quote", true},
    {"' --", "comment_after_quote", true},
    {"'#", "comment_after_quote", false},
    {"information_schema", "schema_probe", false},
    {"@@version", "schema_probe", false},
    {"' and '", "boolean_probe", false},
    {"' or ", "boolean_probe", false},
};

std::string Snippet(absl::string_view text) {
  if (text.size() <= kSnippetBytes) return std::string(text);
  return absl::StrCat(text.substr(0, kSnippetBytes), "...");
}

std::string FlowName(const PayloadFlowResult& flow) {
  return absl::StrCat(Endpoint(flow.client, flow.client_port), " -> ",
                      Endpoint(flow.server, flow.server_port));
}

// Most severe first: the enum's values grow with severity.
int SeverityRank(v1::Severity s) { return -static_cast<int>(s); }

bool IsOldTls(absl::string_view version) {
  return version == "SSL 2.0" || version == "SSL 3.0" || version == "TLS 1.0" ||
         version == "TLS 1.1";
}

bool IsWeakCipher(absl::string_view name) {
  for (absl::string_view weak :
       {"_NULL_", "_EXPORT", "_RC4_", "_DES_", "_3DES_", "_anon_", "DES_CBC", "_MD5"}) {
    if (absl::StrContains(name, weak)) return true;
  }
  return absl::EndsWith(name, "_NULL");
}

}  // namespace

std::string SqlInjectionPattern(absl::string_view text, bool url_encoded) {
  const std::string s = Normalise(text, url_encoded);
  for (const Pattern& p : kPatterns) {
    if (!url_encoded && !p.in_queries) continue;
    if (absl::StrContains(s, p.needle)) return std::string(p.name);
  }
  return "";
}

PayloadFindings::Tally& PayloadFindings::Get(const std::string& indicator, v1::Severity severity,
                                             double confidence, absl::string_view description,
                                             absl::string_view recommendation) {
  Tally& t = tallies_[indicator];
  if (t.severity == v1::SEVERITY_UNSPECIFIED) {
    t.severity = severity;
    t.confidence = confidence;
    t.description = std::string(description);
    t.recommendation = std::string(recommendation);
  }
  return t;
}

void PayloadFindings::Note(Tally& tally, std::string evidence, payload::Position packet) {
  ++tally.count;
  if (tally.evidence.size() < kMaxEvidence) tally.evidence.push_back(std::move(evidence));
  const auto same_frame = [&packet](const payload::Position& p) { return p.frame == packet.frame; };
  if (packet.frame != 0 && tally.packets.size() < kMaxEvidence &&
      std::none_of(tally.packets.begin(), tally.packets.end(), same_frame)) {
    tally.packets.push_back(packet);
  }
}

void PayloadFindings::AddCredentials(const PayloadFlowResult& flow) {
  for (const payload::Credential& c : flow.credentials) {
    Tally& t = Get("cleartext_credentials", v1::SEVERITY_HIGH, 0.95,
                   "{n} credential(s) or token(s) sent in clear text",
                   "Anyone on the path can reuse these: move the service to TLS, rotate the "
                   "exposed secrets, and prefer challenge-response or token authentication.");
    std::string evidence = absl::StrCat(c.kind, " on ", FlowName(flow));
    if (!c.user.empty()) absl::StrAppend(&evidence, ", user \"", c.user, "\"");
    if (!c.evidence.empty()) absl::StrAppend(&evidence, ": ", c.evidence);
    Note(t, std::move(evidence), c.at);
  }
}

void PayloadFindings::CheckQuery(const PayloadFlowResult& flow, const payload::DbQuery& query) {
  const std::string pattern = SqlInjectionPattern(query.text, /*url_encoded=*/false);
  if (pattern.empty()) return;
  Tally& t = Get("sql_injection_in_query", v1::SEVERITY_HIGH, 0.8,
                 "{n} database quer(ies) contain SQL injection patterns",
                 "Find the application that sent these statements and check how it builds SQL "
                 "from input: use parameterised queries; review the database logs for what the "
                 "statements returned.");
  Note(t,
       absl::StrCat(pattern, " in ", payload::ProtocolName(flow.detection.protocol), " query on ",
                    FlowName(flow), ": ", Snippet(query.text)),
       query.request);
}

void PayloadFindings::CheckHttpRequest(const PayloadFlowResult& flow,
                                       const payload::AppMessage& message) {
  for (const auto& [key, value] : message.fields) {
    if (key != "uri" && key != "body") continue;
    const std::string pattern = SqlInjectionPattern(value, /*url_encoded=*/true);
    if (pattern.empty()) continue;
    Tally& t = Get("sql_injection_in_http", v1::SEVERITY_HIGH, 0.75,
                   "{n} HTTP request(s) carry SQL injection patterns",
                   "Check the server's responses and logs for these requests (errors, unusual "
                   "sizes or delays), and the application's handling of the parameters.");
    Note(t, absl::StrCat(pattern, " in HTTP ", key, " on ", FlowName(flow), ": ", Snippet(value)),
         message.start);
    return;
  }
}

void PayloadFindings::CheckTls(const PayloadFlowResult& flow) {
  const payload::TlsFacts& tls = flow.facts.tls;
  if (!tls.seen) return;
  if (IsOldTls(tls.version)) {
    Tally& t = Get("weak_tls_version", v1::SEVERITY_MEDIUM, 0.95,
                   "{n} TLS session(s) negotiated a deprecated protocol version",
                   "Disable SSL 3.0, TLS 1.0 and TLS 1.1 on the server (RFC 8996); require TLS "
                   "1.2 or 1.3.");
    Note(t, absl::StrCat(tls.version, " on ", FlowName(flow)), flow.first);
  }
  if (tls.has_cipher) {
    const std::string name = payload::TlsCipherSuiteName(tls.cipher);
    if (IsWeakCipher(name)) {
      Tally& t = Get("weak_tls_cipher", v1::SEVERITY_MEDIUM, 0.9,
                     "{n} TLS session(s) chose a weak cipher suite",
                     "Remove NULL, EXPORT, RC4, DES/3DES and anonymous suites from the server's "
                     "configuration.");
      Note(t, absl::StrCat(name, " on ", FlowName(flow)), flow.first);
    }
  }
  CheckCertificates(flow);
  if (absl::StartsWith(tls.alert, "fatal")) {
    Tally& t = Get("tls_handshake_failure", v1::SEVERITY_INFO, 0.9,
                   "{n} TLS session(s) ended in a fatal alert",
                   "Compare the versions and cipher suites both sides offer; the alert names "
                   "the reason.");
    Note(t, absl::StrCat(tls.alert, " on ", FlowName(flow)), flow.last);
  }
}

void PayloadFindings::CheckCertificates(const PayloadFlowResult& flow) {
  const std::vector<payload::Certificate>& chain = flow.facts.tls.certificates;
  if (chain.empty()) return;
  // ISO-8601 UTC strings of equal shape compare in time order.
  const std::string seen_at = FormatUtcIso(flow.first.time / kNanosPerSecond, 0, 0);
  const auto expired = [&seen_at](const payload::Certificate& c) {
    return !c.not_after.empty() && c.not_after < seen_at;
  };
  const auto self_signed = [](const payload::Certificate& c) {
    return !c.subject.empty() && c.subject == c.issuer;
  };
  // Each server once, whatever number of sessions showed it the same way.
  const std::string server = Endpoint(flow.server, flow.server_port);
  std::string where = absl::StrCat("server ", server);
  if (!flow.facts.tls.sni.empty()) absl::StrAppend(&where, " (SNI ", flow.facts.tls.sni, ")");
  // The certificate the server presented for itself: the first of its Certificate message.
  const payload::Certificate& leaf = chain.front();
  if (expired(leaf)) {
    Tally& t = Get("expired_certificate", v1::SEVERITY_MEDIUM, 0.9,
                   "{n} server(s) presented an expired certificate for themselves (the leaf "
                   "certificate)",
                   "Renew the server's certificate; clients that accept it anyway do not check "
                   "validity and can be intercepted.");
    NoteOnce(t, server,
             absl::StrCat(where, ": its certificate ", leaf.subject, " expired ", leaf.not_after),
             flow.first);
  }
  if (self_signed(leaf)) {
    Tally& t = Get("self_signed_certificate", v1::SEVERITY_LOW, 0.8,
                   "{n} server(s) presented a self-signed certificate for themselves (the leaf "
                   "certificate)",
                   "Clients cannot authenticate a self-signed server unless they pin it; use a "
                   "certificate from a trusted CA or distribute the pin.");
    NoteOnce(t, server, absl::StrCat(where, ": ", leaf.subject, " issued by itself"), flow.first);
  }
  // The rest is the chain the server sent to lead from its certificate to a trusted root.
  for (size_t i = 1; i < chain.size(); ++i) {
    const payload::Certificate& c = chain[i];
    const std::string position = absl::StrCat("chain certificate ", i + 1, " of ", chain.size());
    if (expired(c)) {
      Tally& t = Get("expired_chain_certificate", v1::SEVERITY_MEDIUM, 0.85,
                     "{n} server(s) sent an expired CA certificate in the chain after their own",
                     "Replace the expired intermediate or root in the chain the server sends "
                     "(its certificate file or chain file): clients that find no other path "
                     "to a trusted root reject the connection.");
      NoteOnce(t, server,
               absl::StrCat(where, ": ", position, ", ", c.subject, ", expired ", c.not_after,
                            " (the server's own certificate ", leaf.subject, " expires ",
                            leaf.not_after.empty() ? "at an unknown time" : leaf.not_after, ")"),
               flow.first);
    }
    if (self_signed(c)) {
      Tally& t = Get("self_signed_root_in_chain", v1::SEVERITY_INFO, 0.9,
                     "{n} server(s) include a self-signed root CA in the chain they send",
                     "Clients validate against their own copy of a root, so sending it only "
                     "adds bytes; if the root is private, clients must trust it explicitly. The "
                     "server's own certificate is judged by the other findings.");
      NoteOnce(t, server,
               absl::StrCat(where, ": ", position, " is the self-signed root ", c.subject,
                            "; the server's own certificate ", leaf.subject, " is issued by ",
                            leaf.issuer),
               flow.first);
    }
  }
}

void PayloadFindings::NoteOnce(Tally& tally, const std::string& unit, std::string evidence,
                               payload::Position packet) {
  if (!tally.units.insert(unit).second) return;
  Note(tally, std::move(evidence), packet);
}

void PayloadFindings::CheckDatabaseSession(const PayloadFlowResult& flow) {
  if (!payload::IsDatabaseProtocol(flow.detection.protocol) || flow.facts.encrypted) return;
  if (flow.facts.user.empty() && flow.queries_total == 0) return;
  Tally& t = Get("unencrypted_database_session", v1::SEVERITY_LOW, 0.9,
                 "{n} database session(s) run without encryption",
                 "Queries and results can be read on the network: require TLS on the database "
                 "server (MySQL require_secure_transport, PostgreSQL hostssl, Redis tls-port).");
  std::string evidence =
      absl::StrCat(payload::ProtocolName(flow.detection.protocol), " on ", FlowName(flow));
  if (!flow.facts.user.empty()) absl::StrAppend(&evidence, ", user \"", flow.facts.user, "\"");
  Note(t, std::move(evidence), flow.first);
}

void PayloadFindings::Fill(google::protobuf::RepeatedPtrField<v1::Finding>* out) const {
  std::vector<std::pair<std::string, const Tally*>> order;
  for (const auto& [indicator, tally] : tallies_) order.emplace_back(indicator, &tally);
  std::stable_sort(order.begin(), order.end(), [](const auto& x, const auto& y) {
    return SeverityRank(x.second->severity) < SeverityRank(y.second->severity);
  });
  for (const auto& [indicator, tally] : order) {
    v1::Finding* f = out->Add();
    f->set_indicator(indicator);
    f->set_severity(tally->severity);
    f->set_confidence(tally->confidence);
    f->set_description(
        absl::StrReplaceAll(tally->description, {{"{n}", absl::StrCat(tally->count)}}));
    for (const std::string& e : tally->evidence) f->add_evidence(e);
    std::vector<payload::Position> examples = tally->packets;
    std::sort(
        examples.begin(), examples.end(),
        [](const payload::Position& x, const payload::Position& y) { return x.frame < y.frame; });
    for (const payload::Position& p : examples) FillPacketRef(p, f->add_examples());
    f->set_recommendation(tally->recommendation);
  }
}

void EncryptionTally::Add(const PayloadFlowResult& flow) {
  if (!IsEncrypted(flow)) return;
  ++by_kind_[EncryptionOf(flow)];
  if (flow.facts.tls.seen && !flow.facts.tls.version.empty())
    ++tls_versions_[flow.facts.tls.version];
}

std::vector<std::string> EncryptionTally::Advice() const {
  const auto& by_kind = by_kind_;
  const auto& tls_versions = tls_versions_;
  std::vector<std::string> advice;
  const auto count = [&](const char* kind) {
    auto it = by_kind.find(kind);
    return it == by_kind.end() ? uint64_t{0} : it->second;
  };
  bool older_than_13 = false;
  for (const auto& [version, n] : tls_versions) older_than_13 |= version != "TLS 1.3";
  const uint64_t tls =
      count("tls") + count("mysql_tls") + count("postgresql_ssl") + count("starttls");
  if (tls > 0) {
    std::string versions;
    for (const auto& [v, n] : tls_versions) {
      absl::StrAppend(&versions, versions.empty() ? " (" : ", ", v, ": ", n);
    }
    if (!versions.empty()) versions += ")";
    advice.push_back(absl::StrCat(
        tls, " flow(s) are TLS-encrypted", versions,
        ": their content cannot be read from the capture. To decrypt, record the session keys "
        "while capturing (set SSLKEYLOGFILE=/path/keys.log for browsers, curl and other "
        "OpenSSL/NSS clients) and give the file to Wireshark (Preferences > Protocols > TLS > "
        "(Pre)-Master-Secret log filename) or tshark (-o tls.keylog_file:keys.log).",
        older_than_13 ? " Sessions with RSA key exchange (no (EC)DHE, TLS 1.2 and older) can "
                        "also be decrypted with the server's private key."
                      : ""));
  }
  if (count("quic") > 0) {
    advice.push_back(
        absl::StrCat(count("quic"),
                     " QUIC flow(s): QUIC encrypts everything past the first packets; the same "
                     "SSLKEYLOGFILE key log lets Wireshark decrypt them."));
  }
  if (count("ssh") > 0) {
    advice.push_back(absl::StrCat(
        count("ssh"),
        " SSH flow(s): SSH cannot be decrypted from a capture; only the banners and the key "
        "exchange are visible. Use the server's logs (sshd LogLevel VERBOSE) for sessions."));
  }
  return advice;
}

}  // namespace mcpcap

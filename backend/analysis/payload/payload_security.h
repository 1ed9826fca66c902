// Security findings over application payloads: credentials and tokens in clear text, SQL
// injection patterns in queries and HTTP requests, weak or broken TLS, unencrypted database
// logins; and advice on reading encrypted flows. Each finding carries its evidence.
#ifndef MCPCAP_BACKEND_ANALYSIS_PAYLOAD_PAYLOAD_SECURITY_H_
#define MCPCAP_BACKEND_ANALYSIS_PAYLOAD_PAYLOAD_SECURITY_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "backend/analysis/payload/payload_scan.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "mcpcap/v1/capture.pb.h"

namespace mcpcap {

// The injection pattern `text` matches ("tautology", "union_select", "time_delay", ...), or
// empty. `url_encoded` decodes %xx and '+' first (HTTP request targets and form bodies).
std::string SqlInjectionPattern(absl::string_view text, bool url_encoded);

class PayloadFindings {
 public:
  // Credentials the flow's parser reported.
  void AddCredentials(const PayloadFlowResult& flow);
  // A database query whose text matches an injection pattern.
  void CheckQuery(const PayloadFlowResult& flow, const payload::DbQuery& query);
  // An HTTP request whose target or form body matches an injection pattern.
  void CheckHttpRequest(const PayloadFlowResult& flow, const payload::AppMessage& message);
  // Old TLS versions, weak cipher suites, fatal alerts (per session), and the certificates
  // (CheckCertificates).
  void CheckTls(const PayloadFlowResult& flow);
  // The server's own certificate (the first it sent, the leaf) expired or self-signed; an expired
  // CA certificate or a self-signed root in the chain after it, as chain findings. Each server
  // (address and port) counts once per finding.
  void CheckCertificates(const PayloadFlowResult& flow);
  // A database login that is not encrypted.
  void CheckDatabaseSession(const PayloadFlowResult& flow);

  // The findings, one per indicator, most severe first.
  void Fill(google::protobuf::RepeatedPtrField<v1::Finding>* out) const;

 private:
  struct Tally {
    v1::Severity severity = v1::SEVERITY_UNSPECIFIED;
    double confidence = 0;
    std::string description;  // with {n} for the count
    std::string recommendation;
    uint64_t count = 0;
    std::vector<std::string> evidence;       // at most 10
    std::vector<payload::Position> packets;  // example frames and their times, at most 10
    std::set<std::string> units;             // what NoteOnce counted (e.g. servers)
  };
  Tally& Get(const std::string& indicator, v1::Severity severity, double confidence,
             absl::string_view description, absl::string_view recommendation);
  static void Note(Tally& tally, std::string evidence, payload::Position packet);
  // Counts `unit` once: later notes of the same unit add nothing.
  static void NoteOnce(Tally& tally, const std::string& unit, std::string evidence,
                       payload::Position packet);

  std::map<std::string, Tally> tallies_;
};

// Plain-language advice on the encrypted flows seen (how to decrypt them, or why not).
class EncryptionTally {
 public:
  void Add(const PayloadFlowResult& flow);
  std::vector<std::string> Advice() const;

 private:
  std::map<std::string, uint64_t> by_kind_;
  std::map<std::string, uint64_t> tls_versions_;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_PAYLOAD_PAYLOAD_SECURITY_H_

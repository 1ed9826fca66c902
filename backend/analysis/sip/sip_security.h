// Security indicators over SIP traffic: REGISTER brute force, scanners and sweeps, extension
// enumeration, toll-fraud-like INVITEs, and version or topology leaks. Each finding carries the
// counts behind it, a confidence and a next step. Thresholds are constants below, with reasons.
#ifndef MCPCAP_BACKEND_ANALYSIS_SIP_SIP_SECURITY_H_
#define MCPCAP_BACKEND_ANALYSIS_SIP_SIP_SECURITY_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "backend/analysis/sip/sip_calls.h"
#include "backend/analysis/sip/sip_fields.h"
#include "mcpcap/v1/capture.pb.h"

namespace mcpcap {

// A dialled number that leaves the country: "+44...", "0044...", "011 44...", optionally behind
// a one-digit outside-line prefix ("9011...", "000...").
bool IsInternationalNumber(absl::string_view user);

// A User-Agent of a known SIP attack tool (friendly-scanner, sipvicious, sipcli, ...).
bool IsScannerUserAgent(absl::string_view user_agent);

class SipSecurityTally {
 public:
  // A frame given as an example, with its capture time.
  struct Example {
    uint64_t frame = 0;
    CaptureNanos time = 0;
    bool operator<(const Example& o) const { return frame < o.frame; }
  };
  void OnMessage(const SipMessage& m, const SipOrigin& o);
  void Fill(const SipCallTracker& calls,
            google::protobuf::RepeatedPtrField<v1::Finding>* out) const;

 private:
  static constexpr size_t kMaxKeys = 4096;      // sources, users or agents tracked per indicator
  static constexpr size_t kMaxDistinct = 1024;  // distinct values kept per key
  static constexpr size_t kMaxExamples = 10;

  struct Examples {
    std::vector<Example> refs;
    void Add(const SipOrigin& o) {
      if (refs.size() < kMaxExamples) refs.push_back({o.frame, o.time});
    }
  };
  struct Source {  // one client address
    uint64_t register_failures = 0, register_successes = 0;
    uint64_t status_401 = 0, status_403 = 0, status_407 = 0;
    std::set<std::string> register_users;  // users whose REGISTER failed
    uint64_t options = 0;
    std::set<std::string> options_targets;  // destination addresses of OPTIONS
    std::set<std::string> request_users;    // users named in requests
    uint64_t not_found = 0;                 // 404 answers
    uint64_t invite_failures = 0;           // 4xx-6xx answering INVITE
    uint64_t international_invites = 0;
    uint64_t failures_before_international = 0;
    std::set<std::string> dialled;
    std::vector<std::string> international_calls;
    Examples register_examples, options_examples, enum_examples, fraud_examples;
  };
  struct User {
    uint64_t failures = 0;
    std::set<std::string> sources;
    Examples examples;
  };
  struct Agent {
    uint64_t messages = 0;
    std::set<std::string> sources;
    Examples examples;
  };

  Source* SourceOf(const IpAddress& ip);
  void OnRequest(const SipMessage& m, const SipOrigin& o);
  void OnResponse(const SipMessage& m, const SipOrigin& o);
  void OnLeaks(const SipMessage& m, const SipOrigin& o);

  std::map<std::string, Source> sources_;
  std::map<std::string, User> register_users_;
  std::map<std::string, Agent> scanners_;
  std::map<std::string, Example> versions_;  // Server/User-Agent value -> first frame
  std::map<std::string, Example> leaked_;    // private address -> first frame
  Examples leak_examples_;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_SIP_SIP_SECURITY_H_

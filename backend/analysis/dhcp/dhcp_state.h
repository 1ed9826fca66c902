// What the DHCP analysis accumulates over a capture: transactions, clients and servers, all in
// ordered maps so that the result is deterministic. Findings are derived from it at the end.
#ifndef MCPCAP_BACKEND_ANALYSIS_DHCP_DHCP_STATE_H_
#define MCPCAP_BACKEND_ANALYSIS_DHCP_DHCP_STATE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "backend/flow/capture_time.h"
#include "mcpcap/v1/capture.pb.h"
#include "mcpcap/v1/dhcp.pb.h"

namespace mcpcap {

struct DhcpTransactionState {
  uint64_t first_packet = 0;
  CaptureNanos first_time = 0;
  CaptureNanos last_time = 0;
  std::string client_mac;
  std::string hostname;
  v1::DhcpVersion version = v1::DHCP_VERSION_UNSPECIFIED;
  std::vector<v1::DhcpTransactionStep> steps;  // at most kMaxSteps
  std::set<std::string> types;                 // message type names seen
  std::string offered_ip, acknowledged_ip, server_id;
  std::optional<int64_t> lease_seconds;              // the lease time granted, when one was
  v1::DhcpOutcome outcome = v1::DHCP_OUTCOME_OTHER;  // after the messages seen so far
  v1::Endpoint client;                               // the first client endpoint shown
};

// A frame and its capture time, for a finding's examples.
struct DhcpFrame {
  uint64_t frame = 0;
  CaptureNanos time = 0;
  bool operator<(const DhcpFrame& o) const { return frame < o.frame; }
};

struct DhcpServerState {
  std::string mac, ip;
  uint64_t offers = 0, acks = 0, naks = 0;
  std::vector<DhcpFrame> frames;  // at most 10
};

struct DhcpClientState {
  std::string hostname, vendor_class, client_id;
  std::set<std::string> addresses;  // at most 16
  uint64_t packets = 0;
};

// A NAK or DECLINE, for the findings.
struct DhcpEvent {
  uint64_t frame = 0;
  CaptureNanos time = 0;
  std::string client_mac;
  std::string server_id;
  std::string address;
  std::string message;
};

struct DhcpState {
  static constexpr size_t kMaxSteps = 32;
  static constexpr size_t kMaxTransactions = 1 << 16;
  static constexpr size_t kMaxEvents = 100;

  // Keyed by (version, transaction id, client).
  std::map<std::tuple<v1::DhcpVersion, std::string, std::string>, DhcpTransactionState>
      transactions;
  std::map<std::string, DhcpServerState> servers;  // by server identifier
  std::map<std::string, DhcpClientState> clients;  // by MAC (or DUID when no MAC)
  std::map<std::string, uint64_t> message_type_counts;
  std::set<std::string> discover_macs;    // clients that sent DISCOVER/SOLICIT, at most 100000
  std::vector<DhcpEvent> naks, declines;  // at most kMaxEvents each
  uint64_t nak_total = 0, decline_total = 0, discover_total = 0;
};

// Adds one message (already filled into `pkt`) to the state. `src_mac` is the frame's source MAC
// ("" when the link has none).
void AccumulateDhcp(const v1::DhcpPacket& pkt, const std::string& src_mac, CaptureNanos time,
                    DhcpState* state);

// How the transaction ended: the last decisive message, in frame order.
v1::DhcpOutcome TransactionOutcome(const DhcpTransactionState& t);

// Rogue servers, NAKs, declines, starvation.
void AddDhcpFindings(const DhcpState& state, google::protobuf::RepeatedPtrField<v1::Finding>* out);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_DHCP_DHCP_STATE_H_

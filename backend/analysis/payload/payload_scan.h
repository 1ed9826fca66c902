// The scan shared by analyze_payload, extract_database_queries and detect_protocols: every TCP
// and UDP flow of the capture, each TCP direction reassembled (backend/flow), the application
// protocol detected from the first bytes and ports, and the flow's parser fed through a
// StreamFeeder. Each flow is handed over when it ends or is evicted, so memory follows the
// limits below, not the capture.
//
//   PayloadScanOptions options;
//   options.port = 3306;
//   PayloadScanStats stats;
//   ASSIGN_OR_RETURN(auto scan, ScanPayloads(input, options,
//                                            [&](PayloadFlowResult flow) { ... }, &stats));
#ifndef MCPCAP_BACKEND_ANALYSIS_PAYLOAD_PAYLOAD_SCAN_H_
#define MCPCAP_BACKEND_ANALYSIS_PAYLOAD_PAYLOAD_SCAN_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "backend/analysis/common/analysis_input.h"
#include "backend/analysis/common/frame_scan.h"
#include "backend/dissect/ip_address.h"
#include "backend/payload/common/app_events.h"
#include "backend/payload/common/protocol.h"
#include "backend/payload/common/stream_parser.h"
#include "backend/payload/detect/detect.h"

namespace mcpcap {

struct PayloadFlowResult;

struct PayloadScanOptions {
  std::optional<uint16_t> port;  // only flows with this port at one end
  // The tools' `protocol` argument: flows detected as another protocol are not parsed, and a TCP
  // flow the detector could not name is read with this protocol's parser on trial. It becomes
  // this protocol (detected_by "parser") only when the parser reads a request and its response
  // (a database protocol: a query and its answer; others: a message of each side) before it
  // rejects either side; else it stays unknown, unparsed, and its events are dropped unseen.
  std::optional<payload::Protocol> protocol;
  bool parse = true;                  // false: detection only (no parsers, no messages)
  size_t max_flows = 65536;           // flows tracked at once (least recently active evicted)
  size_t max_messages_per_flow = 20;  // AppMessages kept per flow (all are counted)
  size_t max_queries = 100000;        // DbQuery kept in total (all are counted)
  size_t max_credentials_per_flow = 16;
  // Bytes held by the flow table and its live flows: the table's slots and index, each flow's
  // object, reassembly, bytes waiting for detection, the feeder's buffers, what its parser
  // remembers (prepared statements, requests waiting for a response: StreamParser::MemoryBytes)
  // and its kept messages and queries. Past it the least recently active flows are finished
  // early, and each says so in a note.
  size_t max_memory_bytes = size_t{256} << 20;
  // Sees every application message as it is parsed, kept in the flow or not (e.g. to check
  // every HTTP request for injection patterns). The flow's endpoints and detection are set.
  std::function<void(const PayloadFlowResult& flow, const payload::AppMessage& message)> on_message;
  // Sees every database query as it is reported (answered, or at the flow's end), kept or not,
  // with the flow as it is then (endpoints, detection, the user logged in so far).
  std::function<void(const PayloadFlowResult& flow, const payload::DbQuery& query)> on_query;
};

struct PayloadFlowResult {
  uint8_t ip_protocol = 6;  // 6 TCP, 17 UDP
  IpAddress client;
  uint16_t client_port = 0;
  IpAddress server;
  uint16_t server_port = 0;
  std::optional<uint64_t> stream_index;  // tshark's tcp.stream / udp.stream (StreamNumbering)
  payload::Position first;               // first and last packet of the flow
  payload::Position last;
  payload::Detection detection;  // detected_by points at static text
  bool parsed = false;           // a parser ran on the flow
  payload::FlowFacts facts;
  uint64_t packets = 0;
  uint64_t ip_bytes = 0;  // IP bytes of every packet of the flow, both directions
  // Frame bytes (length on the wire) of the frames that carried the flow's packets, as tshark's
  // conversation tables count them (a fragmented datagram: the frame that completed it).
  uint64_t frame_bytes_client_to_server = 0;
  uint64_t frame_bytes_server_to_client = 0;
  uint64_t payload_bytes_client_to_server = 0;
  uint64_t payload_bytes_server_to_client = 0;
  uint64_t gaps = 0;  // holes in either TCP direction
  uint64_t gap_bytes = 0;
  std::string client_stop_reason;  // the parser gave up on that side (StreamFeeder)
  std::string server_stop_reason;
  std::vector<payload::AppMessage> messages;  // the first max_messages_per_flow
  uint64_t messages_total = 0;
  std::vector<payload::DbQuery> queries;  // in report order, the first max_queries of the scan
  uint64_t queries_total = 0;             // every query the flow's parser reported
  uint64_t query_errors = 0;              // of those, answered with an error
  std::vector<payload::Credential> credentials;
};

struct PayloadScanStats {
  uint64_t flows = 0;
  uint64_t queries_total = 0;    // queries seen, kept or not
  uint64_t queries_dropped = 0;  // past max_queries
  uint64_t flows_evicted = 0;    // finished early to stay within max_flows or max_memory_bytes
  uint64_t flows_evicted_for_memory = 0;
  // The most the live flows held between packets, as max_memory_bytes counts (within it unless
  // one flow alone holds more; within a packet, by what that packet added).
  size_t peak_memory_bytes = 0;
};

// Hands each flow to `on_flow` when it is over (closed, evicted, or at the end of the capture),
// in no particular order, so a caller keeps only what it reports. Returns the scan for
// FillSummary and timestamps.
absl::StatusOr<std::unique_ptr<FrameScan>> ScanPayloads(
    const AnalysisInput& input, const PayloadScanOptions& options,
    const std::function<void(PayloadFlowResult flow)>& on_flow, PayloadScanStats* stats);

// Every flow collected, by first packet: for tests and small captures.
struct PayloadScanResult : PayloadScanStats {
  std::unique_ptr<FrameScan> scan;
  std::vector<PayloadFlowResult> flows;
};
absl::StatusOr<PayloadScanResult> RunPayloadScan(const AnalysisInput& input,
                                                 const PayloadScanOptions& options);

// Orders flows by first packet, then endpoints.
bool FirstPacketOrder(const PayloadFlowResult& x, const PayloadFlowResult& y);

// The parser for `protocol`, or nullptr when we have none (detection only).
payload::ParserFactory ParserFor(payload::Protocol protocol);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_PAYLOAD_PAYLOAD_SCAN_H_

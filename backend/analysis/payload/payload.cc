#include "backend/analysis/payload/payload.h"

#include <algorithm>
#include <vector>

#include "backend/analysis/common/first_n.h"
#include "backend/analysis/common/result_parts.h"
#include "backend/analysis/payload/payload_format.h"
#include "backend/analysis/payload/payload_scan.h"
#include "backend/analysis/payload/payload_security.h"
#include "backend/analysis/payload/scan_limits.h"
#include "backend/base/proto_time.h"
#include "backend/base/status_macros.h"

namespace mcpcap {
namespace {

using payload::Protocol;

void FillMessage(const payload::AppMessage& m, v1::PayloadMessage* out) {
  out->set_packet_number(m.start.frame);
  SetTimestampNanos(m.start.time, out->mutable_timestamp());
  out->set_direction(m.from == payload::Side::kClient ? v1::PAYLOAD_DIRECTION_CLIENT_TO_SERVER
                                                      : v1::PAYLOAD_DIRECTION_SERVER_TO_CLIENT);
  out->set_type(m.type);
  out->set_summary(m.summary);
  out->set_length(m.length);
  out->set_hex_preview(HexPreview(m.head));
  out->set_ascii_preview(AsciiPreview(m.head));
  for (const auto& [key, value] : m.fields) (*out->mutable_fields())[key] = value;
}

void FillFlow(const PayloadFlowResult& flow, v1::PayloadFlow* out) {
  FillFlowEnds(flow, out->mutable_client(), out->mutable_server());
  if (flow.stream_index) out->set_stream_index(*flow.stream_index);
  out->set_protocol(std::string(payload::ProtocolName(flow.detection.protocol)));
  out->set_confidence(flow.detection.confidence);
  out->set_detected_by(DetectionMethodOf(flow.detection.detected_by));
  out->set_encrypted(IsEncrypted(flow));
  out->set_encryption(EncryptionEnum(EncryptionOf(flow)));
  out->set_transport(TransportOf(flow.ip_protocol));
  FillPacketRef(flow.first, out->mutable_first_packet());
  FillPacketRef(flow.last, out->mutable_last_packet());
  out->set_packets(flow.packets);
  out->set_bytes_client_to_server(flow.frame_bytes_client_to_server);
  out->set_bytes_server_to_client(flow.frame_bytes_server_to_client);
  out->set_payload_bytes_client_to_server(flow.payload_bytes_client_to_server);
  out->set_payload_bytes_server_to_client(flow.payload_bytes_server_to_client);
  out->set_gaps(flow.gaps);
  out->set_gap_bytes(flow.gap_bytes);
  out->set_server_software(flow.facts.server_version);
  out->set_client_software(flow.facts.client_software);
  out->set_user(flow.facts.user);
  out->set_database(flow.facts.database);
  out->set_auth_method(flow.facts.auth_method);
  if (flow.facts.tls.seen) FillTlsDetails(flow.facts.tls, out->mutable_tls());
  for (const payload::AppMessage& m : flow.messages) FillMessage(m, out->add_messages());
  out->set_messages_total(flow.messages_total);
  out->set_queries(flow.queries_total);
  for (std::string& note : ParserNotes(flow)) out->add_notes(std::move(note));
}

}  // namespace

absl::StatusOr<v1::AnalyzePayloadResponse> AnalyzePayload(
    const AnalysisInput& input, const v1::AnalyzePayloadRequest& request) {
  ASSIGN_OR_RETURN(std::optional<Protocol> protocol,
                   ParseProtocolArgument(request.protocol(),
                                         {Protocol::kMySql, Protocol::kPostgreSql, Protocol::kRedis,
                                          Protocol::kMongoDb, Protocol::kHttp, Protocol::kTls}));
  ASSIGN_OR_RETURN(std::optional<uint16_t> port,
                   ParsePortArgument(request.has_port(), request.port()));
  v1::AnalyzePayloadResponse response;
  Listing flows("flows", input.listings);
  PayloadFindings findings;
  EncryptionTally encryption;
  FirstN<PayloadFlowResult, decltype(&FirstPacketOrder)> listed(flows.keep(), &FirstPacketOrder);
  PayloadScanOptions options;
  options.port = port;
  options.protocol = protocol;
  options.max_queries = 0;  // every query is checked as it is reported, none is kept
  options.on_message = [&findings](const PayloadFlowResult& flow, const payload::AppMessage& m) {
    if (flow.detection.protocol == Protocol::kHttp && m.from == payload::Side::kClient) {
      findings.CheckHttpRequest(flow, m);
    }
  };
  options.on_query = [&findings](const PayloadFlowResult& flow, const payload::DbQuery& q) {
    findings.CheckQuery(flow, q);
  };
  const auto on_flow = [&](PayloadFlowResult flow) {
    const uint64_t payload_bytes =
        flow.payload_bytes_client_to_server + flow.payload_bytes_server_to_client;
    if (payload_bytes == 0) return;  // handshakes and scans carry no application data
    if (protocol.has_value() && flow.detection.protocol != *protocol) return;
    response.set_flows_analyzed(response.flows_analyzed() + 1);
    (*response.mutable_protocols())[std::string(payload::ProtocolName(flow.detection.protocol))]++;
    if (IsEncrypted(flow)) response.set_encrypted_flows(response.encrypted_flows() + 1);
    encryption.Add(flow);
    findings.AddCredentials(flow);
    findings.CheckTls(flow);
    findings.CheckDatabaseSession(flow);
    flows.Count(1);
    listed.Add(std::move(flow));
  };
  PayloadScanStats stats;
  ASSIGN_OR_RETURN(std::unique_ptr<FrameScan> scan, ScanPayloads(input, options, on_flow, &stats));

  SetNow(response.mutable_analysis_timestamp());
  std::vector<PayloadFlowResult> page = listed.TakeSorted();
  flows.Page(&page);
  for (const PayloadFlowResult& flow : page) FillFlow(flow, response.add_flows());
  findings.Fill(response.mutable_findings());
  for (std::string& advice : encryption.Advice()) response.add_encryption_advice(advice);
  v1::CaptureSummary* summary = response.mutable_capture();
  scan->FillSummary(summary);
  AddScanLimitWarnings(stats, options, summary);
  flows.Report(summary);
  return response;
}

}  // namespace mcpcap

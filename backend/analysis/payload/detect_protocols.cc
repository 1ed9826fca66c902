#include "backend/analysis/payload/detect_protocols.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "backend/analysis/common/first_n.h"
#include "backend/analysis/common/result_parts.h"
#include "backend/analysis/payload/payload_format.h"
#include "backend/analysis/payload/payload_scan.h"
#include "backend/analysis/payload/scan_limits.h"
#include "backend/base/proto_time.h"
#include "backend/base/status_macros.h"

namespace mcpcap {

absl::StatusOr<v1::DetectProtocolsResponse> DetectProtocols(
    const AnalysisInput& input, const v1::DetectProtocolsRequest& request) {
  ASSIGN_OR_RETURN(std::optional<uint16_t> port,
                   ParsePortArgument(request.has_port(), request.port()));
  Listing flows("flows", input.listings);
  PayloadScanOptions options;
  options.port = port;
  options.max_messages_per_flow = 0;
  options.max_queries = 0;
  // Parsers still run: TLS versions and STARTTLS/SSL switches are part of the answer.
  std::map<std::string, v1::ProtocolTotals> totals;
  FirstN<PayloadFlowResult, decltype(&FirstPacketOrder)> listed(flows.keep(), &FirstPacketOrder);
  const auto on_flow = [&](PayloadFlowResult flow) {
    const std::string protocol(payload::ProtocolName(flow.detection.protocol));
    v1::ProtocolTotals& t = totals[protocol];
    t.set_protocol(protocol);
    t.set_flows(t.flows() + 1);
    t.set_packets(t.packets() + flow.packets);
    t.set_bytes(t.bytes() + flow.frame_bytes_client_to_server + flow.frame_bytes_server_to_client);
    t.set_ip_bytes(t.ip_bytes() + flow.ip_bytes);
    if (IsEncrypted(flow)) t.set_encrypted_flows(t.encrypted_flows() + 1);
    flows.Count(1);
    listed.Add(std::move(flow));
  };
  PayloadScanStats stats;
  ASSIGN_OR_RETURN(std::unique_ptr<FrameScan> scan, ScanPayloads(input, options, on_flow, &stats));

  v1::DetectProtocolsResponse response;
  SetNow(response.mutable_analysis_timestamp());
  std::vector<PayloadFlowResult> page = listed.TakeSorted();
  flows.Page(&page);
  for (const PayloadFlowResult& flow : page) {
    v1::DetectedFlow* out = response.add_flows();
    FillFlowEnds(flow, out->mutable_client(), out->mutable_server());
    if (flow.stream_index) out->set_stream_index(*flow.stream_index);
    out->set_transport(TransportOf(flow.ip_protocol));
    out->set_protocol(std::string(payload::ProtocolName(flow.detection.protocol)));
    out->set_detected_by(DetectionMethodOf(flow.detection.detected_by));
    out->set_confidence(flow.detection.confidence);
    out->set_encrypted(IsEncrypted(flow));
    out->set_packets(flow.packets);
    out->set_bytes(flow.frame_bytes_client_to_server + flow.frame_bytes_server_to_client);
    out->set_ip_bytes(flow.ip_bytes);
    FillPacketRef(flow.first, out->mutable_first_packet());
    const payload::TlsFacts& tls = flow.facts.tls;
    if (tls.seen) {
      out->set_tls_version(!tls.version.empty() ? tls.version : tls.client_version);
      out->set_sni(tls.sni);
    }
  }
  response.set_total_flows(stats.flows);
  std::vector<v1::ProtocolTotals> ordered;
  for (auto& [name, t] : totals) ordered.push_back(std::move(t));
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const v1::ProtocolTotals& x, const v1::ProtocolTotals& y) {
                     return x.flows() > y.flows();
                   });
  for (v1::ProtocolTotals& t : ordered) *response.add_protocols() = std::move(t);
  v1::CaptureSummary* summary = response.mutable_capture();
  scan->FillSummary(summary);
  AddScanLimitWarnings(stats, options, summary);
  flows.Report(summary);
  return response;
}

}  // namespace mcpcap

#include "backend/analysis/payload/detect_protocols.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "backend/analysis/common/first_n.h"
#include "backend/analysis/payload/payload_format.h"
#include "backend/analysis/payload/payload_scan.h"
#include "backend/analysis/payload/scan_limits.h"
#include "backend/base/status_macros.h"
#include "backend/base/time_format.h"

namespace mcpcap {

absl::StatusOr<v1::DetectProtocolsResponse> DetectProtocols(
    const AnalysisInput& input, const v1::DetectProtocolsRequest& request) {
  ASSIGN_OR_RETURN(std::optional<uint16_t> port,
                   ParsePortArgument(request.has_port(), request.port()));
  const uint32_t max_results =
      input.max_results == 0 ? kDefaultMaxResults : std::min(input.max_results, kMaxResultsCap);
  PayloadScanOptions options;
  options.port = port;
  options.max_messages_per_flow = 0;
  options.max_queries = 0;
  // Parsers still run: TLS versions and STARTTLS/SSL switches are part of the answer.
  std::map<std::string, v1::ProtocolTotals> totals;
  FirstN<PayloadFlowResult, decltype(&FirstPacketOrder)> listed(max_results, &FirstPacketOrder);
  const auto on_flow = [&](PayloadFlowResult flow) {
    const std::string protocol(payload::ProtocolName(flow.detection.protocol));
    v1::ProtocolTotals& t = totals[protocol];
    t.set_protocol(protocol);
    t.set_flows(t.flows() + 1);
    t.set_packets(t.packets() + flow.packets);
    t.set_bytes(t.bytes() + flow.bytes);
    if (IsEncrypted(flow)) t.set_encrypted_flows(t.encrypted_flows() + 1);
    listed.Add(std::move(flow));
  };
  PayloadScanStats stats;
  ASSIGN_OR_RETURN(std::unique_ptr<DecodedScan> scan,
                   ScanPayloads(input, options, on_flow, &stats));

  v1::DetectProtocolsResponse response;
  response.set_file(request.pcap_file().empty() ? input.source : request.pcap_file());
  response.set_analysis_timestamp(NowUtcIso());
  for (const PayloadFlowResult& flow : listed.TakeSorted()) {
    v1::DetectedFlow* out = response.add_flows();
    out->set_client(Endpoint(flow.client, flow.client_port));
    out->set_server(Endpoint(flow.server, flow.server_port));
    out->set_transport(flow.ip_protocol == 6 ? "tcp" : "udp");
    out->set_protocol(std::string(payload::ProtocolName(flow.detection.protocol)));
    out->set_detected_by(std::string(flow.detection.detected_by));
    out->set_confidence(flow.detection.confidence);
    out->set_encrypted(IsEncrypted(flow));
    out->set_packets(flow.packets);
    out->set_bytes(flow.bytes);
    FillPacketRef(*scan, flow.first, out->mutable_first_packet());
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
  if (stats.flows > static_cast<uint64_t>(response.flows_size())) {
    summary->set_truncated(true);
    summary->add_truncated_listings("flows");
  }
  return response;
}

}  // namespace mcpcap

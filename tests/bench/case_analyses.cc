// Every packet analysis over the same capture, for packets/s beside the raw read loop.
#include <string>

#include "backend/analysis/database/database_queries.h"
#include "backend/analysis/dhcp/dhcp.h"
#include "backend/analysis/dns/dns.h"
#include "backend/analysis/icmp/icmp.h"
#include "backend/analysis/payload/detect_protocols.h"
#include "backend/analysis/payload/payload.h"
#include "backend/analysis/sip/sip.h"
#include "backend/analysis/tcp/tcp_anomalies.h"
#include "backend/analysis/tcp/tcp_connections.h"
#include "backend/analysis/tcp/tcp_retransmissions.h"
#include "backend/analysis/tcp/traffic_flow.h"
#include "tests/bench/cases.h"

namespace mcpcap::bench {
namespace {

template <typename Request, typename Analyze>
CaseResult Run(const std::string& path, Request request, Analyze analyze) {
  CaseResult r;
  AnalysisInput input;
  input.source = input.local_path = path;
  request.set_pcap_file(path);
  auto response = analyze(input, request);
  if (!response.ok()) {
    r.error = std::string(response.status().message());
    return r;
  }
  r.packets = response->capture().packets_examined();
  r.checksum = response->ByteSizeLong();  // the result's size: a cheap fingerprint
  return r;
}

}  // namespace

std::vector<std::pair<std::string, CaseResult (*)(const std::string&)>> AnalysisCases() {
  return {
      {"(f) analyze_dns_packets",
       [](const std::string& p) {
         return Run(p, v1::AnalyzeDnsPacketsRequest(), AnalyzeDnsPackets);
       }},
      {"(f) analyze_dhcp_packets",
       [](const std::string& p) {
         return Run(p, v1::AnalyzeDhcpPacketsRequest(), AnalyzeDhcpPackets);
       }},
      {"(f) analyze_icmp_packets",
       [](const std::string& p) {
         return Run(p, v1::AnalyzeIcmpPacketsRequest(), AnalyzeIcmpPackets);
       }},
      {"(f) analyze_sip_packets",
       [](const std::string& p) {
         return Run(p, v1::AnalyzeSipPacketsRequest(), AnalyzeSipPackets);
       }},
      {"(g) analyze_tcp_connections",
       [](const std::string& p) {
         return Run(p, v1::AnalyzeTcpConnectionsRequest(), AnalyzeTcpConnections);
       }},
      {"(g) analyze_tcp_anomalies",
       [](const std::string& p) {
         return Run(p, v1::AnalyzeTcpAnomaliesRequest(), AnalyzeTcpAnomalies);
       }},
      {"(g) analyze_tcp_retransmissions",
       [](const std::string& p) {
         return Run(p, v1::AnalyzeTcpRetransmissionsRequest(), AnalyzeTcpRetransmissions);
       }},
      {"(g) analyze_traffic_flow",
       [](const std::string& p) {
         v1::AnalyzeTrafficFlowRequest request;
         request.set_server_ip("10.0.0.1");
         return Run(p, request, AnalyzeTrafficFlow);
       }},
      {"(h) detect_protocols",
       [](const std::string& p) { return Run(p, v1::DetectProtocolsRequest(), DetectProtocols); }},
      {"(h) analyze_payload",
       [](const std::string& p) { return Run(p, v1::AnalyzePayloadRequest(), AnalyzePayload); }},
      {"(h) extract_database_queries",
       [](const std::string& p) {
         return Run(p, v1::ExtractDatabaseQueriesRequest(), ExtractDatabaseQueries);
       }},
  };
}

}  // namespace mcpcap::bench

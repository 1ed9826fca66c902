// The analyses of service CaptureAnalysisService, listed once. Each RPC's name is also the name of
// its analysis function (backend/analysis/<family>/, `(input, request) -> StatusOr<response>`) and
// the stem of its messages (<Name>Request, <Name>Response); AnalysisService derives its unary
// RPCs and the Analyze stream's table from this list. A new tool adds its line here.
#ifndef MCPCAP_BACKEND_SERVICE_ANALYSIS_RPCS_H_
#define MCPCAP_BACKEND_SERVICE_ANALYSIS_RPCS_H_

#include "backend/analysis/capinfos/capinfos.h"
#include "backend/analysis/conversations/conversations.h"
#include "backend/analysis/conversations/endpoints.h"
#include "backend/analysis/database/database_queries.h"
#include "backend/analysis/dhcp/dhcp.h"
#include "backend/analysis/dns/dns.h"
#include "backend/analysis/icmp/icmp.h"
#include "backend/analysis/packets/list_packets.h"
#include "backend/analysis/packets/packet_details.h"
#include "backend/analysis/packets/search_packets.h"
#include "backend/analysis/payload/detect_protocols.h"
#include "backend/analysis/payload/payload.h"
#include "backend/analysis/sip/sip.h"
#include "backend/analysis/streams/follow_stream.h"
#include "backend/analysis/tcp/tcp_anomalies.h"
#include "backend/analysis/tcp/tcp_connections.h"
#include "backend/analysis/tcp/tcp_retransmissions.h"
#include "backend/analysis/tcp/traffic_flow.h"
#include "backend/analysis/traffic/io_statistics.h"
#include "backend/analysis/traffic/protocol_hierarchy.h"

// X(Name) for every analysis RPC, in the contract's order.
#define MCPCAP_ANALYSIS_RPCS(X) \
  X(AnalyzeCapinfos)            \
  X(AnalyzeDnsPackets)          \
  X(AnalyzeDhcpPackets)         \
  X(AnalyzeIcmpPackets)         \
  X(AnalyzeSipPackets)          \
  X(AnalyzeTcpConnections)      \
  X(AnalyzeTcpAnomalies)        \
  X(AnalyzeTcpRetransmissions)  \
  X(AnalyzeTrafficFlow)         \
  X(AnalyzePayload)             \
  X(ExtractDatabaseQueries)     \
  X(DetectProtocols)            \
  X(ListPackets)                \
  X(GetPacketDetails)           \
  X(FollowStream)               \
  X(ListConversations)          \
  X(ListEndpoints)              \
  X(GetProtocolHierarchy)       \
  X(GetIoStatistics)            \
  X(SearchPackets)

#endif  // MCPCAP_BACKEND_SERVICE_ANALYSIS_RPCS_H_

#include "backend/analysis/payload/payload_scan.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "backend/analysis/payload/payload_flow.h"
#include "backend/analysis/payload/scan_limits.h"
#include "backend/base/status_macros.h"
#include "backend/flow/flow_table.h"
#include "backend/flow/tcp_port_reuse.h"

namespace mcpcap {
namespace {

// Only a SYN without ACK can start a new connection on a known 5-tuple (tcp_port_reuse.h).
bool MayStartNewConnection(const DecodedPacket& packet) {
  return packet.l4_kind == L4Kind::kTcp && TcpPortReuse::MayStartNewConnection(packet.tcp.flags);
}

// Why a flow leaves the table: it ended, or a limit let it go before (then its result says so).
enum class Leaving { kEnded, kForRoom, kForMemory };

}  // namespace

bool FirstPacketOrder(const PayloadFlowResult& x, const PayloadFlowResult& y) {
  return std::tie(x.first.frame, x.client, x.client_port, x.server, x.server_port) <
         std::tie(y.first.frame, y.client, y.client_port, y.server, y.server_port);
}

absl::StatusOr<std::unique_ptr<FrameScan>> ScanPayloads(
    const AnalysisInput& input, const PayloadScanOptions& options,
    const std::function<void(PayloadFlowResult flow)>& on_flow, PayloadScanStats* stats) {
  ASSIGN_OR_RETURN(std::unique_ptr<FrameScan> scan, FrameScan::Open(input));
  PayloadScanContext context;
  context.options = &options;
  size_t memory = 0;  // bytes held by live flows as last accounted; the table's: MemoryBytes()
  Leaving leaving = Leaving::kForRoom;  // what the table's callback is called for
  const auto hand_over = [&](PayloadFlow& flow, Leaving why) {
    if (why != Leaving::kEnded) {
      flow.NoteFinishedEarly(FinishedEarlyNote(why == Leaving::kForMemory, options));
    }
    memory -= flow.accounted_bytes;
    ++stats->flows;
    on_flow(flow.TakeResult());
  };
  FlowTable<PayloadFlow> flows(
      options.max_flows, [&](const FlowKey&, PayloadFlow& flow) { hand_over(flow, leaving); });
  FlowAnomalySet anomalies;

  // Every record is read (FrameScan) so that flows carry tshark's stream numbers whatever the
  // filter; only matching ones are analysed.
  RETURN_IF_ERROR(scan->Run([&](const Frame& frame) {
    const PacketRecord& record = frame.record;
    const payload::Position at{record.frame_number, frame.time};
    const DecodedPacket* packet = frame.whole;
    if (!frame.matched || packet == nullptr) return true;
    if (options.port.has_value() && packet->src_port != *options.port &&
        packet->dst_port != *options.port) {
      return true;
    }
    const DirectedFlowKey key = FlowKeyOf(*packet);
    // Port reuse: this SYN starts a new connection on the 5-tuple; the old one is over.
    if (MayStartNewConnection(*packet)) {  // checked first: one table lookup per packet, not two
      PayloadFlow* old = flows.Find(key.key);
      if (old != nullptr && old->StartsNewConnection(key.direction, *packet)) {
        old->Close(TcpStreamEnd::kPortReused);
        hand_over(*old, Leaving::kEnded);
        flows.Erase(key.key);
      }
    }
    bool created = false;
    PayloadFlow& flow = flows.FindOrCreate(key.key, at.time, &created);
    if (created) flow.Start(&context, key.key, key.direction, *packet, frame.stream_index);
    flow.OnPacket(key.direction, *packet, at, record.origlen, &anomalies);
    if (flow.closed()) flow.Close(TcpStreamEnd::kFin);
    const size_t footprint = sizeof(PayloadFlow) + flow.MemoryFootprint();
    memory += footprint - flow.accounted_bytes;
    flow.accounted_bytes = footprint;
    // Over the budget: finish the least recently active flows (never the one just fed).
    leaving = Leaving::kForMemory;
    while (memory + flows.MemoryBytes() > options.max_memory_bytes && flows.size() > 1 &&
           flows.EvictOldest()) {
      ++stats->flows_evicted_for_memory;
    }
    leaving = Leaving::kForRoom;
    stats->peak_memory_bytes = std::max(stats->peak_memory_bytes, memory + flows.MemoryBytes());
    return true;
  }));
  stats->flows_evicted = flows.evicted_for_room();
  leaving = Leaving::kEnded;
  flows.Drain();
  stats->queries_total = context.queries_total;
  stats->queries_dropped = context.queries_dropped;
  return scan;
}

absl::StatusOr<PayloadScanResult> RunPayloadScan(const AnalysisInput& input,
                                                 const PayloadScanOptions& options) {
  PayloadScanResult out;
  std::vector<PayloadFlowResult>& flows = out.flows;
  ASSIGN_OR_RETURN(
      out.scan, ScanPayloads(
                    input, options,
                    [&flows](PayloadFlowResult flow) { flows.push_back(std::move(flow)); }, &out));
  std::sort(flows.begin(), flows.end(), FirstPacketOrder);
  return out;
}

}  // namespace mcpcap

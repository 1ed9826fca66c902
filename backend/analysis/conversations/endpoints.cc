#include "backend/analysis/conversations/endpoints.h"

#include <cstdint>
#include <memory>

#include "backend/analysis/common/frame_scan.h"
#include "backend/analysis/common/listing.h"
#include "backend/analysis/conversations/layer_hits.h"
#include "backend/analysis/conversations/traffic_table.h"
#include "backend/base/status_macros.h"

namespace mcpcap {
namespace {

// An address, and a port for tcp and udp (tshark does not split an endpoint by stream).
struct EndpointKey {
  TableAddress address;
  uint16_t port = 0;

  friend bool operator==(const EndpointKey& a, const EndpointKey& b) {
    return a.address == b.address && a.port == b.port;
  }
  template <typename H>
  friend H AbslHashValue(H h, const EndpointKey& k) {
    return H::combine(std::move(h), k.address, k.port);
  }
};

struct EndpointRow {
  EndpointKey key;
  uint64_t tx_frames = 0;
  uint64_t tx_bytes = 0;
  uint64_t rx_frames = 0;
  uint64_t rx_bytes = 0;

  // A frame from an endpoint to itself counts as sent and as received, as in tshark.
  uint64_t frames() const { return tx_frames + rx_frames; }
  uint64_t bytes() const { return tx_bytes + rx_bytes; }
};

using EndpointTable = TrafficTable<EndpointKey, EndpointRow>;

void Count(const EndpointKey& key, bool sent, uint64_t bytes, EndpointTable* table) {
  EndpointRow* row = table->Find(key);
  if (row == nullptr) return;
  row->key = key;
  (sent ? row->tx_frames : row->rx_frames) += 1;
  (sent ? row->tx_bytes : row->rx_bytes) += bytes;
}

// "Greater first" orders; start is the order of first appearance, which the table keeps.
bool Before(v1::TableOrder order, const EndpointRow& a, const EndpointRow& b) {
  switch (order) {
    case v1::TABLE_ORDER_FRAMES:
      return a.frames() > b.frames();
    case v1::TABLE_ORDER_START:
    case v1::TABLE_ORDER_DURATION:
      return false;
    default:
      return a.bytes() > b.bytes();
  }
}

void Fill(const EndpointRow& row, v1::ConversationLayer layer, v1::EndpointTraffic* out) {
  out->set_address(row.key.address.ToString());
  if (HasPorts(layer)) out->set_port(row.key.port);
  out->set_frames(row.frames());
  out->set_bytes(row.bytes());
  out->set_tx_frames(row.tx_frames);
  out->set_tx_bytes(row.tx_bytes);
  out->set_rx_frames(row.rx_frames);
  out->set_rx_bytes(row.rx_bytes);
}

}  // namespace

absl::StatusOr<v1::ListEndpointsResponse> ListEndpoints(const AnalysisInput& input,
                                                        const v1::ListEndpointsRequest& request) {
  ASSIGN_OR_RETURN(std::unique_ptr<FrameScan> scan, FrameScan::Open(input));
  const v1::ConversationLayer layer = EffectiveLayer(request.protocol());
  EndpointTable table;
  LayerHitFinder finder(layer);
  RETURN_IF_ERROR(scan->Run([&](const Frame& frame) {
    if (!frame.matched) return true;
    const LayerHits found = finder.Find(frame);
    for (size_t i = 0; i < found.count; ++i) {
      const LayerHit& hit = found.hits[i];
      Count(EndpointKey{hit.src, hit.src_port}, /*sent=*/true, frame.record.origlen, &table);
      Count(EndpointKey{hit.dst, hit.dst_port}, /*sent=*/false, frame.record.origlen, &table);
    }
    return true;
  }));

  v1::ListEndpointsResponse response;
  response.set_protocol(layer);
  Listing listing("endpoints", input.listings);
  const v1::TableOrder order = request.sort_by();
  const auto page = table.SortedPage(
      [order](const EndpointRow& a, const EndpointRow& b) { return Before(order, a, b); },
      &listing);
  for (const EndpointRow* row : page) Fill(*row, layer, response.add_endpoints());
  response.set_endpoint_count(listing.total());
  v1::CaptureSummary* summary = response.mutable_capture();
  scan->FillSummary(summary);
  table.Warn("endpoints", summary);
  listing.Report(summary);
  return response;
}

}  // namespace mcpcap

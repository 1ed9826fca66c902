#include "backend/analysis/conversations/conversations.h"

#include <cstdint>
#include <memory>
#include <tuple>

#include "backend/analysis/common/frame_scan.h"
#include "backend/analysis/common/listing.h"
#include "backend/analysis/conversations/layer_hits.h"
#include "backend/analysis/conversations/traffic_table.h"
#include "backend/base/proto_time.h"
#include "backend/base/status_macros.h"
#include "backend/flow/community_id.h"

namespace mcpcap {
namespace {

// A conversation whichever way its frame went: the lower (address, port) first. TCP and UDP
// conversations are streams (tshark keys them by tcp.stream/udp.stream: a reused port after a
// SYN is a new row).
struct ConversationKey {
  TableAddress low;
  TableAddress high;
  uint16_t low_port = 0;
  uint16_t high_port = 0;
  uint64_t stream = UINT64_MAX;  // none

  static ConversationKey Of(const LayerHit& hit) {
    ConversationKey key;
    const bool src_low = std::tie(hit.src, hit.src_port) < std::tie(hit.dst, hit.dst_port);
    key.low = src_low ? hit.src : hit.dst;
    key.high = src_low ? hit.dst : hit.src;
    key.low_port = src_low ? hit.src_port : hit.dst_port;
    key.high_port = src_low ? hit.dst_port : hit.src_port;
    key.stream = hit.stream.value_or(UINT64_MAX);
    return key;
  }
  friend bool operator==(const ConversationKey& a, const ConversationKey& b) {
    return a.low == b.low && a.high == b.high && a.low_port == b.low_port &&
           a.high_port == b.high_port && a.stream == b.stream;
  }
  template <typename H>
  friend H AbslHashValue(H h, const ConversationKey& k) {
    return H::combine(std::move(h), k.low, k.high, k.low_port, k.high_port, k.stream);
  }
};

// A is the source of the conversation's first frame, as in tshark.
struct ConversationRow {
  LayerHit first;
  uint64_t frames_ab = 0;
  uint64_t bytes_ab = 0;
  uint64_t frames_ba = 0;
  uint64_t bytes_ba = 0;
  CaptureNanos start = 0;
  CaptureNanos stop = 0;

  uint64_t frames() const { return frames_ab + frames_ba; }
  uint64_t bytes() const { return bytes_ab + bytes_ba; }
  CaptureNanos duration() const { return stop - start; }
};

using ConversationTable = TrafficTable<ConversationKey, ConversationRow>;

void Count(const LayerHit& hit, const Frame& frame, ConversationTable* table) {
  ConversationRow* row = table->Find(ConversationKey::Of(hit));
  if (row == nullptr) return;
  const uint64_t bytes = frame.record.origlen;
  if (row->frames() == 0) {
    row->first = hit;
    row->start = row->stop = frame.time;
  }
  if (hit.src == row->first.src && hit.src_port == row->first.src_port) {
    ++row->frames_ab;
    row->bytes_ab += bytes;
  } else {
    ++row->frames_ba;
    row->bytes_ba += bytes;
  }
  // Timestamps can go backwards in a file: the span covers the earliest and the latest.
  row->start = std::min(row->start, frame.time);
  row->stop = std::max(row->stop, frame.time);
}

// "Greater first" orders, ties left to the table (first frame first).
bool Before(v1::TableOrder order, const ConversationRow& a, const ConversationRow& b) {
  switch (order) {
    case v1::TABLE_ORDER_FRAMES:
      return a.frames() > b.frames();
    case v1::TABLE_ORDER_START:
      return a.start < b.start;
    case v1::TABLE_ORDER_DURATION:
      return a.duration() > b.duration();
    default:
      return a.bytes() > b.bytes();
  }
}

void Fill(const ConversationRow& row, v1::ConversationLayer layer, CaptureNanos capture_start,
          v1::Conversation* out) {
  const LayerHit& a = row.first;
  out->set_address_a(a.src.ToString());
  out->set_address_b(a.dst.ToString());
  out->set_frames_a_to_b(row.frames_ab);
  out->set_bytes_a_to_b(row.bytes_ab);
  out->set_frames_b_to_a(row.frames_ba);
  out->set_bytes_b_to_a(row.bytes_ba);
  out->set_frames(row.frames());
  out->set_bytes(row.bytes());
  SetDurationNanos(row.start - capture_start, out->mutable_relative_start());
  SetDurationNanos(row.duration(), out->mutable_duration());
  if (!HasPorts(layer)) return;
  out->set_port_a(a.src_port);
  out->set_port_b(a.dst_port);
  if (a.stream) out->set_stream_index(*a.stream);
  CommunityIdTuple tuple;
  tuple.src = a.src.ip();
  tuple.dst = a.dst.ip();
  tuple.protocol = layer == v1::CONVERSATION_LAYER_TCP ? 6 : 17;
  tuple.src_port = a.src_port;
  tuple.dst_port = a.dst_port;
  out->set_community_id(CommunityId(tuple));
}

}  // namespace

absl::StatusOr<v1::ListConversationsResponse> ListConversations(
    const AnalysisInput& input, const v1::ListConversationsRequest& request) {
  ASSIGN_OR_RETURN(std::unique_ptr<FrameScan> scan, FrameScan::Open(input));
  const v1::ConversationLayer layer = EffectiveLayer(request.protocol());
  ConversationTable table;
  LayerHitFinder finder(layer);
  RETURN_IF_ERROR(scan->Run([&](const Frame& frame) {
    if (!frame.matched) return true;
    const LayerHits found = finder.Find(frame);
    for (size_t i = 0; i < found.count; ++i) Count(found.hits[i], frame, &table);
    return true;
  }));

  v1::ListConversationsResponse response;
  response.set_protocol(layer);
  Listing listing("conversations", input.listings);
  const v1::TableOrder order = request.sort_by();
  const auto page = table.SortedPage(
      [order](const ConversationRow& a, const ConversationRow& b) { return Before(order, a, b); },
      &listing);
  const CaptureNanos capture_start = scan->first_time().value_or(0);
  for (const ConversationRow* row : page) {
    Fill(*row, layer, capture_start, response.add_conversations());
  }
  response.set_conversation_count(listing.total());
  v1::CaptureSummary* summary = response.mutable_capture();
  scan->FillSummary(summary);
  table.Warn("conversations", summary);
  listing.Report(summary);
  return response;
}

}  // namespace mcpcap

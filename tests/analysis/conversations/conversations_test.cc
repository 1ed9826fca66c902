// The tables' own rules, beyond agreement with tshark: each order, first appearance breaking ties,
// pages that add up to the whole table, the BPF filter, what rows of each layer carry, and the
// bound on a table's rows.
#include "backend/analysis/conversations/conversations.h"

#include <google/protobuf/duration.pb.h>

#include <filesystem>
#include <string>
#include <vector>

#include "backend/analysis/conversations/endpoints.h"
#include "backend/analysis/conversations/traffic_table.h"
#include "gtest/gtest.h"

namespace mcpcap {
namespace {

namespace fs = std::filesystem;

// Many UDP and TCP conversations (DNS over both, a reused TCP port).
std::string Capture() {
  return (fs::path(MCPCAP_EXAMPLES).parent_path() / "tests/analysis/dns/data/dnsmasq.pcap")
      .string();
}

AnalysisInput InputFor(const std::string& path, uint32_t max = kMaxResultsCap) {
  AnalysisInput input;
  input.source = path;
  input.local_path = path;
  input.listings.max = max;
  return input;
}

v1::ListConversationsResponse Conversations(v1::ConversationLayer layer, v1::TableOrder order,
                                            const AnalysisInput& input) {
  v1::ListConversationsRequest request;
  request.set_pcap_file(input.source);
  request.set_protocol(layer);
  request.set_sort_by(order);
  absl::StatusOr<v1::ListConversationsResponse> response = ListConversations(input, request);
  EXPECT_TRUE(response.ok()) << response.status();
  return response.ok() ? *response : v1::ListConversationsResponse();
}

int64_t Nanos(const google::protobuf::Duration& d) {
  return d.seconds() * 1'000'000'000 + d.nanos();
}

// Identifies a row whatever the order.
std::string Id(const v1::Conversation& c) {
  return c.address_a() + "/" + std::to_string(c.port_a()) + "/" + c.address_b() + "/" +
         std::to_string(c.port_b()) + "/" + std::to_string(c.stream_index());
}

TEST(ConversationsTest, EachOrderSortsAndBreaksTiesByFirstAppearance) {
  const AnalysisInput input = InputFor(Capture());
  for (const auto layer : {v1::CONVERSATION_LAYER_UDP, v1::CONVERSATION_LAYER_TCP}) {
    const auto by_start = Conversations(layer, v1::TABLE_ORDER_START, input);
    ASSERT_GE(by_start.conversations_size(), 3);
    std::vector<std::string> appearance;
    for (const auto& c : by_start.conversations()) appearance.push_back(Id(c));
    auto rank = [&](const v1::Conversation& c) {
      return std::find(appearance.begin(), appearance.end(), Id(c)) - appearance.begin();
    };
    for (const auto order : {v1::TABLE_ORDER_BYTES, v1::TABLE_ORDER_FRAMES, v1::TABLE_ORDER_START,
                             v1::TABLE_ORDER_DURATION}) {
      const auto table = Conversations(layer, order, input);
      ASSERT_EQ(table.conversations_size(), by_start.conversations_size());
      for (int i = 1; i < table.conversations_size(); ++i) {
        const v1::Conversation& a = table.conversations(i - 1);
        const v1::Conversation& b = table.conversations(i);
        const int64_t ka = order == v1::TABLE_ORDER_BYTES    ? -static_cast<int64_t>(a.bytes())
                           : order == v1::TABLE_ORDER_FRAMES ? -static_cast<int64_t>(a.frames())
                           : order == v1::TABLE_ORDER_START  ? Nanos(a.relative_start())
                                                             : -Nanos(a.duration());
        const int64_t kb = order == v1::TABLE_ORDER_BYTES    ? -static_cast<int64_t>(b.bytes())
                           : order == v1::TABLE_ORDER_FRAMES ? -static_cast<int64_t>(b.frames())
                           : order == v1::TABLE_ORDER_START  ? Nanos(b.relative_start())
                                                             : -Nanos(b.duration());
        EXPECT_LE(ka, kb) << "order " << order << " row " << i;
        if (ka == kb) {
          EXPECT_LT(rank(a), rank(b)) << "order " << order << " row " << i;
        }
      }
    }
  }
}

TEST(ConversationsTest, PagesAddUpToTheWholeTable) {
  const auto whole =
      Conversations(v1::CONVERSATION_LAYER_UDP, v1::TABLE_ORDER_BYTES, InputFor(Capture()));
  ASSERT_GT(whole.conversations_size(), 4);
  AnalysisInput paged = InputFor(Capture(), 3);
  std::vector<std::string> rows;
  for (uint64_t offset = 0; offset < whole.conversation_count(); offset += 3) {
    paged.listings.page_listing = "conversations";
    paged.listings.offset = offset;
    const auto page = Conversations(v1::CONVERSATION_LAYER_UDP, v1::TABLE_ORDER_BYTES, paged);
    EXPECT_EQ(page.conversation_count(), whole.conversation_count());
    for (const auto& c : page.conversations()) rows.push_back(Id(c));
  }
  ASSERT_EQ(rows.size(), static_cast<size_t>(whole.conversations_size()));
  for (int i = 0; i < whole.conversations_size(); ++i) {
    EXPECT_EQ(rows[i], Id(whole.conversations(i)));
  }
}

TEST(ConversationsTest, OnlyFramesTheFilterMatchesCount) {
  AnalysisInput filtered = InputFor(Capture());
  filtered.bpf_filter = "tcp";
  EXPECT_EQ(Conversations(v1::CONVERSATION_LAYER_UDP, v1::TABLE_ORDER_BYTES, filtered)
                .conversation_count(),
            0u);
  const auto all =
      Conversations(v1::CONVERSATION_LAYER_TCP, v1::TABLE_ORDER_START, InputFor(Capture()));
  const auto tcp = Conversations(v1::CONVERSATION_LAYER_TCP, v1::TABLE_ORDER_START, filtered);
  ASSERT_GT(all.conversations_size(), 0);
  ASSERT_EQ(tcp.conversations_size(), all.conversations_size());
  for (int i = 0; i < all.conversations_size(); ++i) {
    EXPECT_EQ(tcp.conversations(i).SerializeAsString(), all.conversations(i).SerializeAsString());
  }
}

TEST(ConversationsTest, PortsStreamsAndCommunityIdsOnlyAtTcpAndUdp) {
  const AnalysisInput input = InputFor(Capture());
  for (const auto layer : {v1::CONVERSATION_LAYER_ETH, v1::CONVERSATION_LAYER_IP,
                           v1::CONVERSATION_LAYER_TCP, v1::CONVERSATION_LAYER_UDP}) {
    const bool transport =
        layer == v1::CONVERSATION_LAYER_TCP || layer == v1::CONVERSATION_LAYER_UDP;
    const auto table = Conversations(layer, v1::TABLE_ORDER_BYTES, input);
    ASSERT_GT(table.conversations_size(), 0) << layer;
    EXPECT_EQ(table.protocol(), layer);
    for (const auto& c : table.conversations()) {
      EXPECT_EQ(c.has_port_a(), transport);
      EXPECT_EQ(c.has_stream_index(), transport);
      EXPECT_EQ(c.community_id().empty(), !transport);
      EXPECT_EQ(c.frames(), c.frames_a_to_b() + c.frames_b_to_a());
      EXPECT_EQ(c.bytes(), c.bytes_a_to_b() + c.bytes_b_to_a());
      EXPECT_GT(c.frames_a_to_b(), 0u) << "A is the first frame's source";
    }
  }
  // Not given: the IP layer.
  EXPECT_EQ(Conversations(v1::CONVERSATION_LAYER_UNSPECIFIED, v1::TABLE_ORDER_UNSPECIFIED, input)
                .protocol(),
            v1::CONVERSATION_LAYER_IP);
}

TEST(ConversationsTest, EndpointsSentAndReceivedAddUp) {
  v1::ListEndpointsRequest request;
  request.set_pcap_file(Capture());
  request.set_protocol(v1::CONVERSATION_LAYER_UDP);
  request.set_sort_by(v1::TABLE_ORDER_FRAMES);
  absl::StatusOr<v1::ListEndpointsResponse> endpoints = ListEndpoints(InputFor(Capture()), request);
  ASSERT_TRUE(endpoints.ok()) << endpoints.status();
  ASSERT_GT(endpoints->endpoints_size(), 1);
  EXPECT_EQ(endpoints->endpoint_count(), static_cast<uint64_t>(endpoints->endpoints_size()));
  uint64_t sent = 0, received = 0;
  for (int i = 0; i < endpoints->endpoints_size(); ++i) {
    const auto& e = endpoints->endpoints(i);
    EXPECT_TRUE(e.has_port());
    EXPECT_EQ(e.frames(), e.tx_frames() + e.rx_frames());
    EXPECT_EQ(e.bytes(), e.tx_bytes() + e.rx_bytes());
    if (i > 0) {
      EXPECT_GE(endpoints->endpoints(i - 1).frames(), e.frames());
    }
    sent += e.tx_frames();
    received += e.rx_frames();
  }
  EXPECT_EQ(sent, received) << "every frame has one sender and one receiver";
}

TEST(TrafficTableTest, RowsPastTheBoundAreCountedAndWarnedOf) {
  TrafficTable<int, uint64_t> table(/*max_rows=*/2);
  ASSERT_NE(table.Find(1), nullptr);
  ASSERT_NE(table.Find(2), nullptr);
  EXPECT_EQ(table.Find(3), nullptr);
  EXPECT_EQ(table.Find(4), nullptr);
  EXPECT_NE(table.Find(1), nullptr) << "known rows still count";
  v1::CaptureSummary summary;
  table.Warn("conversations", &summary);
  ASSERT_EQ(summary.warnings_size(), 1);
  EXPECT_EQ(summary.warnings(0), "2 frames of conversations beyond the first 2 are not counted");

  TrafficTable<int, uint64_t> roomy;
  v1::CaptureSummary quiet;
  roomy.Warn("conversations", &quiet);
  EXPECT_EQ(quiet.warnings_size(), 0);
}

}  // namespace
}  // namespace mcpcap

#include "backend/analysis/database/query_stats.h"

#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"
#include "backend/analysis/common/result_parts.h"
#include "backend/base/proto_time.h"

namespace mcpcap {
namespace {

constexpr size_t kMaxShapeBytes = 512;

bool IsWordChar(char c) { return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_'; }

}  // namespace

std::string QueryShape(absl::string_view text) {
  std::string out;
  size_t i = 0;
  while (i < text.size() && out.size() < kMaxShapeBytes) {
    const char c = text[i];
    if (c == '\'' || c == '"') {  // a quoted literal, with doubled or escaped quotes inside
      size_t j = i + 1;
      while (j < text.size()) {
        if (text[j] == '\\') {
          j += 2;
          continue;
        }
        if (text[j] == c) {
          if (j + 1 < text.size() && text[j + 1] == c) {
            j += 2;
            continue;
          }
          break;
        }
        ++j;
      }
      out.push_back('?');
      i = std::min(j + 1, text.size());
      continue;
    }
    const bool starts_number = absl::ascii_isdigit(static_cast<unsigned char>(c)) &&
                               (out.empty() || !IsWordChar(out.back()));
    if (starts_number) {
      size_t j = i;
      while (j < text.size() && (IsWordChar(text[j]) || text[j] == '.')) ++j;
      out.push_back('?');
      i = j;
      continue;
    }
    if (absl::ascii_isspace(static_cast<unsigned char>(c))) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
      ++i;
      continue;
    }
    out.push_back(c);
    ++i;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

void QueryStatsTally::Add(absl::string_view protocol, absl::string_view text, bool error,
                          std::optional<int64_t> latency_nanos, payload::Position request) {
  Key key(std::string(protocol), QueryShape(text));
  auto it = stats_.find(key);
  if (it == stats_.end()) {
    if (stats_.size() >= kMaxShapes) {  // the shapes seen first are kept
      capped_ = true;
      return;
    }
    it = stats_.emplace(std::move(key), Stat{}).first;
  }
  Stat& s = it->second;
  ++s.count;
  if (error) ++s.errors;
  if (latency_nanos.has_value()) {
    ++s.timed;
    s.total_nanos += *latency_nanos;
    if (*latency_nanos > s.max_nanos) {
      s.max_nanos = *latency_nanos;
      s.slowest_packet = request;
    }
  }
}

void QueryStatsTally::Fill(const Key& key, const Stat& stat, v1::QueryStat* out) {
  out->set_protocol(key.first);
  out->set_query(key.second);
  out->set_count(stat.count);
  out->set_errors(stat.errors);
  if (stat.timed > 0) {
    SetDurationNanos(stat.total_nanos, out->mutable_total_latency());
    SetDurationNanos(stat.total_nanos / static_cast<int64_t>(stat.timed),
                     out->mutable_average_latency());
    SetDurationNanos(stat.max_nanos, out->mutable_max_latency());
    FillPacketRef(stat.slowest_packet.frame, stat.slowest_packet.time,
                  out->mutable_slowest_packet());
  }
}

void QueryStatsTally::FillMostFrequent(
    size_t n, google::protobuf::RepeatedPtrField<v1::QueryStat>* out) const {
  std::vector<const std::pair<const Key, Stat>*> order;
  for (const auto& entry : stats_) order.push_back(&entry);
  std::stable_sort(order.begin(), order.end(),
                   [](const auto* x, const auto* y) { return x->second.count > y->second.count; });
  for (size_t i = 0; i < order.size() && i < n; ++i)
    Fill(order[i]->first, order[i]->second, out->Add());
}

void QueryStatsTally::FillSlowest(size_t n,
                                  google::protobuf::RepeatedPtrField<v1::QueryStat>* out) const {
  std::vector<const std::pair<const Key, Stat>*> order;
  for (const auto& entry : stats_) {
    if (entry.second.timed > 0) order.push_back(&entry);
  }
  std::stable_sort(order.begin(), order.end(), [](const auto* x, const auto* y) {
    return x->second.max_nanos > y->second.max_nanos;
  });
  for (size_t i = 0; i < order.size() && i < n; ++i)
    Fill(order[i]->first, order[i]->second, out->Add());
}

}  // namespace mcpcap

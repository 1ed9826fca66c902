// Statistics over database queries grouped by shape: the text with literals replaced by "?", so
// `SELECT * FROM t WHERE id = 7` and `... id = 8` count as one. Bounded in the number of shapes.
#ifndef MCPCAP_BACKEND_ANALYSIS_DATABASE_QUERY_STATS_H_
#define MCPCAP_BACKEND_ANALYSIS_DATABASE_QUERY_STATS_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/string_view.h"
#include "backend/payload/common/app_events.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "mcpcap/v1/database.pb.h"

namespace mcpcap {

// Quoted strings and standalone numbers become "?", runs of whitespace one space; at most 512
// bytes.
std::string QueryShape(absl::string_view text);

class QueryStatsTally {
 public:
  // `latency_nanos` is absent for a query without response; `request` is its first frame.
  void Add(absl::string_view protocol, absl::string_view text, bool error,
           std::optional<int64_t> latency_nanos, payload::Position request);
  // Most executions first (then shape), and highest max latency first.
  void FillMostFrequent(size_t n, google::protobuf::RepeatedPtrField<v1::QueryStat>* out) const;
  void FillSlowest(size_t n, google::protobuf::RepeatedPtrField<v1::QueryStat>* out) const;
  // True when a query of a shape past the first kMaxShapes was left out of the statistics.
  bool capped() const { return capped_; }

 private:
  static constexpr size_t kMaxShapes = 10000;
  struct Stat {
    uint64_t count = 0;
    uint64_t errors = 0;
    uint64_t timed = 0;
    int64_t total_nanos = 0;
    int64_t max_nanos = -1;
    payload::Position slowest_packet;
  };
  using Key = std::pair<std::string, std::string>;  // protocol, shape
  static void Fill(const Key& key, const Stat& stat, v1::QueryStat* out);

  std::map<Key, Stat> stats_;
  bool capped_ = false;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_DATABASE_QUERY_STATS_H_

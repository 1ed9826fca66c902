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
#include "google/protobuf/repeated_ptr_field.h"
#include "mcpcap/v1/database.pb.h"

namespace mcpcap {

// Quoted strings and standalone numbers become "?", runs of whitespace one space; at most 512
// bytes.
std::string QueryShape(absl::string_view text);

class QueryStatsTally {
 public:
  void Add(absl::string_view protocol, absl::string_view text, bool error,
           std::optional<double> latency_ms, uint64_t packet);
  // Most executions first (then shape), and highest max latency first.
  void FillMostFrequent(size_t n, google::protobuf::RepeatedPtrField<v1::QueryStat>* out) const;
  void FillSlowest(size_t n, google::protobuf::RepeatedPtrField<v1::QueryStat>* out) const;

 private:
  static constexpr size_t kMaxShapes = 10000;
  struct Stat {
    uint64_t count = 0;
    uint64_t errors = 0;
    uint64_t timed = 0;
    double total_ms = 0;
    double max_ms = -1;
    uint64_t slowest_packet = 0;
  };
  using Key = std::pair<std::string, std::string>;  // protocol, shape
  static void Fill(const Key& key, const Stat& stat, v1::QueryStat* out);

  std::map<Key, Stat> stats_;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_DATABASE_QUERY_STATS_H_

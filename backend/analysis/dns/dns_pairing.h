// Query/response pairing for DNS: a response answers the oldest open query with the same client
// (address and port), server, transport, id and first question (name compared without case).
// Queries sent to a multicast group (LLMNR) are answered from a unicast address, so they are
// also found under "any server". Memory is bounded: past kMaxOpenQueries the oldest open query
// is given up as unanswered.
#ifndef MCPCAP_BACKEND_ANALYSIS_DNS_DNS_PAIRING_H_
#define MCPCAP_BACKEND_ANALYSIS_DNS_DNS_PAIRING_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace mcpcap {

struct DnsPairKey {
  std::string client;  // address text
  uint16_t client_port = 0;
  std::string server;     // empty: a multicast query, answerable by anyone
  uint8_t transport = 0;  // 17 UDP, 6 TCP
  uint16_t id = 0;
  std::string qname;  // lower case
  uint16_t qtype = 0;

  friend bool operator<(const DnsPairKey& a, const DnsPairKey& b) {
    return std::tie(a.client, a.client_port, a.server, a.transport, a.id, a.qname, a.qtype) <
           std::tie(b.client, b.client_port, b.server, b.transport, b.id, b.qname, b.qtype);
  }
};

struct DnsPairedQuery {
  uint64_t frame = 0;
  int64_t time_ns = 0;
  uint8_t variant = 0;  // the DnsVariant the query was sent in
};

class DnsPairing {
 public:
  static constexpr size_t kMaxOpenQueries = 1 << 16;

  // A query; returns true when it repeats an open query (a retransmission), which is then
  // answered together with the first one.
  bool OnQuery(const DnsPairKey& key, uint64_t frame, int64_t time_ns, uint8_t variant = 0);
  // A response with `key` naming its server; the query it answers, if any.
  std::optional<DnsPairedQuery> OnResponse(DnsPairKey key);
  // Queries never answered, in file order (those still open at the end of capture included).
  std::vector<DnsPairedQuery> Unanswered() const;

 private:
  struct Open {
    DnsPairedQuery first;
    uint64_t sequence = 0;  // arrival order, to give up the oldest when full
  };
  void GiveUpOldest();

  std::map<DnsPairKey, Open> open_;
  std::map<uint64_t, std::map<DnsPairKey, Open>::iterator> by_sequence_;
  uint64_t next_sequence_ = 0;
  std::vector<DnsPairedQuery> given_up_;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_DNS_DNS_PAIRING_H_

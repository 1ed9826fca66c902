// What analyze_dhcp_packets gathers of DHCPv6 in DHCPv6's own terms: message types, clients and
// servers by DUID, transactions, status codes, and the addresses and prefixes offered, assigned
// or asked for. Ordered maps keep the result deterministic; every table is bounded.
#ifndef MCPCAP_BACKEND_ANALYSIS_DHCP_DHCPV6_TALLY_H_
#define MCPCAP_BACKEND_ANALYSIS_DHCP_DHCPV6_TALLY_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "backend/analysis/common/listing.h"
#include "backend/dissect/dhcpv6.h"
#include "mcpcap/v1/capture.pb.h"
#include "mcpcap/v1/dhcp.pb.h"

namespace mcpcap {

class Dhcpv6Tally {
 public:
  // `listed` is the message as listed in packets (frame, addresses and transaction id filled).
  void Add(const Dhcpv6Message& msg, const v1::DhcpPacket& listed);
  // Fills *out; the listings are bounded by `listings` and reported in *summary.
  void Fill(const ListingBounds& listings, v1::Dhcpv6Statistics* out,
            v1::CaptureSummary* summary) const;

 private:
  static constexpr size_t kMaxEntries = 1 << 16;  // clients, servers, transactions, leases

  struct Client {
    std::string mac;
    std::string ip;  // the client's own address (the port 546 side)
    uint64_t packets = 0;
    std::set<std::string> addresses, prefixes;  // at most 16 each
    std::map<std::string, uint64_t> sent;
  };
  struct Server {
    std::string ip;
    uint64_t advertises = 0, replies = 0;
  };

  std::map<std::string, uint64_t> types_, status_codes_;
  std::map<std::string, Client> clients_;
  std::map<std::string, Server> servers_;
  std::set<std::pair<std::string, std::string>> transactions_;
  std::vector<v1::Dhcpv6Lease> leases_;
  uint64_t lease_total_ = 0, relayed_ = 0;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_DHCP_DHCPV6_TALLY_H_

// Shares of the gateway's concurrency: calls in flight overall, per session and per client
// address, so one session or one client cannot take every slot from the others.
#ifndef MCPCAP_GATEWAY_HTTP_CALL_SHARES_H_
#define MCPCAP_GATEWAY_HTTP_CALL_SHARES_H_

#include <map>
#include <mutex>
#include <string>

namespace mcpcap::gateway {

class CallShares {
 public:
  struct Limits {
    int total = 48;
    int per_session = 8;
    int per_client = 32;
  };
  enum class Verdict { kAdmitted, kServerBusy, kSessionBusy, kClientBusy };

  explicit CallShares(Limits limits) : limits_(limits) {}

  // Takes a slot for one call of `session` from `client`, unless a share is used up.
  Verdict Acquire(const std::string& session, const std::string& client);
  // Gives back a slot taken by an admitted Acquire with the same arguments.
  void Release(const std::string& session, const std::string& client);

 private:
  const Limits limits_;
  std::mutex mu_;
  int total_ = 0;
  std::map<std::string, int> by_session_;
  std::map<std::string, int> by_client_;
};

}  // namespace mcpcap::gateway

#endif  // MCPCAP_GATEWAY_HTTP_CALL_SHARES_H_

// Channels to mcpcapd replicas: --backend parsing and round-robin load balancing.
#ifndef MCPCAP_GATEWAY_BACKEND_CHANNELS_H_
#define MCPCAP_GATEWAY_BACKEND_CHANNELS_H_

#include <grpcpp/channel.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace mcpcap::gateway {

// --backend TARGET[,TARGET...] as gRPC target strings, one per channel. A list of IP:port
// literals becomes one "ipv4:a,b" / "ipv6:a,b" target (gRPC balances it), as does a list that
// already uses that form; a list naming hosts gets one channel each (the gateway rotates).
absl::StatusOr<std::vector<std::string>> ChannelTargets(const std::string& flag);

// A channel with the round_robin policy, so one target resolving to many addresses
// (dns:, ipv4:a,b) spreads calls over all of them; reconnects fast after a backend restart.
std::shared_ptr<grpc::Channel> MakeChannel(const std::string& target);

// How a call gets its channel: fixed replicas (--backend) or the supervised local backend.
class ChannelProvider {
 public:
  virtual ~ChannelProvider() = default;
  // The channel for the next call; `ticket` identifies the backend behind it for Explain().
  // May wait for a backend that is (re)starting.
  virtual grpc::Status Acquire(std::shared_ptr<grpc::Channel>* channel, uint64_t* ticket) = 0;
  // Lets the provider say more about a failed call (e.g. "the backend died").
  virtual grpc::Status Explain(const grpc::Status& status, uint64_t ticket) {
    (void)ticket;
    return status;
  }
  // True when calls may wait for the channel to connect (a local backend being restarted).
  virtual bool WaitForReady() const { return false; }
};

class StaticChannels : public ChannelProvider {
 public:
  explicit StaticChannels(const std::vector<std::string>& targets);
  grpc::Status Acquire(std::shared_ptr<grpc::Channel>* channel, uint64_t* ticket) override;

 private:
  std::vector<std::shared_ptr<grpc::Channel>> channels_;
  std::atomic<uint64_t> next_{0};
};

}  // namespace mcpcap::gateway

#endif  // MCPCAP_GATEWAY_BACKEND_CHANNELS_H_

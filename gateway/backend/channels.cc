#include "gateway/backend/channels.h"

#include <arpa/inet.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace mcpcap::gateway {
namespace {

bool HasScheme(const std::string& target) {
  for (const char* scheme : {"ipv4:", "ipv6:", "dns:", "unix:", "unix-abstract:", "vsock:"}) {
    if (absl::StartsWith(target, scheme)) return true;
  }
  return false;
}

// "10.0.0.1:50051" -> 4, "[::1]:50051" -> 6, anything else -> 0.
int IpLiteralFamily(const std::string& target) {
  unsigned char buf[16];
  if (!target.empty() && target[0] == '[') {
    size_t close = target.find(']');
    if (close == std::string::npos || close + 1 >= target.size() || target[close + 1] != ':') {
      return 0;
    }
    return inet_pton(AF_INET6, target.substr(1, close - 1).c_str(), buf) == 1 ? 6 : 0;
  }
  size_t colon = target.rfind(':');
  if (colon == std::string::npos) return 0;
  return inet_pton(AF_INET, target.substr(0, colon).c_str(), buf) == 1 ? 4 : 0;
}

}  // namespace

absl::StatusOr<std::vector<std::string>> ChannelTargets(const std::string& flag) {
  std::vector<std::string> items;
  for (absl::string_view item : absl::StrSplit(flag, ',')) {
    item = absl::StripAsciiWhitespace(item);
    if (!item.empty()) items.emplace_back(item);
  }
  if (items.empty()) return absl::InvalidArgumentError("--backend names no target");
  if (items.size() == 1) return items;
  // gRPC's own multi-address form: "ipv4:10.0.0.1:1,10.0.0.2:1".
  const bool native_list =
      (absl::StartsWith(items[0], "ipv4:") || absl::StartsWith(items[0], "ipv6:")) &&
      std::none_of(items.begin() + 1, items.end(), HasScheme);
  if (native_list) return std::vector<std::string>{absl::StrJoin(items, ",")};
  const int family = IpLiteralFamily(items[0]);
  const bool same_family = family != 0 && std::all_of(items.begin(), items.end(), [&](auto& t) {
                             return IpLiteralFamily(t) == family;
                           });
  if (same_family) {
    return std::vector<std::string>{(family == 4 ? "ipv4:" : "ipv6:") + absl::StrJoin(items, ",")};
  }
  return items;
}

std::shared_ptr<grpc::Channel> MakeChannel(const std::string& target) {
  grpc::ChannelArguments args;
  args.SetServiceConfigJSON(R"({"loadBalancingConfig":[{"round_robin":{}}]})");
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
  // Analyses can be large: no receive cap beyond protobuf's own.
  args.SetMaxReceiveMessageSize(-1);
  return grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args);
}

StaticChannels::StaticChannels(const std::vector<std::string>& targets) {
  for (const std::string& t : targets) channels_.push_back(MakeChannel(t));
}

grpc::Status StaticChannels::Acquire(std::shared_ptr<grpc::Channel>* channel, uint64_t* ticket) {
  const uint64_t n = next_.fetch_add(1, std::memory_order_relaxed);
  *channel = channels_[n % channels_.size()];
  *ticket = 0;
  return grpc::Status::OK;
}

}  // namespace mcpcap::gateway

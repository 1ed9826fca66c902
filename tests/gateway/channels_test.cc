// --backend parsing into gRPC targets.
#include "gateway/backend/channels.h"

#include <gtest/gtest.h>

#include "gateway/backend/supervisor.h"

namespace mcpcap::gateway {
namespace {

using Targets = std::vector<std::string>;

TEST(ChannelTargets, OneTargetAsIs) {
  EXPECT_EQ(*ChannelTargets("127.0.0.1:50051"), Targets{"127.0.0.1:50051"});
  EXPECT_EQ(*ChannelTargets("dns:///mcpcapd:50051"), Targets{"dns:///mcpcapd:50051"});
  EXPECT_EQ(*ChannelTargets("unix:/tmp/x.sock"), Targets{"unix:/tmp/x.sock"});
}

TEST(ChannelTargets, IpListsBecomeOneBalancedTarget) {
  EXPECT_EQ(*ChannelTargets("127.0.0.1:1,127.0.0.1:2"), Targets{"ipv4:127.0.0.1:1,127.0.0.1:2"});
  EXPECT_EQ(*ChannelTargets("ipv4:127.0.0.1:1,127.0.0.1:2"),
            Targets{"ipv4:127.0.0.1:1,127.0.0.1:2"});
  EXPECT_EQ(*ChannelTargets("[::1]:1, [::1]:2"), Targets{"ipv6:[::1]:1,[::1]:2"});
}

TEST(ChannelTargets, HostListsGetAChannelEach) {
  EXPECT_EQ(*ChannelTargets("a:1,b:2"), (Targets{"a:1", "b:2"}));
  EXPECT_FALSE(ChannelTargets(" , ").ok());
}

TEST(Supervisor, DescribesWaitStatus) {
  EXPECT_EQ(DescribeWaitStatus(1 << 8), "exited with status 1");
  EXPECT_EQ(DescribeWaitStatus(9), "was killed by signal 9 (Killed)");
}

TEST(Supervisor, BackendBinaryOverrideMustBeExecutable) {
  EXPECT_FALSE(FindBackendBinary("/nonexistent/mcpcapd").ok());
  EXPECT_TRUE(FindBackendBinary("/bin/sh").ok());
}

}  // namespace
}  // namespace mcpcap::gateway

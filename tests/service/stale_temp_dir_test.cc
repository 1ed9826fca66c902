// A killed mcpcapd leaves its private folder behind; the next backend removes it at start, and
// never the folder of a live process (a pid reused by a later process counts as dead).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "backend/service/backend_server.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/tempdir/owned_temp_dir.h"

namespace mcpcap {
namespace {

namespace fs = std::filesystem;

class StaleTempDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    parent_ = ::testing::TempDir() + "/stale_" + std::to_string(::getpid());
    fs::remove_all(parent_);
    fs::create_directories(parent_);
  }
  void TearDown() override { fs::remove_all(parent_); }

  // A folder as `owner` would have made it, with a file in it.
  std::string FolderOf(const std::string& prefix, const TempDirOwner& owner,
                       const std::string& suffix) {
    const std::string path = parent_ + "/" + OwnedTempDirStem(prefix, owner) + suffix;
    fs::create_directory(path);
    std::ofstream(path + "/capture-abcdef") << "left behind";
    return path;
  }

  std::vector<std::string> Folders() {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(parent_)) names.push_back(entry.path());
    return names;
  }

  std::string parent_;
};

long DeadPid() {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ::waitpid(child, nullptr, 0);
  return child;
}

TEST_F(StaleTempDirTest, OnlyFoldersOfGoneOwnersAreRemoved) {
  const TempDirOwner self = CurrentOwner();
  TempDirOwner dead = self;
  dead.pid = DeadPid();
  TempDirOwner reused = self;  // our pid, but another process's start time
  reused.start_ticks += 1;
  TempDirOwner other_boot = self;
  other_boot.boot_id = self.boot_id == "ffffffff" ? "eeeeeeee" : "ffffffff";

  const std::string dead_dir = FolderOf("mcpcapd", dead, "aaaaaa");
  const std::string reused_dir = FolderOf("mcpcapd", reused, "bbbbbb");
  const std::string boot_dir = FolderOf("mcpcapd", other_boot, "cccccc");
  const std::string live_dir = FolderOf("mcpcapd", self, "dddddd");
  const std::string gateway_dir = FolderOf("mcpcap", dead, "eeeeee");  // not mcpcapd's
  const std::string foreign = parent_ + "/mcpcapd-notes";
  fs::create_directory(foreign);

  BackendConfig config;
  config.listen = "unix:" + parent_ + "/sock";
  config.sources.temp_parent = parent_;
  auto backend = BackendServer::Start(config);
  ASSERT_TRUE(backend.ok()) << backend.status();
  EXPECT_FALSE(fs::exists(dead_dir));
  EXPECT_FALSE(fs::exists(reused_dir));
  EXPECT_FALSE(fs::exists(boot_dir));
  EXPECT_TRUE(fs::exists(live_dir));
  EXPECT_TRUE(fs::exists(gateway_dir));
  EXPECT_TRUE(fs::exists(foreign));
  const std::string own = (*backend)->locator().temp_dir().path();
  EXPECT_THAT(own, ::testing::StartsWith(parent_ + "/" + OwnedTempDirStem("mcpcapd", self)));

  EXPECT_EQ(RemoveStaleTempDirs(parent_, "mcpcap"), 1);  // the gateway's own sweep
  EXPECT_FALSE(fs::exists(gateway_dir));
  EXPECT_TRUE(fs::exists(own));
}

TEST_F(StaleTempDirTest, AKilledBackendsFolderIsRemovedByTheNext) {
  const std::string binary = std::string(MCPCAP_BINARY_DIR) + "/backend/mcpcapd";
  const std::string socket = "unix:" + parent_ + "/killed.sock";
  // Everything exec needs is built before fork: the child of a threaded process may only make
  // async-signal-safe calls.
  const std::string tmpdir = "TMPDIR=" + parent_;
  std::vector<char*> env;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::string(*e).rfind("TMPDIR=", 0) != 0) env.push_back(*e);
  }
  env.push_back(const_cast<char*>(tmpdir.c_str()));
  env.push_back(nullptr);
  std::vector<char*> argv = {const_cast<char*>(binary.c_str()), const_cast<char*>("--listen"),
                             const_cast<char*>(socket.c_str()), nullptr};
  const pid_t child = ::fork();
  if (child == 0) {
    ::execve(argv[0], argv.data(), env.data());
    ::_exit(127);
  }
  ASSERT_GT(child, 0);
  // Its folder appears once it starts.
  const std::string stem = "mcpcapd-" + std::to_string(child) + "-";
  auto folder = [&]() -> std::string {
    for (const std::string& path : Folders()) {
      if (fs::path(path).filename().string().rfind(stem, 0) == 0) return path;
    }
    return "";
  };
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::minutes(1);
  while (folder().empty() && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const std::string left = folder();
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  ASSERT_FALSE(left.empty()) << "mcpcapd never made its folder in " << parent_;
  ASSERT_TRUE(fs::exists(left));  // SIGKILL: nothing cleaned up

  BackendConfig config;
  config.listen = "unix:" + parent_ + "/next.sock";
  config.sources.temp_parent = parent_;
  auto next = BackendServer::Start(config);
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_FALSE(fs::exists(left));
}

}  // namespace
}  // namespace mcpcap

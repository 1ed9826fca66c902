// The gateway's private mcpcapd: found, started on a unix socket in a private directory, health
// checked, restarted when it dies, and stopped with the gateway (PR_SET_PDEATHSIG covers even a
// SIGKILLed gateway). Process management runs on the main thread only: the death signal is tied
// to the thread that forked, so a short-lived worker thread must never fork.
#ifndef MCPCAP_GATEWAY_BACKEND_SUPERVISOR_H_
#define MCPCAP_GATEWAY_BACKEND_SUPERVISOR_H_

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gateway/backend/channels.h"

namespace mcpcap::gateway {

// mcpcapd: `override_path` if given, else beside this executable, else ../backend/ of it (the
// build tree), else on PATH.
absl::StatusOr<std::string> FindBackendBinary(const std::string& override_path);

// "exited with status 1", "was killed by signal 9 (Killed)".
std::string DescribeWaitStatus(int wait_status);

struct SupervisorOptions {
  std::string binary;
  uint64_t max_packets = 0;             // passed on as mcpcapd --max-packets (0 = not passed)
  std::vector<std::string> extra_args;  // further mcpcapd flags (--root, --allow-private-urls)
  std::chrono::milliseconds ready_timeout{30000};
};

class Supervisor : public ChannelProvider {
 public:
  explicit Supervisor(SupervisorOptions options);
  ~Supervisor() override;

  // Main thread. Creates the private directory and starts the first backend.
  absl::Status Start();
  // Main thread. Restarts the backend when it dies or a call needs one, until
  // RequestShutdown(); then stops it and removes the directory. Returns the shutdown code.
  int Run();
  // Any thread.
  void RequestShutdown(int exit_code);
  // Main thread: stops the backend and removes the directory (Run() does this itself).
  void Stop();

  grpc::Status Acquire(std::shared_ptr<grpc::Channel>* channel, uint64_t* ticket) override;
  grpc::Status Explain(const grpc::Status& status, uint64_t ticket) override;

 private:
  // Forks mcpcapd and waits until it is SERVING. Called without mu_ held.
  absl::Status SpawnAndWait();
  // Reaps the backend if it exited; mu_ held.
  void ReapLocked();

  SupervisorOptions options_;
  std::string dir_;
  std::string socket_path_;

  std::mutex mu_;
  std::condition_variable cv_;
  pid_t pid_ = -1;
  uint64_t generation_ = 0;  // of the current (or last) backend process
  bool ready_ = false;
  std::shared_ptr<grpc::Channel> channel_;
  std::string last_error_;
  uint64_t attempts_ = 0;  // finished start attempts
  bool wanted_ = false;    // a call waits for a backend
  bool restart_after_death_ = false;
  std::map<uint64_t, std::string> deaths_;  // generation -> how it ended
  bool shutdown_ = false;
  int exit_code_ = 0;
};

}  // namespace mcpcap::gateway

#endif  // MCPCAP_GATEWAY_BACKEND_SUPERVISOR_H_

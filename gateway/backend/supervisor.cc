#include "gateway/backend/supervisor.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gateway/backend/unary_call.h"
#include "gateway/log.h"
#include "tools/cli/shutdown_grace.h"
#include "tools/tempdir/owned_temp_dir.h"

namespace mcpcap::gateway {
namespace {

using Clock = std::chrono::steady_clock;

bool IsExecutable(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(path.c_str(), X_OK) == 0;
}

std::string Canonical(const std::string& path) {
  char buf[PATH_MAX];
  return realpath(path.c_str(), buf) != nullptr ? std::string(buf) : path;
}

// The private folder's name: "mcpcap-<pid>-<start ticks>-<boot>-XXXXXX" (see owned_temp_dir.h).
constexpr char kTempDirPrefix[] = "mcpcap";

std::string TempRoot() {
  const char* tmp = getenv("TMPDIR");
  // A unix socket path must fit in 108 bytes; the folder and socket names take up to 58.
  if (tmp != nullptr && *tmp != '\0' && std::strlen(tmp) < 48) return tmp;
  return "/tmp";
}

// mcpcapd gets this long after SIGTERM before SIGKILL: longer than the grace it gives calls in
// flight, so that it always removes its own temporary folder.
constexpr auto kBackendStopTimeout = std::chrono::seconds(kBackendShutdownGraceSeconds + 5);

}  // namespace

absl::StatusOr<std::string> FindBackendBinary(const std::string& override_path) {
  if (!override_path.empty()) {
    if (IsExecutable(override_path)) return Canonical(override_path);
    return absl::NotFoundError(
        absl::StrCat("--backend-binary ", override_path, " is not an executable file"));
  }
  std::vector<std::string> tried;
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
  if (n > 0) {
    std::string exe(self, static_cast<size_t>(n));
    std::string dir = exe.substr(0, exe.rfind('/'));
    tried.push_back(dir + "/mcpcapd");
    tried.push_back(dir + "/../backend/mcpcapd");
  }
  if (const char* path = getenv("PATH")) {
    for (absl::string_view entry : absl::StrSplit(path, ':', absl::SkipEmpty())) {
      tried.push_back(absl::StrCat(entry, "/mcpcapd"));
    }
  }
  for (const std::string& candidate : tried) {
    if (IsExecutable(candidate)) return Canonical(candidate);
  }
  return absl::NotFoundError(
      "cannot find the backend mcpcapd beside the mcpcap executable, in ../backend/ of it, or on "
      "PATH; install it, or pass --backend-binary PATH or --backend TARGET");
}

std::string DescribeWaitStatus(int wait_status) {
  if (WIFEXITED(wait_status)) return absl::StrCat("exited with status ", WEXITSTATUS(wait_status));
  if (WIFSIGNALED(wait_status)) {
    const int sig = WTERMSIG(wait_status);
    return absl::StrCat("was killed by signal ", sig, " (", strsignal(sig), ")");
  }
  return absl::StrCat("ended with wait status ", wait_status);
}

Supervisor::Supervisor(SupervisorOptions options) : options_(std::move(options)) {}

Supervisor::~Supervisor() { Stop(); }

absl::Status Supervisor::Start() {
  const std::string root = TempRoot();
  RemoveStaleTempDirs(root, kTempDirPrefix);  // a killed or crashed gateway's, left behind
  absl::StatusOr<std::string> dir = MakeOwnedTempDir(root, kTempDirPrefix);
  if (!dir.ok()) return dir.status();
  dir_ = *dir;
  socket_path_ = dir_ + "/mcpcapd.sock";
  return SpawnAndWait();
}

absl::Status Supervisor::SpawnAndWait() {
  unlink(socket_path_.c_str());  // a stale socket of a dead backend
  // --quiet: the user's terminal shows the backend's errors, not its normal start and stop.
  std::vector<std::string> args = {options_.binary, "--listen", "unix:" + socket_path_, "--quiet"};
  if (options_.max_packets > 0) {
    args.push_back("--max_packets");  // absl spelling: mcpcapd parses flags with absl
    args.push_back(std::to_string(options_.max_packets));
  }
  args.insert(args.end(), options_.extra_args.begin(), options_.extra_args.end());
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
  const pid_t parent = getpid();

  const pid_t pid = fork();
  if (pid < 0) {
    if (devnull >= 0) close(devnull);
    return absl::InternalError(absl::StrCat("fork: ", std::strerror(errno)));
  }
  if (pid == 0) {
    // Child: async-signal-safe calls only until exec.
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(1);  // the gateway died before prctl took effect
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    signal(SIGPIPE, SIG_DFL);
    if (devnull >= 0) dup2(devnull, 0);
    dup2(2, 1);  // the backend must never write into the MCP stream
    execv(argv[0], argv.data());
    const char msg[] = "mcpcap: cannot execute the backend\n";
    ssize_t ignored = write(2, msg, sizeof(msg) - 1);
    (void)ignored;
    _exit(127);
  }
  if (devnull >= 0) close(devnull);

  std::shared_ptr<grpc::Channel> channel = MakeChannel("unix:" + socket_path_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    pid_ = pid;
    ++generation_;
    ready_ = false;
  }
  const auto give_up = Clock::now() + options_.ready_timeout;
  std::string failure;
  while (true) {
    int wait_status = 0;
    if (waitpid(pid, &wait_status, WNOHANG) == pid) {
      failure = absl::StrCat("the backend ", options_.binary, " ", DescribeWaitStatus(wait_status),
                             " before it was ready");
      std::lock_guard<std::mutex> lock(mu_);
      pid_ = -1;
      break;
    }
    if (CheckHealth(channel, std::chrono::milliseconds(500)).ok()) break;
    if (Clock::now() > give_up) {
      failure = absl::StrCat("the backend ", options_.binary, " was not SERVING within ",
                             options_.ready_timeout.count() / 1000, " s");
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
      std::lock_guard<std::mutex> lock(mu_);
      pid_ = -1;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::lock_guard<std::mutex> lock(mu_);
  ++attempts_;
  if (failure.empty()) {
    channel_ = channel;
    ready_ = true;
    last_error_.clear();
  } else {
    last_error_ = failure;
  }
  cv_.notify_all();
  return failure.empty() ? absl::OkStatus() : absl::UnavailableError(failure);
}

void Supervisor::ReapLocked() {
  if (pid_ <= 0) return;
  int wait_status = 0;
  if (waitpid(pid_, &wait_status, WNOHANG) != pid_) return;
  const std::string how = DescribeWaitStatus(wait_status);
  Log(absl::StrCat("the backend mcpcapd (pid ", pid_, ") ", how, "; restarting it"));
  deaths_[generation_] = how;
  pid_ = -1;
  ready_ = false;
  channel_.reset();
  last_error_ = "the backend mcpcapd " + how;
  restart_after_death_ = true;
  cv_.notify_all();
}

int Supervisor::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  auto last_attempt = Clock::now() - std::chrono::seconds(10);
  while (!shutdown_) {
    cv_.wait_for(lock, std::chrono::milliseconds(50));
    if (shutdown_) break;
    ReapLocked();
    const bool throttled = Clock::now() - last_attempt < std::chrono::seconds(1);
    if (pid_ < 0 && (restart_after_death_ || (wanted_ && !throttled))) {
      restart_after_death_ = false;
      wanted_ = false;
      last_attempt = Clock::now();
      lock.unlock();
      absl::Status started = SpawnAndWait();
      if (!started.ok()) Log(started.message());
      lock.lock();
    }
  }
  const int code = exit_code_;
  lock.unlock();
  Stop();
  return code;
}

void Supervisor::RequestShutdown(int exit_code) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!shutdown_) exit_code_ = exit_code;
  shutdown_ = true;
  cv_.notify_all();
}

void Supervisor::Stop() {
  pid_t pid;
  {
    std::lock_guard<std::mutex> lock(mu_);
    pid = pid_;
    pid_ = -1;
    ready_ = false;
    channel_.reset();
    shutdown_ = true;
    cv_.notify_all();
  }
  if (pid > 0) {
    kill(pid, SIGTERM);
    const auto give_up = Clock::now() + kBackendStopTimeout;
    while (waitpid(pid, nullptr, WNOHANG) == 0) {
      if (Clock::now() > give_up) {
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  if (!dir_.empty()) {
    unlink(socket_path_.c_str());
    rmdir(dir_.c_str());
    dir_.clear();
  }
}

grpc::Status Supervisor::Acquire(std::shared_ptr<grpc::Channel>* channel, uint64_t* ticket) {
  std::unique_lock<std::mutex> lock(mu_);
  // A backend that died since the last call is replaced before this call, not blamed on it.
  ReapLocked();
  if (!ready_ && !shutdown_) {
    const uint64_t asked_at = attempts_;
    wanted_ = true;
    cv_.notify_all();
    cv_.wait_for(lock, options_.ready_timeout + std::chrono::seconds(5),
                 [&] { return ready_ || shutdown_ || attempts_ > asked_at; });
  }
  if (!ready_) {
    return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                        shutdown_
                            ? "the gateway is shutting down"
                            : absl::StrCat("the backend mcpcapd is not available: ",
                                           last_error_.empty() ? "start timed out" : last_error_));
  }
  *channel = channel_;
  *ticket = generation_;
  return grpc::Status::OK;
}

grpc::Status Supervisor::Explain(const grpc::Status& status, uint64_t ticket) {
  std::unique_lock<std::mutex> lock(mu_);
  // The main loop notices a dead backend within ~50 ms; give it a little longer.
  cv_.wait_for(lock, std::chrono::milliseconds(1500),
               [&] { return deaths_.count(ticket) > 0 || shutdown_; });
  auto it = deaths_.find(ticket);
  if (it == deaths_.end()) return status;
  return grpc::Status(
      grpc::StatusCode::UNAVAILABLE,
      absl::StrCat("the backend mcpcapd died during the call (it ", it->second,
                   "); it is being restarted, so retry the call (", status.error_message(), ")"));
}

}  // namespace mcpcap::gateway

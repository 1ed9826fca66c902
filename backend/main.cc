// mcpcapd: the gRPC backend. Serves every analysis of the contract, the prompts, the standard
// health service and server reflection, on TCP or a Unix socket.
#include <signal.h>

#include <cstdio>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "backend/service/backend_server.h"
#include "tools/cli/dash_flags.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051",
          "Address to serve on: host:port, or unix:/path/to/socket");
ABSL_FLAG(uint64_t, max_packets, 0, "Cap on packets read per call (0 = no cap)");
ABSL_FLAG(uint32_t, workers, 0, "Analysis threads (0 = one per core)");
ABSL_FLAG(uint32_t, max_queue, 64, "Analyses waiting for a thread before calls are refused");

namespace {

// Blocks SIGINT/SIGTERM in every thread (call before any thread starts), so that one thread can
// wait for them and shut the server down cleanly.
sigset_t BlockShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "mcpcapd [--listen ADDR] [--max-packets N] [--workers N] [--max-queue N]");
  std::vector<std::string> args = mcpcap::DashesToUnderscores(argc, argv);
  std::vector<char*> arg_pointers;
  for (std::string& a : args) arg_pointers.push_back(a.data());
  absl::ParseCommandLine(argc, arg_pointers.data());
  const sigset_t signals = BlockShutdownSignals();

  mcpcap::BackendConfig config;
  config.listen = absl::GetFlag(FLAGS_listen);
  config.limits.max_packets = absl::GetFlag(FLAGS_max_packets);
  config.workers = absl::GetFlag(FLAGS_workers);
  config.max_queue = absl::GetFlag(FLAGS_max_queue);
  auto backend = mcpcap::BackendServer::Start(config);
  if (!backend.ok()) {
    std::fprintf(stderr, "mcpcapd: %s\n", std::string(backend.status().message()).c_str());
    return 1;
  }
  std::fprintf(stderr, "mcpcapd: serving on %s (%u workers)\n", config.listen.c_str(),
               (*backend)->workers());

  std::thread stopper([&] {
    int signal = 0;
    sigwait(&signals, &signal);
    std::fprintf(stderr, "mcpcapd: signal %d, shutting down\n", signal);
    (*backend)->Shutdown(5);
  });
  (*backend)->Wait();
  stopper.join();
  return 0;
}

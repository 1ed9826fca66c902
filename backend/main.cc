// mcpcapd: the gRPC backend. Serves every analysis of the contract, the prompts, the standard
// health service and server reflection, on TCP or a Unix socket.
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "backend/service/backend_server.h"
#include "tools/cli/dash_flags.h"
#include "tools/cli/shutdown_grace.h"
#include "tools/cli/version.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051",
          "Address to serve on: host:port, or unix:/path/to/socket");
ABSL_FLAG(uint64_t, max_packets, 0, "Cap on packets read per call (0 = no cap)");
ABSL_FLAG(uint32_t, workers, 0, "Analysis threads (0 = one per core)");
ABSL_FLAG(uint32_t, max_queue, 64, "Analyses waiting for a thread before calls are refused");
ABSL_FLAG(std::vector<std::string>, root, {},
          "Directory local captures may be read from (repeatable, or comma-separated); paths "
          "are resolved with their symlinks and refused outside. Default: no restriction");
ABSL_FLAG(bool, allow_private_urls, false,
          "Allow capture URLs on loopback, private and link-local addresses (cloud metadata, "
          "multicast and reserved addresses stay refused)");
ABSL_FLAG(uint64_t, max_download_bytes, uint64_t{1} << 30, "Largest capture downloaded from a URL");
ABSL_FLAG(uint32_t, download_timeout_seconds, 120,
          "Time allowed for a whole download, redirects included");
ABSL_FLAG(uint32_t, max_redirects, 5, "Redirects followed per capture URL");
ABSL_FLAG(uint64_t, max_decompressed_bytes, uint64_t{4} << 30,
          "Largest decompressed size of a gzip-compressed capture");
ABSL_FLAG(uint64_t, max_upload_bytes, uint64_t{256} << 20,
          "Largest capture accepted by CaptureUploadService.UploadCapture");
ABSL_FLAG(uint32_t, max_uploads, 32, "Finished uploaded captures held at once");
ABSL_FLAG(uint32_t, max_unfinished_uploads, 8,
          "Uploads being received at once (a slot is taken at an upload's first byte)");
ABSL_FLAG(uint32_t, upload_idle_timeout_seconds, 30,
          "An unfinished upload that sends nothing for this long is dropped");
ABSL_FLAG(uint32_t, upload_timeout_seconds, 600,
          "An upload that has not finished this long after it opened is dropped");
ABSL_FLAG(uint64_t, max_grpc_memory_bytes, uint64_t{64} << 20,
          "Memory gRPC may use for buffers of all connections (resource quota); past it the "
          "transport cancels streams instead of buffering more");
ABSL_FLAG(uint64_t, max_response_bytes, uint64_t{4} << 20,
          "Largest analysis response sent; a bigger one fails with RESOURCE_EXHAUSTED "
          "(RESPONSE_TOO_LARGE) asking for a lower max_results. gRPC clients refuse messages "
          "above 4 MiB by default");
ABSL_FLAG(uint32_t, upload_ttl_seconds, 900,
          "How long an uploaded capture's bytes count against --max-uploads");
ABSL_FLAG(uint32_t, max_captures, 64, "Capture resources (CaptureService, uploads) held at once");
ABSL_FLAG(uint32_t, capture_ttl_seconds, 900,
          "How long a capture resource is held after it was last created or uploaded");
ABSL_FLAG(uint64_t, cache_memory_bytes, uint64_t{512} << 20,
          "Memory for computed results kept per capture and arguments (least recently used "
          "leave first; 0 keeps none): later calls and pages answer without reading the capture");
ABSL_FLAG(bool, quiet, false,
          "Print nothing on a normal start and stop (errors still go to stderr); the mcpcap "
          "gateway starts its private backend with it");

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

// absl keeps only the last occurrence of a flag: merge every "--root DIR" / "--root=DIR" into
// one comma-separated "--root=" so that the flag can be repeated.
std::vector<std::string> MergeRepeatedRoots(std::vector<std::string> args) {
  std::vector<std::string> out;
  std::string roots;
  bool any = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") {
      out.insert(out.end(), args.begin() + static_cast<long>(i), args.end());
      break;
    }
    std::string value;
    if ((a == "--root" || a == "-root") && i + 1 < args.size()) {
      value = args[++i];
    } else if (a.rfind("--root=", 0) == 0 || a.rfind("-root=", 0) == 0) {
      value = a.substr(a.find('=') + 1);
    } else {
      out.push_back(a);
      continue;
    }
    roots += (any ? "," : "") + value;
    any = true;
  }
  if (any) out.insert(out.begin() + 1, "--root=" + roots);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "mcpcapd [--listen ADDR] [--max-packets N] [--workers N] [--max-queue N] [--root DIR]... "
      "[--allow-private-urls] [--max-download-bytes N] [--download-timeout-seconds N] "
      "[--max-redirects N] [--max-decompressed-bytes N] [--max-upload-bytes N] "
      "[--max-uploads N] [--max-unfinished-uploads N] [--upload-idle-timeout-seconds N] "
      "[--upload-timeout-seconds N] [--upload-ttl-seconds N] [--max-captures N] "
      "[--capture-ttl-seconds N] [--max-grpc-memory-bytes N] "
      "[--quiet] [--version]");
  mcpcap::InstallVersionFlag("mcpcapd");
  std::vector<std::string> args = MergeRepeatedRoots(mcpcap::DashesToUnderscores(argc, argv));
  std::vector<char*> arg_pointers;
  for (std::string& a : args) arg_pointers.push_back(a.data());
  absl::ParseCommandLine(static_cast<int>(arg_pointers.size()), arg_pointers.data());
  const sigset_t signals = BlockShutdownSignals();

  mcpcap::BackendConfig config;
  config.listen = absl::GetFlag(FLAGS_listen);
  config.limits.max_packets = absl::GetFlag(FLAGS_max_packets);
  config.limits.max_response_bytes = absl::GetFlag(FLAGS_max_response_bytes);
  config.workers = absl::GetFlag(FLAGS_workers);
  config.max_queue = absl::GetFlag(FLAGS_max_queue);
  config.sources.roots = absl::GetFlag(FLAGS_root);
  config.sources.fetch.policy.allow_private = absl::GetFlag(FLAGS_allow_private_urls);
  config.sources.fetch.max_bytes = absl::GetFlag(FLAGS_max_download_bytes);
  config.sources.fetch.timeout_seconds = absl::GetFlag(FLAGS_download_timeout_seconds);
  config.sources.fetch.max_redirects = absl::GetFlag(FLAGS_max_redirects);
  config.sources.max_decompressed_bytes = absl::GetFlag(FLAGS_max_decompressed_bytes);
  config.sources.uploads.max_bytes = absl::GetFlag(FLAGS_max_upload_bytes);
  config.sources.uploads.max_total_bytes =
      std::max(config.sources.uploads.max_total_bytes, config.sources.uploads.max_bytes);
  config.sources.uploads.max_count = absl::GetFlag(FLAGS_max_uploads);
  config.sources.uploads.ttl = std::chrono::seconds(absl::GetFlag(FLAGS_upload_ttl_seconds));
  config.sources.uploads.max_unfinished = absl::GetFlag(FLAGS_max_unfinished_uploads);
  config.sources.captures.max_count = absl::GetFlag(FLAGS_max_captures);
  config.sources.captures.ttl = std::chrono::seconds(absl::GetFlag(FLAGS_capture_ttl_seconds));
  config.sources.uploads.idle_timeout =
      std::chrono::seconds(absl::GetFlag(FLAGS_upload_idle_timeout_seconds));
  config.sources.uploads.total_timeout =
      std::chrono::seconds(absl::GetFlag(FLAGS_upload_timeout_seconds));
  config.grpc_memory_bytes = absl::GetFlag(FLAGS_max_grpc_memory_bytes);
  config.cache_memory_bytes = absl::GetFlag(FLAGS_cache_memory_bytes);
  auto backend = mcpcap::BackendServer::Start(config);
  if (!backend.ok()) {
    std::fprintf(stderr, "mcpcapd: %s\n", std::string(backend.status().message()).c_str());
    return 1;
  }
  const bool quiet = absl::GetFlag(FLAGS_quiet);
  if (!quiet) {
    std::fprintf(stderr, "mcpcapd: serving on %s (%u workers)\n", config.listen.c_str(),
                 (*backend)->workers());
  }

  std::thread stopper([&] {
    int signal = 0;
    sigwait(&signals, &signal);
    if (!quiet) std::fprintf(stderr, "mcpcapd: signal %d, shutting down\n", signal);
    (*backend)->Shutdown(mcpcap::kBackendShutdownGraceSeconds);
  });
  (*backend)->Wait();
  stopper.join();
  return 0;
}

// cpp-httplib's Server with the connection handling replaced: cpp-httplib 0.11 reads whole
// chunked or compressed bodies and any number of headers before a handler can refuse them, and
// gives each connection a thread while it waits for bytes. Here one epoll thread reads every
// connection's request (limits enforced by RequestFramer, a whole-request deadline, caps on
// connections overall and per client address, a bound on bytes buffered) and only a complete
// request goes to a worker, where cpp-httplib parses and routes it from memory. Idle and slow
// clients so cost a little memory, never a thread.
#ifndef MCPCAP_GATEWAY_HTTP_GUARDED_SERVER_H_
#define MCPCAP_GATEWAY_HTTP_GUARDED_SERVER_H_

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "gateway/http/request_framer.h"

namespace mcpcap::gateway {

struct ConnectionPolicy {
  RequestLimits request;
  size_t max_connections = 1024;
  size_t max_connections_per_client = 64;            // per remote address
  std::chrono::milliseconds request_timeout{10000};  // first byte to last byte of a request
  std::chrono::milliseconds idle_timeout{5000};      // keep-alive with no request started
  size_t max_buffered_bytes = 256 << 20;             // all connections' unprocessed bytes
  int workers = 64;                                  // threads handling complete requests
};

class GuardedServer : public httplib::Server {
 public:
  explicit GuardedServer(ConnectionPolicy policy);
  ~GuardedServer() override;

  // What the connection layer refused or closed, for logs and tests.
  struct Counters {
    std::atomic<uint64_t> refused{0};    // over a cap, answered 503
    std::atomic<uint64_t> evicted{0};    // idle or slow, closed to admit a newer connection
    std::atomic<uint64_t> timed_out{0};  // request not complete by its deadline (408)
    std::atomic<uint64_t> rejected{0};   // limits of RequestFramer (4xx)
  };
  const Counters& counters() const { return counters_; }

  // In a handler: the socket of the request being handled (-1 elsewhere), so a long handler
  // can notice that its client went away.
  static int CurrentSocket();
  // True when the peer of `fd` has closed or reset its connection.
  static bool PeerGone(int fd);

 private:
  struct Conn;
  using Clock = std::chrono::steady_clock;

  // Called by httplib's accept loop for each new socket (see the inline task queue).
  bool process_and_close_socket(socket_t sock) override;

  void PollLoop();
  void Admit(int fd);
  void OnReadable(const std::shared_ptr<Conn>& c);
  // Runs the framer on what `c` holds; hands a complete request to a worker.
  void Advance(const std::shared_ptr<Conn>& c);
  void Sweep(Clock::time_point now);
  void WorkerLoop();
  void Serve(const std::shared_ptr<Conn>& c);
  // Sends a short JSON-RPC error response and closes after draining briefly.
  void Refuse(const std::shared_ptr<Conn>& c, int status, const std::string& reason);
  void Close(const std::shared_ptr<Conn>& c);
  void Arm(const std::shared_ptr<Conn>& c);
  bool EvictFor(const std::string& peer, bool same_peer_only);

  const ConnectionPolicy policy_;
  Counters counters_;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  std::atomic<bool> stopping_{false};

  std::mutex mu_;  // guards everything below
  std::vector<int> accepted_;
  std::map<int, std::shared_ptr<Conn>> conns_;
  std::map<std::string, size_t> per_peer_;
  uint64_t next_id_ = 0;  // connection ids; 0 marks the wake-up descriptor
  size_t buffered_ = 0;
  std::deque<std::shared_ptr<Conn>> jobs_;
  std::condition_variable jobs_cv_;

  std::thread poller_;
  std::vector<std::thread> workers_;
};

}  // namespace mcpcap::gateway

#endif  // MCPCAP_GATEWAY_HTTP_GUARDED_SERVER_H_

#include "gateway/http/guarded_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "gateway/jsonrpc/message.h"

namespace mcpcap::gateway {
namespace {

constexpr int kWriteTimeoutMs = 5000;
// After an error answer, what is still arriving is read and dropped for a while so the client
// gets the answer rather than a reset.
constexpr std::chrono::seconds kDrainTime{2};
constexpr size_t kMaxDrainBytes = 64 << 20;  // read and dropped: costs no memory
constexpr size_t kReadChunk = 64 << 10;
constexpr char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";

thread_local int current_socket = -1;

// Accepted sockets go straight to the poller: nothing on the accept thread can block.
class InlineQueue : public httplib::TaskQueue {
 public:
  void enqueue(std::function<void()> fn) override { fn(); }
  void shutdown() override {}
};

const char* StatusText(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 408:
      return "Request Timeout";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 431:
      return "Request Header Fields Too Large";
    case 501:
      return "Not Implemented";
    default:
      return "Service Unavailable";
  }
}

std::string ErrorResponse(int status, const std::string& reason) {
  const int code = status >= 500 ? jsonrpc::kInternalError : jsonrpc::kInvalidRequest;
  const std::string body = DumpJson(jsonrpc::Error(nullptr, code, reason));
  return absl::StrCat("HTTP/1.1 ", status, " ", StatusText(status),
                      "\r\nContent-Type: application/json\r\nContent-Length: ", body.size(),
                      status == 503 ? "\r\nRetry-After: 1" : "", "\r\nConnection: close\r\n\r\n",
                      body);
}

void SendNow(int fd, const std::string& bytes) {
  (void)!send(fd, bytes.data(), bytes.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
}

std::string AddressText(const sockaddr_storage& addr, int* port) {
  char text[INET6_ADDRSTRLEN] = "";
  if (addr.ss_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&addr);
    inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
    *port = ntohs(in->sin_port);
  } else if (addr.ss_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&addr);
    inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
    *port = ntohs(in6->sin6_port);
  }
  return text;
}

// One buffered request for httplib to parse; writes go to the socket.
class RequestStream : public httplib::Stream {
 public:
  RequestStream(int fd, std::string_view request, const std::string& ip, int port)
      : fd_(fd), request_(request), ip_(ip), port_(port) {}

  bool is_readable() const override { return pos_ < request_.size(); }
  bool is_writable() const override {
    pollfd p{fd_, POLLOUT, 0};
    return poll(&p, 1, kWriteTimeoutMs) > 0 && (p.revents & (POLLERR | POLLHUP)) == 0;
  }
  ssize_t read(char* ptr, size_t size) override {
    const size_t n = std::min(size, request_.size() - pos_);
    std::memcpy(ptr, request_.data() + pos_, n);
    pos_ += n;
    return static_cast<ssize_t>(n);
  }
  ssize_t write(const char* ptr, size_t size) override {
    // The connection layer answered Expect: 100-continue already, when it was needed.
    if (std::string_view(ptr, size).rfind("HTTP/1.1 100 ", 0) == 0) {
      return static_cast<ssize_t>(size);
    }
    size_t sent = 0;
    while (sent < size) {
      const ssize_t n = send(fd_, ptr + sent, size - sent, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return -1;
      sent += static_cast<size_t>(n);
    }
    return static_cast<ssize_t>(size);
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = ip_;
    port = port_;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    port = 0;
    ip.clear();
    if (getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
      ip = AddressText(addr, &port);
    }
  }
  socket_t socket() const override { return fd_; }

 private:
  int fd_;
  std::string_view request_;
  size_t pos_ = 0;
  const std::string& ip_;
  int port_;
};

}  // namespace

struct GuardedServer::Conn {
  enum class State { kReading, kBusy, kDraining };
  uint64_t id = 0;
  int fd = -1;
  std::string peer;
  int peer_port = 0;
  std::string buf;  // unprocessed bytes (the current request and any pipelined after it)
  RequestFramer framer;
  State state = State::kReading;
  Clock::time_point started;      // first byte of the current request
  Clock::time_point last_active;  // accepted, or the last request answered
  Clock::time_point drain_until;
  size_t drained = 0;
  bool continue_sent = false;
  bool peer_closed = false;

  explicit Conn(const RequestLimits& limits) : framer(limits) {}
};

GuardedServer::GuardedServer(ConnectionPolicy policy) : policy_(policy) {
  new_task_queue = [] { return new InlineQueue; };
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = 0;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev);
  poller_ = std::thread([this] { PollLoop(); });
  for (int i = 0; i < std::max(1, policy_.workers); ++i) {
    workers_.emplace_back([this] { WorkerLoop(); });
  }
}

GuardedServer::~GuardedServer() {
  stop();
  {
    std::lock_guard<std::mutex> lock(mu_);  // no worker may miss the wake-up below
    stopping_ = true;
  }
  const uint64_t one = 1;
  (void)!::write(wake_fd_, &one, sizeof one);
  jobs_cv_.notify_all();
  poller_.join();
  for (std::thread& w : workers_) w.join();
  for (auto& [id, c] : conns_) ::close(c->fd);
  for (int fd : accepted_) ::close(fd);
  ::close(epoll_fd_);
  ::close(wake_fd_);
}

int GuardedServer::CurrentSocket() { return current_socket; }

bool GuardedServer::PeerGone(int fd) {
  if (fd < 0) return false;
  pollfd p{fd, POLLRDHUP, 0};
  return poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
}

bool GuardedServer::process_and_close_socket(socket_t sock) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    accepted_.push_back(sock);
  }
  const uint64_t one = 1;
  (void)!::write(wake_fd_, &one, sizeof one);
  return true;
}

void GuardedServer::PollLoop() {
  epoll_event events[64];
  Clock::time_point last_sweep = Clock::now();
  while (!stopping_) {
    const int n = epoll_wait(epoll_fd_, events, 64, 200);
    std::lock_guard<std::mutex> lock(mu_);
    for (int fd : accepted_) Admit(fd);
    accepted_.clear();
    for (int i = 0; i < n; ++i) {
      if (events[i].data.u64 == 0) {
        uint64_t count;
        (void)!::read(wake_fd_, &count, sizeof count);
        continue;
      }
      auto it = conns_.find(events[i].data.u64);
      if (it != conns_.end() && it->second->state != Conn::State::kBusy) OnReadable(it->second);
    }
    const Clock::time_point now = Clock::now();
    if (now - last_sweep >= std::chrono::milliseconds(200)) {
      Sweep(now);
      last_sweep = now;
    }
  }
}

void GuardedServer::Admit(int fd) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  int port = 0;
  const std::string peer = getpeername(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0
                               ? AddressText(addr, &port)
                               : std::string();
  const bool full = conns_.size() >= policy_.max_connections && !EvictFor(peer, false);
  if (full || (per_peer_[peer] >= policy_.max_connections_per_client && !EvictFor(peer, true))) {
    ++counters_.refused;
    SendNow(fd, ErrorResponse(503, "Too many connections from this address; retry later"));
    ::close(fd);
    return;
  }
  timeval tv{kWriteTimeoutMs / 1000, 0};
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  // Headers and body leave in separate writes: without this, Nagle holds the body back until
  // the client's delayed ACK of the headers (about 40 ms on every reused connection).
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  auto c = std::make_shared<Conn>(policy_.request);
  c->id = ++next_id_;
  c->fd = fd;
  c->peer = peer;
  c->peer_port = port;
  c->last_active = c->started = Clock::now();
  conns_[c->id] = c;
  ++per_peer_[peer];
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLONESHOT;
  ev.data.u64 = c->id;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev);
}

bool GuardedServer::EvictFor(const std::string& peer, bool same_peer_only) {
  // Draining first, then the longest idle, then the request slowest to arrive.
  std::shared_ptr<Conn> victim;
  auto rank = [](const Conn& c) {
    if (c.state == Conn::State::kDraining) return 0;
    return c.buf.empty() ? 1 : 2;
  };
  for (auto& [id, c] : conns_) {
    if (c->state == Conn::State::kBusy || (same_peer_only && c->peer != peer)) continue;
    if (!victim || rank(*c) < rank(*victim) ||
        (rank(*c) == rank(*victim) &&
         (c->buf.empty() ? c->last_active < victim->last_active : c->started < victim->started))) {
      victim = c;
    }
  }
  if (!victim) return false;
  ++counters_.evicted;
  Close(victim);
  return true;
}

void GuardedServer::OnReadable(const std::shared_ptr<Conn>& c) {
  char chunk[kReadChunk];
  const size_t max_raw = policy_.request.max_head_bytes + 2 * policy_.request.max_body_bytes;
  while (true) {
    const ssize_t n = recv(c->fd, chunk, sizeof chunk, MSG_DONTWAIT);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    if (n <= 0) {
      if (c->state == Conn::State::kDraining || c->buf.empty() || n < 0) return Close(c);
      c->peer_closed = true;
      break;
    }
    const size_t got = static_cast<size_t>(n);
    if (c->state == Conn::State::kDraining) {
      c->drained += got;
      if (c->drained > kMaxDrainBytes) return Close(c);
      continue;
    }
    if (c->buf.empty()) c->started = Clock::now();
    if (c->buf.size() + got > max_raw) {
      ++counters_.rejected;
      return Refuse(c, 413, absl::StrCat("request over ", max_raw, " bytes"));
    }
    if (buffered_ + got > policy_.max_buffered_bytes) {
      ++counters_.refused;
      return Refuse(c, 503, "Too much request data buffered; retry later");
    }
    c->buf.append(chunk, got);
    buffered_ += got;
    break;  // one read per wake-up: the framer judges each piece, connections take turns
  }
  if (c->state == Conn::State::kDraining) return Arm(c);
  Advance(c);
}

void GuardedServer::Advance(const std::shared_ptr<Conn>& c) {
  switch (c->framer.Update(c->buf)) {
    case RequestFramer::State::kError:
      ++counters_.rejected;
      return Refuse(c, c->framer.status(), c->framer.reason());
    case RequestFramer::State::kComplete:
      c->state = Conn::State::kBusy;
      jobs_.push_back(c);
      jobs_cv_.notify_one();
      return;
    case RequestFramer::State::kIncomplete:
      if (c->peer_closed) return Close(c);
      if (c->framer.head_done() && c->framer.expects_continue() && !c->continue_sent) {
        SendNow(c->fd, kContinue);
        c->continue_sent = true;
      }
      return Arm(c);
  }
}

void GuardedServer::Sweep(Clock::time_point now) {
  std::vector<std::shared_ptr<Conn>> idle, late;
  for (auto& [id, c] : conns_) {
    switch (c->state) {
      case Conn::State::kBusy:
        break;
      case Conn::State::kDraining:
        if (now >= c->drain_until) idle.push_back(c);
        break;
      case Conn::State::kReading:
        if (c->buf.empty() && now - c->last_active > policy_.idle_timeout) idle.push_back(c);
        if (!c->buf.empty() && now - c->started > policy_.request_timeout) late.push_back(c);
        break;
    }
  }
  for (const auto& c : idle) Close(c);
  for (const auto& c : late) {
    ++counters_.timed_out;
    Refuse(c, 408,
           absl::StrCat("the request did not arrive whole within ", policy_.request_timeout.count(),
                        " ms"));
  }
}

void GuardedServer::Refuse(const std::shared_ptr<Conn>& c, int status, const std::string& reason) {
  SendNow(c->fd, ErrorResponse(status, reason));
  shutdown(c->fd, SHUT_WR);
  buffered_ -= c->buf.size();
  std::string().swap(c->buf);
  c->state = Conn::State::kDraining;
  c->drain_until = Clock::now() + kDrainTime;
  Arm(c);
}

void GuardedServer::Close(const std::shared_ptr<Conn>& c) {
  epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, c->fd, nullptr);
  ::close(c->fd);
  buffered_ -= c->buf.size();
  std::string().swap(c->buf);
  auto peer = per_peer_.find(c->peer);
  if (peer != per_peer_.end() && --peer->second == 0) per_peer_.erase(peer);
  conns_.erase(c->id);
}

void GuardedServer::Arm(const std::shared_ptr<Conn>& c) {
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLONESHOT;
  ev.data.u64 = c->id;
  epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, c->fd, &ev);
}

void GuardedServer::WorkerLoop() {
  while (true) {
    std::shared_ptr<Conn> c;
    {
      std::unique_lock<std::mutex> lock(mu_);
      jobs_cv_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
      if (stopping_) return;
      c = std::move(jobs_.front());
      jobs_.pop_front();
    }
    Serve(c);
  }
}

void GuardedServer::Serve(const std::shared_ptr<Conn>& c) {
  while (true) {
    // Only this thread touches a busy connection's buffer.
    const size_t length = c->framer.length();
    RequestStream stream(c->fd, std::string_view(c->buf).substr(0, length), c->peer, c->peer_port);
    bool closed = false;
    current_socket = c->fd;
    const bool ok = process_request(stream, /*close_connection=*/false, closed, nullptr);
    current_socket = -1;
    std::lock_guard<std::mutex> lock(mu_);
    if (!ok || closed || c->peer_closed || stopping_) return Close(c);
    buffered_ -= length;
    c->buf.erase(0, length);
    c->framer.Reset();
    c->continue_sent = false;
    c->last_active = c->started = Clock::now();
    c->state = Conn::State::kReading;
    if (c->buf.empty()) return Arm(c);
    // A pipelined request already buffered.
    if (c->framer.Update(c->buf) != RequestFramer::State::kComplete) return Advance(c);
    c->state = Conn::State::kBusy;
  }
}

}  // namespace mcpcap::gateway

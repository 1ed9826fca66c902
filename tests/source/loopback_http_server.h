// A tiny HTTP/1.1 server on a loopback address for download tests: each route writes raw
// response bytes, so tests can send slow, endless, redirecting or wrong answers at will.
// Nothing here ever talks to anything but the loopback interface.
#ifndef MCPCAP_TESTS_SOURCE_LOOPBACK_HTTP_SERVER_H_
#define MCPCAP_TESTS_SOURCE_LOOPBACK_HTTP_SERVER_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace mcpcap::testing {

class LoopbackHttpServer {
 public:
  // Writes the whole response on `fd`; the connection is closed afterwards.
  using Handler = std::function<void(int fd)>;

  explicit LoopbackHttpServer(std::string address = "127.0.0.1");
  ~LoopbackHttpServer();

  void Route(const std::string& path, Handler handler);  // before Start()
  bool Start();
  void Stop();

  uint16_t port() const { return port_; }
  std::string Url(const std::string& path) const;
  int connections() const { return connections_.load(); }
  bool stopping() const { return stop_.load(); }

  // Helpers for handlers.
  static bool Send(int fd, const std::string& bytes);
  static void Respond(int fd, int code, const std::string& body, const std::string& headers = "");
  static void Redirect(int fd, const std::string& location);

 private:
  void AcceptLoop();
  void Serve(int fd);

  std::string address_;
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::map<std::string, Handler> routes_;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::thread acceptor_;
  std::mutex mu_;
  std::vector<std::thread> workers_;
};

// A port on 127.0.0.1 with nothing listening (bound, then closed).
uint16_t UnusedLoopbackPort();

}  // namespace mcpcap::testing

#endif  // MCPCAP_TESTS_SOURCE_LOOPBACK_HTTP_SERVER_H_

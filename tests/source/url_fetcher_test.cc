// Downloads against a loopback HTTP server started by the test: success, HTTP errors, refused
// connections, timeouts, size caps, redirects to forbidden addresses, pinning, wrong content.
// No traffic ever leaves the loopback interface: forbidden hops are refused before connecting.
#include "backend/source/url_fetcher.h"

#include <chrono>
#include <filesystem>
#include <thread>

#include "backend/base/error_details.h"
#include "backend/source/capture_location.h"
#include "backend/source/capture_reader.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/source/loopback_http_server.h"
#include "tests/testing/capture_builder.h"

namespace mcpcap {
namespace {

using ::testing::HasSubstr;
using testing::LoopbackHttpServer;

const std::function<bool()> kNever = [] { return false; };

NetAddress Ip(const char* text) { return *NetAddress::Parse(text); }

size_t EntriesIn(const std::string& dir) {
  size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++n;
  return n;
}

class UrlFetcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    capture_ = testing::BuildPcap(
        {{1700000000, 0, testing::Frame(60), 0, 0}, {1700000001, 0, testing::Frame(70), 0, 0}});
    server_.Route("/capture.pcap",
                  [this](int fd) { LoopbackHttpServer::Respond(fd, 200, capture_); });
    server_.Route("/page.html", [](int fd) {
      LoopbackHttpServer::Respond(fd, 200, "<html><body>not a capture</body></html>",
                                  "Content-Type: text/html\r\n");
    });
    server_.Route("/forbidden", [](int fd) { LoopbackHttpServer::Respond(fd, 403, "no"); });
    server_.Route("/broken", [](int fd) { LoopbackHttpServer::Respond(fd, 503, "down"); });
    server_.Route("/slow", [this](int fd) {
      LoopbackHttpServer::Send(fd, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n");
      while (!server_.stopping() && LoopbackHttpServer::Send(fd, "x")) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    });
    server_.Route("/endless", [this](int fd) {
      LoopbackHttpServer::Send(fd, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
      const std::string chunk(64 * 1024, 'z');
      while (!server_.stopping() && LoopbackHttpServer::Send(fd, chunk)) {
      }
    });
    server_.Route("/announced-huge", [](int fd) {
      LoopbackHttpServer::Send(fd, "HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n");
    });
    server_.Route(
        "/hop", [this](int fd) { LoopbackHttpServer::Redirect(fd, server_.Url("/capture.pcap")); });
    server_.Route("/relative", [](int fd) { LoopbackHttpServer::Redirect(fd, "/capture.pcap"); });
    server_.Route("/loop", [](int fd) { LoopbackHttpServer::Redirect(fd, "/loop"); });
    server_.Route("/to-metadata", [](int fd) {
      LoopbackHttpServer::Redirect(fd, "http://169.254.169.254/latest/meta-data/");
    });
    server_.Route("/to-ftp",
                  [](int fd) { LoopbackHttpServer::Redirect(fd, "ftp://127.0.0.1/capture.pcap"); });
    ASSERT_TRUE(server_.Start());
    auto dir = TempDir::Create();
    ASSERT_TRUE(dir.ok()) << dir.status();
    temp_ = std::move(*dir);
  }

  void TearDown() override {
    server_.Stop();
    // Nothing is ever left in the private directory, and it goes with its owner.
    EXPECT_EQ(EntriesIn(temp_->path()), 0u);
    const std::string path = temp_->path();
    temp_.reset();
    EXPECT_FALSE(std::filesystem::exists(path));
  }

  FetchOptions Loopback() {
    FetchOptions options;
    options.policy.allow_private = true;  // the test server is on 127.0.0.1
    options.timeout_seconds = 5;
    return options;
  }

  absl::StatusOr<std::unique_ptr<HeldFile>> Fetch(const std::string& url, FetchOptions options) {
    UrlFetcher fetcher(std::move(options), temp_.get());
    return fetcher.Fetch(url, kNever);
  }

  std::string capture_;
  LoopbackHttpServer server_;
  std::unique_ptr<TempDir> temp_;
};

TEST_F(UrlFetcherTest, DownloadsACaptureThatReadsUnderItsUrl) {
  const std::string url = server_.Url("/capture.pcap");
  auto file = Fetch(url, Loopback());
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ(std::filesystem::file_size((*file)->path()), capture_.size());
  auto reader = CaptureReader::Open((*file)->path(), url);
  ASSERT_TRUE(reader.ok()) << reader.status();
  PacketRecord rec;
  int packets = 0;
  while ((*reader)->Next(&rec)) ++packets;
  EXPECT_EQ(packets, 2);
  EXPECT_EQ(EntriesIn(temp_->path()), 0u);  // unlinked at once: only the descriptor holds it
}

TEST_F(UrlFetcherTest, HttpErrorsHaveTheirOwnCodes) {
  auto missing = Fetch(server_.Url("/nope.pcap"), Loopback());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(ErrorReasonOf(missing.status()), v1::ERROR_REASON_CAPTURE_NOT_FOUND);
  EXPECT_EQ(ErrorMetadataOf(missing.status())["http_status"], "404");
  EXPECT_THAT(missing.status().message(), HasSubstr("HTTP 404"));
  EXPECT_THAT(missing.status().message(), HasSubstr(server_.Url("/nope.pcap")));
  auto forbidden = Fetch(server_.Url("/forbidden"), Loopback());
  EXPECT_EQ(forbidden.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ErrorReasonOf(forbidden.status()), v1::ERROR_REASON_CAPTURE_UNREADABLE);
  auto broken = Fetch(server_.Url("/broken"), Loopback());
  EXPECT_EQ(broken.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(ErrorReasonOf(broken.status()), v1::ERROR_REASON_DOWNLOAD_FAILED);
  EXPECT_THAT(broken.status().message(), HasSubstr("HTTP 503"));
}

TEST_F(UrlFetcherTest, ConnectionRefusedIsUnavailable) {
  const std::string url =
      "http://127.0.0.1:" + std::to_string(testing::UnusedLoopbackPort()) + "/x.pcap";
  auto result = Fetch(url, Loopback());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(ErrorReasonOf(result.status()), v1::ERROR_REASON_DOWNLOAD_FAILED);
  EXPECT_THAT(result.status().message(), HasSubstr("cannot connect"));
  EXPECT_THAT(result.status().message(), HasSubstr(url));
}

TEST_F(UrlFetcherTest, SlowBodyHitsTheTotalTimeout) {
  FetchOptions options = Loopback();
  options.timeout_seconds = 1;
  const auto start = std::chrono::steady_clock::now();
  auto result = Fetch(server_.Url("/slow"), options);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kDeadlineExceeded) << result.status();
  EXPECT_EQ(ErrorReasonOf(result.status()), v1::ERROR_REASON_DOWNLOAD_TIMEOUT);
  EXPECT_THAT(result.status().message(), HasSubstr("--download-timeout-seconds"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4));
}

TEST_F(UrlFetcherTest, EndlessAndAnnouncedHugeBodiesAreTooLarge) {
  FetchOptions options = Loopback();
  options.max_bytes = 1 << 20;
  auto endless = Fetch(server_.Url("/endless"), options);
  EXPECT_EQ(endless.status().code(), absl::StatusCode::kResourceExhausted) << endless.status();
  EXPECT_EQ(ErrorReasonOf(endless.status()), v1::ERROR_REASON_DOWNLOAD_TOO_LARGE);
  EXPECT_EQ(ErrorMetadataOf(endless.status())["limit_bytes"], std::to_string(1 << 20));
  EXPECT_GT(std::stoull(ErrorMetadataOf(endless.status())["size_bytes"]), 1u << 20);
  EXPECT_THAT(endless.status().message(), HasSubstr("--max-download-bytes"));
  auto huge = Fetch(server_.Url("/announced-huge"), options);
  EXPECT_EQ(huge.status().code(), absl::StatusCode::kResourceExhausted) << huge.status();
  EXPECT_EQ(ErrorReasonOf(huge.status()), v1::ERROR_REASON_DOWNLOAD_TOO_LARGE);
  EXPECT_GT(std::stoull(ErrorMetadataOf(huge.status())["size_bytes"]), 1u << 20);
  EXPECT_EQ(ErrorMetadataOf(huge.status())["pcap_file"], server_.Url("/announced-huge"));
}

TEST_F(UrlFetcherTest, CancellationStopsTheTransfer) {
  UrlFetcher fetcher(Loopback(), temp_.get());
  const auto start = std::chrono::steady_clock::now();
  auto result = fetcher.Fetch(server_.Url("/slow"), [start] {
    return std::chrono::steady_clock::now() - start > std::chrono::milliseconds(200);
  });
  EXPECT_EQ(result.status().code(), absl::StatusCode::kCancelled) << result.status();
  EXPECT_EQ(ErrorReasonOf(result.status()), v1::ERROR_REASON_CALL_CANCELLED);
}

TEST_F(UrlFetcherTest, FollowsRedirectsUpToTheLimit) {
  EXPECT_TRUE(Fetch(server_.Url("/hop"), Loopback()).ok());
  EXPECT_TRUE(Fetch(server_.Url("/relative"), Loopback()).ok());
  FetchOptions none = Loopback();
  none.max_redirects = 0;
  EXPECT_EQ(Fetch(server_.Url("/hop"), none).status().code(), absl::StatusCode::kUnavailable);
  auto loop = Fetch(server_.Url("/loop"), Loopback());
  EXPECT_EQ(loop.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(ErrorReasonOf(loop.status()), v1::ERROR_REASON_DOWNLOAD_FAILED);
  EXPECT_THAT(loop.status().message(), HasSubstr("--max-redirects"));
}

TEST_F(UrlFetcherTest, RedirectToMetadataIsRefusedEvenWhenPrivateIsAllowed) {
  auto result = Fetch(server_.Url("/to-metadata"), Loopback());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ErrorReasonOf(result.status()), v1::ERROR_REASON_URL_NOT_ALLOWED);
  EXPECT_THAT(result.status().message(), HasSubstr("169.254.169.254"));
  EXPECT_THAT(result.status().message(), HasSubstr("cloud metadata"));
  EXPECT_THAT(result.status().message(), HasSubstr(server_.Url("/to-metadata")));
}

TEST_F(UrlFetcherTest, RedirectToLoopbackIsRefusedWhenPrivateIsNot) {
  // A second server on 127.0.0.2 must never be contacted: the policy refuses it first.
  LoopbackHttpServer other("127.0.0.2");
  other.Route("/capture.pcap", [this](int fd) { LoopbackHttpServer::Respond(fd, 200, capture_); });
  ASSERT_TRUE(other.Start());
  FetchOptions strict;
  strict.policy.exceptions.push_back(Ip("127.0.0.1"));  // only the first hop's server
  strict.timeout_seconds = 5;
  LoopbackHttpServer first;
  first.Route("/start",
              [&other](int fd) { LoopbackHttpServer::Redirect(fd, other.Url("/capture.pcap")); });
  ASSERT_TRUE(first.Start());
  auto result = Fetch(first.Url("/start"), strict);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kPermissionDenied) << result.status();
  EXPECT_THAT(result.status().message(), HasSubstr("127.0.0.2, a loopback address"));
  EXPECT_THAT(result.status().message(), HasSubstr("--allow-private-urls"));
  EXPECT_EQ(first.connections(), 1);
  EXPECT_EQ(other.connections(), 0);
}

TEST_F(UrlFetcherTest, LoopbackIsRefusedByDefaultWithoutConnecting) {
  FetchOptions strict;
  for (const std::string& url :
       {server_.Url("/capture.pcap"), "http://localhost:" + std::to_string(server_.port()) + "/x",
        "http://[::1]:" + std::to_string(server_.port()) + "/x", std::string("http://0.0.0.0/x")}) {
    auto result = Fetch(url, strict);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kPermissionDenied) << url;
    EXPECT_EQ(ErrorReasonOf(result.status()), v1::ERROR_REASON_URL_NOT_ALLOWED) << url;
  }
  EXPECT_EQ(server_.connections(), 0);
}

TEST_F(UrlFetcherTest, ConnectionsArePinnedToTheCheckedAddresses) {
  // "capture.test" exists only in the test's resolver: curl can reach it only through the pin.
  FetchOptions options = Loopback();
  options.resolve = [](const std::string& host) -> absl::StatusOr<std::vector<NetAddress>> {
    if (host == "capture.test") return std::vector<NetAddress>{Ip("127.0.0.1")};
    if (host == "elsewhere.test") return std::vector<NetAddress>{Ip("127.0.0.3")};
    return absl::NotFoundError("unknown host " + host);
  };
  const std::string port = std::to_string(server_.port());
  EXPECT_TRUE(Fetch("http://capture.test:" + port + "/capture.pcap", options).ok());
  // Pinned to 127.0.0.3, where nothing listens: refused, never sent to our server.
  const int before = server_.connections();
  EXPECT_EQ(Fetch("http://elsewhere.test:" + port + "/capture.pcap", options).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(server_.connections(), before);
  // One forbidden address among the answers refuses the whole host.
  options.resolve = [](const std::string&) -> absl::StatusOr<std::vector<NetAddress>> {
    return std::vector<NetAddress>{Ip("127.0.0.1"), Ip("169.254.169.254")};
  };
  EXPECT_EQ(Fetch("http://mixed.test:" + port + "/capture.pcap", options).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(UrlFetcherTest, OnlyHttpAndHttpsSchemes) {
  auto ftp = Fetch("ftp://127.0.0.1/capture.pcap", Loopback());
  EXPECT_EQ(ftp.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ErrorReasonOf(ftp.status()), v1::ERROR_REASON_INVALID_ARGUMENT);
  EXPECT_THAT(ftp.status().message(), HasSubstr("only http and https"));
  auto hop = Fetch(server_.Url("/to-ftp"), Loopback());
  EXPECT_EQ(hop.status().code(), absl::StatusCode::kInvalidArgument) << hop.status();
  EXPECT_EQ(ErrorReasonOf(hop.status()), v1::ERROR_REASON_INVALID_ARGUMENT);
  EXPECT_EQ(Fetch("http://", Loopback()).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(UrlFetcherTest, NotACaptureIsNamedByItsUrl) {
  const std::string url = server_.Url("/page.html");
  auto file = Fetch(url, Loopback());
  ASSERT_TRUE(file.ok()) << file.status();
  auto reader = CaptureReader::Open((*file)->path(), url);
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(reader.status().message(), HasSubstr(url));
  EXPECT_THAT(reader.status().message(), HasSubstr("HTML"));
  EXPECT_THAT(std::string(reader.status().message()), ::testing::Not(HasSubstr("/proc/")));
}

TEST_F(UrlFetcherTest, LocatorNamesTheUrlAndRemovesTheDownload) {
  SourceConfig config;
  config.fetch = Loopback();
  auto locator = CaptureLocator::Create(config);
  ASSERT_TRUE(locator.ok()) << locator.status();
  const std::string dir = (*locator)->temp_dir().path();
  const std::string url = server_.Url("/capture.pcap");
  {
    auto location = (*locator)->Locate(url, kNever);
    ASSERT_TRUE(location.ok()) << location.status();
    EXPECT_EQ(location->source, url);
    EXPECT_TRUE(std::filesystem::exists(location->local_path));
  }
  EXPECT_EQ(EntriesIn(dir), 0u);
  EXPECT_EQ((*locator)->Locate(server_.Url("/nope"), kNever).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(EntriesIn(dir), 0u);
  locator->reset();
  EXPECT_FALSE(std::filesystem::exists(dir));
}

}  // namespace
}  // namespace mcpcap

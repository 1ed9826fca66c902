// Finds where one HTTP/1.1 request ends in the bytes received so far, enforcing limits on what
// it would decode before anything is handed to the HTTP library: head size and header count
// (431), body bytes after chunked decoding (413), and no Content-Encoding (415), so no
// compressed body is ever inflated. Incremental: each byte is looked at about once.
#ifndef MCPCAP_GATEWAY_HTTP_REQUEST_FRAMER_H_
#define MCPCAP_GATEWAY_HTTP_REQUEST_FRAMER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace mcpcap::gateway {

struct RequestLimits {
  size_t max_head_bytes = 64 << 10;  // request line and headers
  size_t max_headers = 100;
  size_t max_body_bytes = 4 << 20;  // decoded
};

class RequestFramer {
 public:
  enum class State { kIncomplete, kComplete, kError };

  explicit RequestFramer(RequestLimits limits) : limits_(limits) {}

  // `buffered` holds the request from its first byte, possibly with more after it, and only
  // grows between calls (until Reset). kComplete: the request is the first length() bytes.
  // kError: answer status() with reason() and close the connection.
  State Update(std::string_view buffered);
  void Reset() { *this = RequestFramer(limits_); }

  size_t length() const { return length_; }
  int status() const { return status_; }
  const std::string& reason() const { return reason_; }
  bool expects_continue() const { return expect_continue_; }
  bool head_done() const { return head_end_ != 0; }

 private:
  State Fail(int status, std::string reason);
  State ParseHead(std::string_view head);
  State ScanChunked(std::string_view buffered);

  RequestLimits limits_;
  size_t scanned_ = 0;   // bytes of the head already searched for its end
  size_t head_end_ = 0;  // offset of the body, once the head is complete
  bool chunked_ = false;
  uint64_t content_length_ = 0;
  bool expect_continue_ = false;
  // Chunked body: where the next thing to parse starts, and what it is.
  enum class Chunk { kSize, kData, kDataEnd, kTrailer };
  Chunk chunk_ = Chunk::kSize;
  size_t chunk_pos_ = 0;
  uint64_t chunk_left_ = 0;
  uint64_t decoded_ = 0;
  size_t length_ = 0;
  int status_ = 0;
  std::string reason_;
};

}  // namespace mcpcap::gateway

#endif  // MCPCAP_GATEWAY_HTTP_REQUEST_FRAMER_H_

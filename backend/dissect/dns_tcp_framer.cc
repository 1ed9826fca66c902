#include "backend/dissect/dns_tcp_framer.h"

#include <algorithm>

#include "backend/dissect/dns.h"

namespace mcpcap {

void DnsTcpFramer::Reset() {
  buffer_.clear();
  bad_ = false;
}

DnsFrameStatus DnsTcpFramer::Next(Bytes* input, Bytes* message) {
  if (bad_) {
    *input = Bytes();
    return DnsFrameStatus::kBad;
  }
  // Fast path: nothing pending and a whole message in the input, returned without a copy.
  if (buffer_.empty() && input->size() >= 2) {
    const size_t len = LoadU16Be(input->data());
    if (len < kDnsHeaderSize) {
      bad_ = true;
      *input = Bytes();
      return DnsFrameStatus::kBad;
    }
    if (input->size() >= 2 + len) {
      *message = input->subspan(2, len);
      input->remove_prefix(2 + len);
      return DnsFrameStatus::kMessage;
    }
  }
  // Slow path: complete the length prefix, then the message, in the buffer.
  if (buffer_.size() < 2) {
    const size_t take = std::min<size_t>(2 - buffer_.size(), input->size());
    buffer_.insert(buffer_.end(), input->begin(), input->begin() + take);
    input->remove_prefix(take);
    if (buffer_.size() < 2) return DnsFrameStatus::kNeedMore;
    if (LoadU16Be(buffer_.data()) < kDnsHeaderSize) {
      bad_ = true;
      buffer_.clear();
      *input = Bytes();
      return DnsFrameStatus::kBad;
    }
  }
  const size_t want = 2 + LoadU16Be(buffer_.data());
  const size_t take = std::min(want - buffer_.size(), input->size());
  buffer_.insert(buffer_.end(), input->begin(), input->begin() + take);
  input->remove_prefix(take);
  if (buffer_.size() < want) return DnsFrameStatus::kNeedMore;
  // The message is handed out from a copy that survives clearing the buffer for the next one.
  done_.swap(buffer_);
  buffer_.clear();
  *message = Bytes(done_).subspan(2);
  return DnsFrameStatus::kMessage;
}

}  // namespace mcpcap

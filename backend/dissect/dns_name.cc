#include "backend/dissect/dns_name.h"

#include <algorithm>
#include <array>

namespace mcpcap {

void AppendEscapedLabel(Bytes label, std::string* out) {
  for (uint8_t b : label) {
    switch (b) {
      case '.':
      case '\\':
      case '"':
      case '(':
      case ')':
      case ';':
      case '@':
      case '$':
        out->push_back('\\');
        out->push_back(static_cast<char>(b));
        continue;
      default:
        break;
    }
    if (b > 0x20 && b < 0x7f) {
      out->push_back(static_cast<char>(b));
    } else {
      out->push_back('\\');
      out->push_back(static_cast<char>('0' + b / 100));
      out->push_back(static_cast<char>('0' + b / 10 % 10));
      out->push_back(static_cast<char>('0' + b % 10));
    }
  }
}

bool ReadDnsName(Bytes message, size_t pos, size_t limit, size_t* next, std::string* out,
                 DnsAnomalySet* anomalies) {
  out->clear();
  limit = std::min(limit, message.size());
  std::array<size_t, kDnsMaxPointerHops> visited;
  size_t hops = 0;
  size_t wire_length = 1;  // the final zero byte
  size_t labels = 0;
  bool jumped = false;
  size_t p = pos;
  auto fail = [&](DnsAnomaly a) {
    anomalies->Add(a);
    if (out->empty()) out->assign(kDnsRootName);
    return false;
  };
  for (;;) {
    // Before the first pointer the name must stay inside `limit`; after it, inside the message.
    const size_t end = jumped ? message.size() : limit;
    if (p >= end) return fail(DnsAnomaly::kTruncatedName);
    const uint8_t len = message[p];
    if (len == 0) {
      if (!jumped) *next = p + 1;
      break;
    }
    if ((len & 0xc0) == 0xc0) {
      if (p + 1 >= end) return fail(DnsAnomaly::kTruncatedName);
      const size_t target = static_cast<size_t>(len & 0x3f) << 8 | message[p + 1];
      if (!jumped) *next = p + 2;
      jumped = true;
      if (target >= message.size()) return fail(DnsAnomaly::kPointerPastEnd);
      if (target >= p) anomalies->Add(DnsAnomaly::kPointerForward);
      if (hops == visited.size() ||
          std::find(visited.begin(), visited.begin() + hops, target) != visited.begin() + hops) {
        return fail(DnsAnomaly::kPointerLoop);
      }
      visited[hops++] = target;
      p = target;
      continue;
    }
    if ((len & 0xc0) != 0) return fail(DnsAnomaly::kLabelTooLong);
    if (p + 1 + len > end) return fail(DnsAnomaly::kTruncatedName);
    if (++labels > kDnsMaxLabels) return fail(DnsAnomaly::kTooManyLabels);
    wire_length += 1 + len;
    if (wire_length > kDnsMaxNameWireLength) return fail(DnsAnomaly::kNameTooLong);
    if (!out->empty()) out->push_back('.');
    AppendEscapedLabel(message.subspan(p + 1, len), out);
    p += 1 + len;
  }
  if (out->empty()) out->assign(kDnsRootName);
  return true;
}

}  // namespace mcpcap

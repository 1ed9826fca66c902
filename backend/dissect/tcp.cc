#include "backend/dissect/tcp.h"

namespace mcpcap {
namespace {

constexpr size_t kMinHeader = 20;

enum : uint8_t {
  kEndOfOptions = 0,
  kNop = 1,
  kMss = 2,
  kWindowScale = 3,
  kSackPermitted = 4,
  kSack = 5,
  kTimestamps = 8,
};

// Stores one well-formed-length option; false when its length does not fit its kind.
bool StoreOption(uint8_t kind, const uint8_t* body, size_t body_length, TcpOptions* o) {
  switch (kind) {
    case kMss:
      if (body_length != 2) return false;
      o->has_mss = true;
      o->mss = LoadU16Be(body);
      return true;
    case kWindowScale:
      if (body_length != 1) return false;
      o->has_window_scale = true;
      o->window_scale = body[0];
      return true;
    case kSackPermitted:
      if (body_length != 0) return false;
      o->sack_permitted = true;
      return true;
    case kSack: {
      if (body_length == 0 || body_length % 8 != 0 || body_length / 8 > 4) return false;
      o->sack_block_count = static_cast<uint8_t>(body_length / 8);
      for (size_t i = 0; i < o->sack_block_count; ++i) {
        o->sack[i].left = LoadU32Be(body + 8 * i);
        o->sack[i].right = LoadU32Be(body + 8 * i + 4);
      }
      return true;
    }
    case kTimestamps:
      if (body_length != 8) return false;
      o->has_timestamps = true;
      o->ts_val = LoadU32Be(body);
      o->ts_ecr = LoadU32Be(body + 4);
      return true;
    default:
      return true;  // kinds we do not keep are skipped by length
  }
}

}  // namespace

bool DecodeTcpOptions(Bytes options_bytes, TcpOptions* options, AnomalySet* anomalies) {
  ByteReader r(options_bytes);
  uint8_t kind = 0;
  while (r.ReadU8(&kind)) {
    if (kind == kEndOfOptions) return true;
    if (kind == kNop) continue;
    uint8_t length = 0;
    if (!r.ReadU8(&length)) {
      anomalies->Add(Anomaly::kTcpOptionTruncated);
      return false;
    }
    if (length < 2) {  // would not even cover kind and length: parsing cannot go on
      anomalies->Add(Anomaly::kTcpOptionBadLength);
      return false;
    }
    Bytes body;
    if (!r.ReadBytes(length - 2, &body)) {
      anomalies->Add(Anomaly::kTcpOptionTruncated);
      return false;
    }
    if (!StoreOption(kind, body.data(), body.size(), options)) {
      anomalies->Add(Anomaly::kTcpOptionBadLength);
      return false;
    }
  }
  return true;
}

void DecodeTcp(Bytes data, size_t wire_length, DecodedPacket* out) {
  if (data.size() < kMinHeader || wire_length < kMinHeader) {
    out->anomalies.Add(Anomaly::kTcpTruncated);
    return;
  }
  const uint8_t* p = data.data();
  const size_t header_length = static_cast<size_t>(p[12] >> 4) * 4;
  if (header_length < kMinHeader || header_length > wire_length) {
    out->anomalies.Add(Anomaly::kTcpBadDataOffset);
    return;
  }
  if (header_length > data.size()) {
    out->anomalies.Add(Anomaly::kTcpTruncated);
    return;
  }
  out->src_port = LoadU16Be(p);
  out->dst_port = LoadU16Be(p + 2);
  TcpInfo& tcp = out->tcp;
  tcp.seq = LoadU32Be(p + 4);
  tcp.ack = LoadU32Be(p + 8);
  tcp.flags = static_cast<uint16_t>((p[12] & 1) << 8 | p[13]);
  tcp.window = LoadU16Be(p + 14);
  tcp.urgent = LoadU16Be(p + 18);
  tcp.header_length = static_cast<uint8_t>(header_length);
  out->l4_kind = L4Kind::kTcp;
  out->payload = data.subspan(header_length);
  DecodeTcpOptions(data.subspan(kMinHeader, header_length - kMinHeader), &tcp.options,
                   &out->anomalies);
}

}  // namespace mcpcap

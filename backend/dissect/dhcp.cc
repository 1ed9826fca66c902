#include "backend/dissect/dhcp.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace mcpcap {
namespace {

constexpr size_t kBootpHeader = 236;
constexpr uint32_t kMagicCookie = 0x63825363;

std::string NulTrimmed(Bytes field) {
  size_t n = 0;
  while (n < field.size() && field[n] != 0) ++n;
  return std::string(reinterpret_cast<const char*>(field.data()), n);
}

DhcpOption* FindMutable(std::vector<DhcpOption>& options, uint8_t code) {
  for (DhcpOption& o : options) {
    if (o.code == code) return &o;
  }
  return nullptr;
}

// Reads one option area (the options field, or file/sname when overloaded). Returns true when it
// ended with END.
bool ParseArea(Bytes area, DhcpMessage* msg) {
  ByteReader r(area);
  while (!r.empty()) {
    uint8_t code = 0, len = 0;
    r.ReadU8(&code);
    if (code == 0) continue;       // pad
    if (code == 255) return true;  // end
    Bytes data;
    if (!r.ReadU8(&len) || !r.ReadBytes(len, &data)) {
      msg->Add(DhcpAnomaly::kOptionTruncated);
      return true;  // the area is broken: END cannot be expected after this
    }
    // RFC 3396: an option that appears again continues the first one.
    if (DhcpOption* existing = FindMutable(msg->options, code)) {
      existing->data.append(reinterpret_cast<const char*>(data.data()), data.size());
      continue;
    }
    if (msg->options.size() >= kMaxDhcpOptions) {
      msg->Add(DhcpAnomaly::kTooManyOptions);
      continue;
    }
    msg->options.push_back(
        DhcpOption{code, std::string(reinterpret_cast<const char*>(data.data()), data.size())});
  }
  return false;
}

}  // namespace

absl::string_view DhcpAnomalyName(DhcpAnomaly a) {
  switch (a) {
    case DhcpAnomaly::kTruncated:
      return "dhcp_truncated";
    case DhcpAnomaly::kBadHardwareLength:
      return "dhcp_bad_hardware_length";
    case DhcpAnomaly::kOptionTruncated:
      return "dhcp_option_truncated";
    case DhcpAnomaly::kOptionBadLength:
      return "dhcp_option_bad_length";
    case DhcpAnomaly::kOptionBadValue:
      return "dhcp_option_bad_value";
    case DhcpAnomaly::kMissingEnd:
      return "dhcp_option_end_missing";
    case DhcpAnomaly::kBadOverload:
      return "dhcp_bad_overload";
    case DhcpAnomaly::kTooManyOptions:
      return "dhcp_too_many_options";
    case DhcpAnomaly::kCount:
      break;
  }
  return "dhcp_unknown_anomaly";
}

const DhcpOption* DhcpMessage::Find(uint8_t code) const {
  for (const DhcpOption& o : options) {
    if (o.code == code) return &o;
  }
  return nullptr;
}

uint8_t DhcpMessage::message_type() const {
  const DhcpOption* o = Find(53);
  return o != nullptr && o->data.size() == 1 ? static_cast<uint8_t>(o->data[0]) : 0;
}

std::string DhcpMessage::ClientHardwareAddress() const {
  const size_t n = hlen > 16 ? 16 : hlen;
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    if (i > 0) out += ':';
    absl::StrAppend(&out, absl::Hex(chaddr[i], absl::kZeroPad2));
  }
  return out;
}

std::optional<DhcpMessage> ParseDhcp(Bytes payload, bool* truncated) {
  // A message cut short is still one once op, htype, hlen and the client hardware address are
  // there (tshark lists it from then on); the missing rest of the header reads as zeros.
  const size_t least = payload.size() < 3 || payload[2] == 0 ? 3 : 28 + size_t{payload[2]};
  if (payload.size() < least) {
    if (truncated != nullptr) *truncated = true;
    return std::nullopt;
  }
  DhcpMessage m;
  uint8_t padded[kBootpHeader] = {};
  if (payload.size() < kBootpHeader) {
    std::copy(payload.begin(), payload.end(), padded);
    m.Add(DhcpAnomaly::kTruncated);
    if (truncated != nullptr) *truncated = true;
  }
  const uint8_t* p = payload.size() < kBootpHeader ? padded : payload.data();
  m.op = p[0];
  m.htype = p[1];
  m.hlen = p[2];
  m.hops = p[3];
  m.xid = LoadU32Be(p + 4);
  m.secs = LoadU16Be(p + 8);
  m.flags = LoadU16Be(p + 10);
  m.ciaddr = IpAddress::V4(p + 12);
  m.yiaddr = IpAddress::V4(p + 16);
  m.siaddr = IpAddress::V4(p + 20);
  m.giaddr = IpAddress::V4(p + 24);
  for (int i = 0; i < 16; ++i) m.chaddr[i] = p[28 + i];
  if (m.hlen > 16 || (m.htype == 1 && m.hlen != 6)) m.Add(DhcpAnomaly::kBadHardwareLength);
  const Bytes sname(p + 44, 64);
  const Bytes file(p + 108, 128);

  ByteReader r(payload.size() < kBootpHeader ? Bytes() : payload.subspan(kBootpHeader));
  uint32_t magic = 0;
  m.has_magic = r.ReadU32Be(&magic) && magic == kMagicCookie;
  if (m.has_magic) {
    if (!ParseArea(r.rest(), &m)) m.Add(DhcpAnomaly::kMissingEnd);
    if (const DhcpOption* o = m.Find(52)) {
      if (o->data.size() == 1 && o->data[0] >= 1 && o->data[0] <= 3) {
        m.overload = static_cast<uint8_t>(o->data[0]);
      } else {
        m.Add(DhcpAnomaly::kBadOverload);
      }
    }
    // RFC 2131 4.1: the file field is read before sname.
    if (m.overload & 1) ParseArea(file, &m);
    if (m.overload & 2) ParseArea(sname, &m);
  }
  if (!(m.overload & 2)) m.sname = NulTrimmed(sname);
  if (!(m.overload & 1)) m.file = NulTrimmed(file);
  return m;
}

std::string DhcpMessageTypeName(uint8_t type) {
  static constexpr const char* kNames[] = {
      nullptr,
      "DISCOVER",
      "OFFER",
      "REQUEST",
      "DECLINE",
      "ACK",
      "NAK",
      "RELEASE",
      "INFORM",
      "FORCERENEW",
      "LEASEQUERY",
      "LEASEUNASSIGNED",
      "LEASEUNKNOWN",
      "LEASEACTIVE",
      "BULKLEASEQUERY",
      "LEASEQUERYDONE",
      "ACTIVELEASEQUERY",
      "LEASEQUERYSTATUS",
      "TLS",
  };
  if (type >= 1 && type <= 18) return kNames[type];
  return absl::StrCat("Unknown(", type, ")");
}

}  // namespace mcpcap

// Signatures of the binary protocols. Each checks the fixed fields of the first message and
// the lengths that must agree, so that random bytes pass with negligible probability.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "backend/payload/detect/detect_signatures.h"

namespace mcpcap::payload::detect {
namespace {

bool IsPrintable(uint8_t c) { return c >= 0x20 && c < 0x7f; }

// A DNS name at `r`'s position: labels of 1..63 bytes ending in the root label, 255 bytes at
// most; a compression pointer is allowed (it ends the name). kNeedMore when `b` ends inside.
Match SkipDnsName(ByteReader& r) {
  size_t total = 0;
  for (int labels = 0; labels < 128; ++labels) {
    uint8_t len = 0;
    if (!r.ReadU8(&len)) return Match::kNeedMore;
    if (len == 0) return Match::kYes;
    if ((len & 0xc0) == 0xc0) return r.Skip(1) ? Match::kYes : Match::kNeedMore;
    if (len > 63) return Match::kNo;
    total += len + 1;
    if (total > 255) return Match::kNo;
    if (!r.Skip(len)) return Match::kNeedMore;
  }
  return Match::kNo;
}

// A DNS message (without the TCP length prefix): a sane header and a first question that
// parses. Queries carry no answers; responses carry bounded counts.
Match DnsMessage(Bytes b) {
  ByteReader r(b);
  uint16_t id, flags, qd, an, ns, ar;
  if (!r.ReadU16Be(&id) || !r.ReadU16Be(&flags) || !r.ReadU16Be(&qd) || !r.ReadU16Be(&an) ||
      !r.ReadU16Be(&ns) || !r.ReadU16Be(&ar)) {
    return Match::kNeedMore;
  }
  const bool response = flags & 0x8000;
  const int opcode = (flags >> 11) & 0xf;
  if (opcode != 0 && opcode != 1 && opcode != 2 && opcode != 4 && opcode != 5) return Match::kNo;
  if (flags & 0x0040) return Match::kNo;  // the Z bit is always zero
  if (qd > 4) return Match::kNo;
  // A message without a question is a response carrying records (mDNS announcements).
  if (qd == 0 && (!response || an + ns + ar == 0)) return Match::kNo;
  if (!response && (an > 64 || ns > 8 || ar > 4)) return Match::kNo;  // mDNS known answers
  if (response && (flags & 0xf) > 10) return Match::kNo;              // rcode
  if (an > 256 || ns > 256 || ar > 256) return Match::kNo;
  // The first question, or the first record: a name, then type and class (and TTL, length).
  const Match name = SkipDnsName(r);
  if (name != Match::kYes) return name;
  uint16_t type, klass;
  if (!r.ReadU16Be(&type) || !r.ReadU16Be(&klass)) return Match::kNeedMore;
  if (type == 0) return Match::kNo;
  const uint16_t cls = klass & 0x7fff;  // mDNS uses the top bit ("unicast response", "flush")
  if (cls != 1 && cls != 3 && cls != 4 && cls != 254 && cls != 255) return Match::kNo;
  if (qd == 0) {
    uint32_t ttl;
    uint16_t rdlength;
    if (!r.ReadU32Be(&ttl) || !r.ReadU16Be(&rdlength)) return Match::kNeedMore;
    if (rdlength > r.remaining() && r.remaining() < 512) return Match::kNo;
  }
  return Match::kYes;
}

// The first MySQL packet's header: 3-byte length, sequence id.
bool MySqlHeader(Bytes b, uint32_t* length, uint8_t* seq) {
  if (b.size() < 4) return false;
  *length = b[0] | uint32_t{b[1]} << 8 | uint32_t{b[2]} << 16;
  *seq = b[3];
  return true;
}

}  // namespace

Match MySqlServer(Bytes b) {
  uint32_t length;
  uint8_t seq;
  if (!MySqlHeader(b, &length, &seq)) return Match::kNeedMore;
  if (seq != 0 || length < 20 || length > 1024) return Match::kNo;
  ByteReader r(b.subspan(4));
  uint8_t version;
  if (!r.ReadU8(&version)) return Match::kNeedMore;
  if (version != 10) return Match::kNo;
  // Server version: printable, NUL-terminated, starting with a digit ("8.0.36", "5.5.5-10.11.6").
  for (size_t i = 0; i < 64; ++i) {
    uint8_t c;
    if (!r.ReadU8(&c)) return Match::kNeedMore;
    if (c == 0) {
      if (i == 0) return Match::kNo;
      // thread id (4), auth data part 1 (8), filler 0.
      if (!r.Skip(4 + 8)) return Match::kNeedMore;
      uint8_t filler;
      if (!r.ReadU8(&filler)) return Match::kNeedMore;
      return filler == 0 && r.position() <= length ? Match::kYes : Match::kNo;
    }
    if (!IsPrintable(c) || (i == 0 && (c < '0' || c > '9'))) return Match::kNo;
  }
  return Match::kNo;
}

Match MySqlClient(Bytes b) {
  uint32_t length;
  uint8_t seq;
  if (!MySqlHeader(b, &length, &seq)) return Match::kNeedMore;
  if (seq != 1 || length < 32 || length > 65536) return Match::kNo;
  if (b.size() < 4 + 32) {
    // Judge what is there: the capability flags must speak protocol 4.1.
    if (b.size() >= 6 && !(b[5] & 0x02)) return Match::kNo;
    return Match::kNeedMore;
  }
  const uint32_t caps = LoadU32Le(b.data() + 4);
  if (!(caps & 0x200)) return Match::kNo;  // CLIENT_PROTOCOL_41
  for (size_t i = 4 + 9; i < 4 + 32; ++i) {
    if (b[i] != 0) return Match::kNo;  // 23 reserved zero bytes
  }
  if (length == 32) return (caps & 0x800) ? Match::kYes : Match::kNo;  // SSLRequest
  return Match::kYes;
}

Match PostgreSqlClient(Bytes b) {
  if (b.size() < 8) return Match::kNeedMore;
  const uint32_t length = LoadU32Be(b.data());
  const uint32_t code = LoadU32Be(b.data() + 4);
  if (code == 80877103 || code == 80877104) return length == 8 ? Match::kYes : Match::kNo;
  if (code == 80877102) return length == 16 ? Match::kYes : Match::kNo;
  // Protocol 2.0's startup packet has a fixed size (database, user, options, ... in fixed fields).
  if (code == 0x00020000) return length == 296 ? Match::kYes : Match::kNo;
  // Protocol 3.x: a minor version the server may not know still starts a session (the server
  // answers NegotiateProtocolVersion or an error).
  if (code >> 16 != 3 || (code & 0xFFFF) > 0xFF || length < 9 || length > 10000) return Match::kNo;
  // Parameters: NUL-terminated printable names and values; the first name is a plain word.
  ByteReader r(b.subspan(8, std::min<size_t>(b.size(), length) - 8));
  size_t name_length = 0;
  uint8_t c;
  while (r.ReadU8(&c)) {
    if (c == 0) return name_length > 0 ? Match::kYes : Match::kNo;
    if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
      return Match::kNo;
    if (++name_length > 64) return Match::kNo;
  }
  return b.size() >= length ? Match::kNo : Match::kNeedMore;
}

Match PostgreSqlServer(Bytes b) {
  if (!b.empty() && b[0] == 'N') {
    // SSLRequest / GSSENCRequest refused: the session goes on in clear text.
    if (b.size() == 1) return Match::kNeedMore;
    return b[1] == 'N' ? Match::kNo : PostgreSqlServer(b.subspan(1));
  }
  if (!b.empty() && b[0] == 'S' && b.size() >= 2 && b[1] == 0x16) return Match::kYes;  // SSL
  if (b.size() < 5) {
    return b.empty() || b[0] == 'R' || b[0] == 'E' || b[0] == 'v' || b[0] == 'S' ? Match::kNeedMore
                                                                                 : Match::kNo;
  }
  const uint32_t length = LoadU32Be(b.data() + 1);
  if (b[0] == 'v') {
    // NegotiateProtocolVersion: the newest minor version the server speaks, then the count of
    // startup options it did not recognise.
    if (length < 12 || length > 4096) return Match::kNo;
    if (b.size() < 13) return Match::kNeedMore;
    return LoadU32Be(b.data() + 5) <= 0xFF && LoadU32Be(b.data() + 9) <= 256 ? Match::kYes
                                                                             : Match::kNo;
  }
  if (b[0] == 'R') {
    if (length < 8 || length > 2048) return Match::kNo;
    if (b.size() < 9) return Match::kNeedMore;
    const uint32_t auth = LoadU32Be(b.data() + 5);
    // Ok, KerberosV5, Cleartext, MD5, GSS, GSSContinue, SSPI, SASL, SASLContinue, SASLFinal.
    const bool known =
        auth == 0 || auth == 2 || auth == 3 || auth == 5 || (auth >= 7 && auth <= 12);
    if (!known) return Match::kNo;
    if (auth == 5 && length != 12) return Match::kNo;
    if ((auth == 0 || auth == 3) && length != 8) return Match::kNo;
    return Match::kYes;
  }
  if (b[0] == 'E') {
    // ErrorResponse: fields of a code letter and a NUL-terminated text; severity first.
    if (length < 8 || length > 8192) return Match::kNo;
    if (b.size() < 6) return Match::kNeedMore;
    if (b[5] != 'S' && b[5] != 'V') return Match::kNo;
    static constexpr absl::string_view kSeverities[] = {"FATAL", "ERROR", "PANIC"};
    const absl::string_view text(reinterpret_cast<const char*>(b.data()) + 6, b.size() - 6);
    for (absl::string_view s : kSeverities) {
      if (text.size() < s.size() + 1) {
        if (s.substr(0, text.size()) == text) return Match::kNeedMore;
        continue;
      }
      if (text.substr(0, s.size()) == s && text[s.size()] == 0) return Match::kYes;
    }
    return Match::kNo;
  }
  return Match::kNo;
}

namespace {

constexpr uint32_t kOpReply = 1, kOpQuery = 2004, kOpCompressed = 2012, kOpMsg = 2013;

// The 16-byte MongoDB header plus the first fields of its body.
Match MongoDbMessage(Bytes b, bool request) {
  if (b.size() < 16) return Match::kNeedMore;
  const uint32_t length = LoadU32Le(b.data());
  const uint32_t response_to = LoadU32Le(b.data() + 8);
  const uint32_t op = LoadU32Le(b.data() + 12);
  if (length < 21 || length > 48 * 1024 * 1024) return Match::kNo;
  if (request != (response_to == 0)) return Match::kNo;
  if (op == kOpMsg) {
    if (b.size() < 21) return Match::kNeedMore;
    const uint32_t flags = LoadU32Le(b.data() + 16);
    if (flags & ~0x10003u) return Match::kNo;  // checksumPresent, moreToCome, exhaustAllowed
    const uint8_t kind = b[20];
    return kind <= 2 ? Match::kYes : Match::kNo;
  }
  if (op == kOpQuery && request) {
    // flags, then fullCollectionName "db.collection" NUL-terminated.
    ByteReader r(b.subspan(20));
    bool dot = false;
    for (size_t i = 0; i < 256; ++i) {
      uint8_t c;
      if (!r.ReadU8(&c)) return Match::kNeedMore;
      if (c == 0) return dot && i > 2 ? Match::kYes : Match::kNo;
      if (!IsPrintable(c)) return Match::kNo;
      if (c == '.') dot = true;
    }
    return Match::kNo;
  }
  if (op == kOpReply && !request) {
    if (length < 36) return Match::kNo;
    if (b.size() < 36) return Match::kNeedMore;
    const uint32_t number_returned = LoadU32Le(b.data() + 32);
    return number_returned <= length / 5 ? Match::kYes : Match::kNo;
  }
  if (op == kOpCompressed) {
    if (b.size() < 25) return Match::kNeedMore;
    const uint32_t original_op = LoadU32Le(b.data() + 16);
    const uint8_t compressor = b[24];
    if (original_op != kOpMsg && original_op != kOpQuery && original_op != kOpReply)
      return Match::kNo;
    return compressor <= 3 ? Match::kYes : Match::kNo;
  }
  return Match::kNo;
}

}  // namespace

Match MongoDbClient(Bytes b) { return MongoDbMessage(b, /*request=*/true); }
Match MongoDbServer(Bytes b) { return MongoDbMessage(b, /*request=*/false); }
uint32_t MongoDbRequestId(Bytes b) { return b.size() >= 8 ? LoadU32Le(b.data() + 4) : 0; }
uint32_t MongoDbResponseTo(Bytes b) { return b.size() >= 12 ? LoadU32Le(b.data() + 8) : 0; }

namespace {

// A TLS record header: a content type, version 3.0..3.4 (TLS 1.3 records say 3.3 or 3.1) and a
// length within the record limit. `handshake` is the handshake type wanted when the record is a
// handshake record (0 = any record type will do).
Match TlsRecord(Bytes b, uint8_t handshake) {
  if (b.empty()) return Match::kNeedMore;
  const uint8_t type = b[0];
  if (type < 20 || type > 23) return Match::kNo;
  if (b.size() < 2) return Match::kNeedMore;
  if (b[1] != 3) return Match::kNo;
  if (b.size() < 3) return Match::kNeedMore;
  if (b[2] > 4) return Match::kNo;
  if (b.size() < 5) return Match::kNeedMore;
  const uint16_t length = LoadU16Be(b.data() + 3);
  if (length == 0 || length > 16384 + 2048) return Match::kNo;
  if (type == 22) {
    if (b.size() < 9) return Match::kNeedMore;
    const uint32_t hs_length = uint32_t{b[6]} << 16 | uint32_t{b[7]} << 8 | b[8];
    if (b[5] != handshake && handshake != 0) return Match::kNo;
    if (hs_length < 4 || hs_length > (1u << 20)) return Match::kNo;
    if (b.size() < 11) return Match::kNeedMore;
    // client_version / server_version inside the hello.
    if ((b[5] == 1 || b[5] == 2) && (b[9] != 3 || b[10] > 4)) return Match::kNo;
    return Match::kYes;
  }
  if (type == 21 && length != 2 && b[2] != 4) return Match::kWeak;  // encrypted alerts vary
  // A record that is not a hello (a capture that began after the handshake): a second record
  // header right after it, when visible, must be sane as well.
  if (b.size() >= 5u + length + 5u) {
    const Match next = TlsRecord(b.subspan(5 + length), 0);
    if (next == Match::kNo) return Match::kNo;
  }
  return handshake == 0 ? Match::kYes : Match::kWeak;
}

// SSLv2-compatible ClientHello: 2-byte length with the top bit set, type 1, version 2.0..3.3.
Match SslV2ClientHello(Bytes b) {
  if (b.size() < 5) return Match::kNeedMore;
  if (!(b[0] & 0x80) || b[2] != 1) return Match::kNo;
  const uint16_t length = static_cast<uint16_t>((b[0] & 0x7f) << 8 | b[1]);
  const uint16_t version = LoadU16Be(b.data() + 3);
  if (version != 0x0002 && (version < 0x0300 || version > 0x0303)) return Match::kNo;
  if (length < 9 + 3) return Match::kNo;
  if (b.size() < 11) return Match::kNeedMore;
  const uint16_t cipher_specs = LoadU16Be(b.data() + 5);
  const uint16_t session_id = LoadU16Be(b.data() + 7);
  const uint16_t challenge = LoadU16Be(b.data() + 9);
  if (cipher_specs == 0 || cipher_specs % 3 != 0) return Match::kNo;
  if (session_id != 0 && session_id != 16) return Match::kNo;
  if (challenge < 16 || challenge > 32) return Match::kNo;
  return 9u + cipher_specs + session_id + challenge == length ? Match::kYes : Match::kNo;
}

}  // namespace

Match TlsClient(Bytes b) {
  if (!b.empty() && (b[0] & 0x80)) return SslV2ClientHello(b);
  return TlsRecord(b, !b.empty() && b[0] == 22 ? 1 : 0);
}

Match TlsServer(Bytes b) { return TlsRecord(b, !b.empty() && b[0] == 22 ? 2 : 0); }

Match DnsTcp(Bytes b) {
  if (b.size() < 2) return Match::kNeedMore;
  const uint16_t length = LoadU16Be(b.data());
  if (length < 17) return Match::kNo;  // header + the shortest question
  const Match m = DnsMessage(b.subspan(2, std::min<size_t>(b.size() - 2, length)));
  if (m == Match::kNeedMore && b.size() >= 2u + length) return Match::kNo;
  return m;
}

Match DnsUdp(Bytes b) {
  const Match m = DnsMessage(b);
  return m == Match::kNeedMore ? Match::kNo : m;  // a datagram is all there is
}

Match Dhcp(Bytes b) {
  if (b.size() < 240) return Match::kNo;
  const uint8_t op = b[0], htype = b[1], hlen = b[2];
  if (op != 1 && op != 2) return Match::kNo;
  if (htype == 0 || htype > 40 || hlen > 16) return Match::kNo;
  return LoadU32Be(b.data() + 236) == 0x63825363 ? Match::kYes : Match::kNo;
}

Match Dhcpv6(Bytes b) {
  if (b.size() < 4) return Match::kNo;
  const uint8_t type = b[0];
  if (type == 0 || type > 13) return Match::kNo;
  // Relay messages (12, 13) carry hop count + two addresses before the options.
  const size_t options_at = type >= 12 ? 34 : 4;
  if (b.size() < options_at) return Match::kNo;
  ByteReader r(b.subspan(options_at));
  int options = 0;
  while (!r.empty()) {
    uint16_t code, length;
    if (!r.ReadU16Be(&code) || !r.ReadU16Be(&length)) return Match::kNo;
    if (code == 0 || code > 200 || !r.Skip(length)) return Match::kNo;
    ++options;
  }
  return options > 0 ? Match::kYes : Match::kNo;
}

Match Quic(Bytes b) {
  if (b.size() < 7) return Match::kNo;
  if (!(b[0] & 0x80)) {
    // Google QUIC before Q046: public flags (version bit, 8-byte connection id), the connection
    // id, then the version "Q0nn".
    if ((b[0] & 0xc0) == 0 && (b[0] & 0x0d) == 0x0d && b.size() >= 13 && b[9] == 'Q' &&
        b[10] == '0' && b[11] >= '0' && b[11] <= '9' && b[12] >= '0' && b[12] <= '9') {
      return Match::kYes;
    }
    // A short header (a flow whose first packets were not captured): only the fixed bit (IETF)
    // or the connection-id flags (Google) and a minimal size say anything.
    if (b.size() < 21) return Match::kNo;
    return (b[0] & 0x40) || ((b[0] & 0xc0) == 0 && (b[0] & 0x0c) == 0x0c) ? Match::kWeak
                                                                          : Match::kNo;
  }
  const uint32_t version = LoadU32Be(b.data() + 1);
  const bool negotiation = version == 0;
  const bool known = version == 0x00000001 || version == 0x6b3343cf ||
                     (version & 0xffffff00) == 0xff000000 ||
                     (version & 0xffff0000) == 0x51300000;  // Google QUIC "Q0xx"
  if (!negotiation && !known) return Match::kNo;
  if (!negotiation && !(b[0] & 0x40)) return Match::kNo;  // the fixed bit
  ByteReader r(b.subspan(5));
  uint8_t dcid_length, scid_length;
  if (!r.ReadU8(&dcid_length) || dcid_length > 20 || !r.Skip(dcid_length)) return Match::kNo;
  if (!r.ReadU8(&scid_length) || scid_length > 20 || !r.Skip(scid_length)) return Match::kNo;
  if (negotiation) {
    // A list of 4-byte versions follows.
    return r.remaining() >= 4 && r.remaining() % 4 == 0 ? Match::kYes : Match::kNo;
  }
  return r.remaining() >= 1 ? Match::kYes : Match::kNo;
}

Match Ntp(Bytes b) {
  if (b.size() != 48 && b.size() != 60 && b.size() != 68 && b.size() < 72) return Match::kNo;
  const int version = (b[0] >> 3) & 7;
  const int mode = b[0] & 7;
  const uint8_t stratum = b[1];
  if (version < 1 || version > 4) return Match::kNo;
  if (mode < 1 || mode > 5) return Match::kNo;
  if (stratum > 16) return Match::kNo;
  const auto poll = static_cast<int8_t>(b[2]);
  if (poll < -6 || poll > 17) return Match::kNo;
  return version >= 3 ? Match::kYes : Match::kWeak;
}

namespace {

// A BER length at `r`: short form or long form with up to 4 bytes.
bool ReadBerLength(ByteReader& r, uint32_t* length) {
  uint8_t first;
  if (!r.ReadU8(&first)) return false;
  if (!(first & 0x80)) {
    *length = first;
    return true;
  }
  const int n = first & 0x7f;
  if (n == 0 || n > 4) return false;
  uint32_t v = 0;
  for (int i = 0; i < n; ++i) {
    uint8_t c;
    if (!r.ReadU8(&c)) return false;
    v = v << 8 | c;
  }
  *length = v;
  return true;
}

}  // namespace

Match Snmp(Bytes b) {
  ByteReader r(b);
  uint8_t tag;
  uint32_t length;
  if (!r.ReadU8(&tag) || tag != 0x30 || !ReadBerLength(r, &length)) return Match::kNo;
  if (length != r.remaining()) return Match::kNo;  // the message fills the datagram
  uint32_t version_length;
  uint8_t version;
  if (!r.ReadU8(&tag) || tag != 0x02 || !ReadBerLength(r, &version_length) || version_length != 1 ||
      !r.ReadU8(&version)) {
    return Match::kNo;
  }
  if (version == 3) {
    // msgGlobalData is a SEQUENCE.
    return r.ReadU8(&tag) && tag == 0x30 ? Match::kYes : Match::kNo;
  }
  if (version > 1) return Match::kNo;
  uint32_t community_length;
  Bytes community;
  if (!r.ReadU8(&tag) || tag != 0x04 || !ReadBerLength(r, &community_length) ||
      community_length > 255 || !r.ReadBytes(community_length, &community)) {
    return Match::kNo;
  }
  for (uint8_t c : community) {
    if (!IsPrintable(c)) return Match::kNo;
  }
  // GetRequest .. Report (0xa0..0xa8), or the v1 Trap (0xa4).
  return r.ReadU8(&tag) && tag >= 0xa0 && tag <= 0xa8 ? Match::kYes : Match::kNo;
}

}  // namespace mcpcap::payload::detect

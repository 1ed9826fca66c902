#include "backend/payload/tls/tls_parser.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "backend/payload/common/heap_bytes.h"
#include "backend/payload/tls/tls_handshake.h"
#include "backend/payload/tls/tls_names.h"

namespace mcpcap::payload {
namespace {

constexpr uint8_t kChangeCipherSpec = 20;
constexpr uint8_t kAlert = 21;
constexpr uint8_t kHandshake = 22;
constexpr uint8_t kApplicationData = 23;
constexpr uint8_t kHeartbeat = 24;

constexpr uint8_t kClientHello = 1;
constexpr uint8_t kServerHello = 2;
constexpr uint8_t kCertificate = 11;
constexpr uint8_t kServerKeyExchange = 12;

constexpr size_t kRecordHeader = 5;
constexpr size_t kMaxRecordBody = 18432;  // 2^14 + 2048: the TLS 1.2 ciphertext bound
constexpr size_t kMaxHandshakeBytes = 64 * 1024;
constexpr uint64_t kResyncBudget = 64 * 1024;  // bytes searched for a record header after a gap
constexpr size_t kMaxNotes = 8;

bool PlausibleHeader(const uint8_t* p) {
  return p[0] >= kChangeCipherSpec && p[0] <= kHeartbeat && p[1] == 3 && p[2] <= 4 &&
         LoadU16Be(p + 3) <= kMaxRecordBody;
}

// An SSLv2-compatible ClientHello: 2-byte length with the high bit set, msg_type 1, version
// 0x0002 or 0x03nn.
bool LooksLikeSslv2Hello(Bytes d) {
  return d.size() >= 5 && (d[0] & 0x80) != 0 && d[2] == 1 &&
         ((d[3] == 0 && d[4] == 2) || (d[3] == 3 && d[4] <= 4));
}

// The first record header in `data` worth trusting: plausible, and followed by another plausible
// header when the data reaches that far.
bool FindRecord(Bytes data, size_t from, size_t* at) {
  for (size_t i = from; i + kRecordHeader <= data.size(); ++i) {
    const uint8_t* p = data.data() + i;
    if (!PlausibleHeader(p)) continue;
    const size_t next = i + kRecordHeader + LoadU16Be(p + 3);
    if (next + kRecordHeader <= data.size() && !PlausibleHeader(data.data() + next)) continue;
    *at = i;
    return true;
  }
  return false;
}

const char* Direction(Side from) {
  return from == Side::kClient ? "client to server" : "server to client";
}

std::string Head(Bytes b) {
  return std::string(reinterpret_cast<const char*>(b.data()), std::min(b.size(), kPreviewBytes));
}

std::string VersionList(const std::vector<uint16_t>& versions) {
  std::vector<std::string> names;
  for (uint16_t v : versions) names.push_back(TlsVersionName(v));
  return absl::StrJoin(names, ",");
}

class TlsParser : public StreamParser {
 public:
  TlsParser(PayloadEvents* events, FlowFacts* facts) : events_(events), facts_(facts) {}

  ParseStatus Parse(Side from, StreamView& view) override;
  // The next Parse handles the gap as a new one, whatever the view read before.
  void OnBytesLost(Side from) override { side(from).in_gap = false; }
  void OnEnd(Side from) override { FlushRun(from); }
  void Finish() override {
    FlushRun(Side::kClient);
    FlushRun(Side::kServer);
  }
  size_t MemoryBytes() const override {
    return sizeof(*this) + HeapBytes(client_.handshake) + HeapBytes(client_.run.type) +
           HeapBytes(server_.handshake) + HeapBytes(server_.run.type);
  }

 private:
  // Consecutive encrypted records of one kind from one side, reported as one message.
  struct Run {
    bool open = false;
    std::string type;  // "ApplicationData" or "EncryptedHandshake"
    Position start;
    uint64_t records = 0;
    uint64_t bytes = 0;  // record bodies
    uint64_t wire_bytes = 0;
  };
  struct SideState {
    bool started = false;
    bool encrypted = false;  // its handshake records can no longer be read
    bool finished = false;   // sent its Finished (or application data)
    bool resyncing = false;
    bool in_gap = false;             // the view's after_gap() as last seen
    size_t resync_scanned = 0;       // bytes searched without finding a header
    uint64_t encrypted_records = 0;  // application_data records sent
    std::vector<uint8_t> handshake;  // the handshake message being reassembled (bounded)
    Position handshake_start;
    uint64_t handshake_skip = 0;  // bytes left of an oversized handshake message
    Run run;
  };

  SideState& side(Side s) { return s == Side::kClient ? client_ : server_; }

  bool ParseSslv2(Side from, StreamView& view, bool* need_more);
  void OnRecord(Side from, uint8_t type, StreamView& view, Bytes body, uint64_t total);
  void OnHandshakeBytes(Side from, StreamView& view, Bytes fragment);
  void OnHandshake(Side from, uint8_t type, Bytes body);
  void OnClientHello(const TlsClientHello& hello, AppMessage& m);
  void OnServerHello(const TlsServerHello& hello, AppMessage& m);
  void OnCertificate(Side from, Bytes body, AppMessage& m);
  void OnEncryptedRecord(Side from, const std::string& type, Position at, uint64_t body,
                         uint64_t total);
  void FlushRun(Side from);
  void MarkEncrypted() {
    facts_->encrypted = true;
    facts_->encryption = "tls";
  }
  void UpdateComplete() {
    if (client_.finished && server_.finished) facts_->tls.handshake_complete = true;
  }
  void Note(std::string note) {
    if (facts_->notes.size() < kMaxNotes) facts_->notes.push_back(std::move(note));
  }
  void Emit(AppMessage m) { events_->OnMessage(std::move(m)); }

  PayloadEvents* events_;
  FlowFacts* facts_;
  SideState client_;
  SideState server_;
  bool tls13_ = false;        // the server chose TLS 1.3
  bool hello_retry_ = false;  // a HelloRetryRequest was seen (TLS 1.3 is being negotiated)
};

ParseStatus TlsParser::Parse(Side from, StreamView& view) {
  SideState& s = side(from);
  while (true) {
    // A gap is handled once, even when the bytes after it are not consumed at once (the flag
    // of the view stays set until they are).
    const bool new_gap = view.after_gap() && !s.in_gap;
    s.in_gap = view.after_gap();
    if (new_gap) {
      s.resyncing = true;
      s.resync_scanned = 0;
      s.handshake.clear();
      s.handshake_skip = 0;
      FlushRun(from);
      Note(absl::StrCat(Direction(from),
                        ": bytes lost in a gap; parsing resumed at the next "
                        "record header"));
    }
    Bytes data = view.data();
    if (s.resyncing) {
      // Nothing is consumed until a header is found, so that the feeder still knows the side is
      // after a gap if we give up; the search goes on where it stopped.
      size_t at = 0;
      if (!FindRecord(data, std::min<size_t>(s.resync_scanned, data.size()), &at)) {
        s.resync_scanned = data.size() > kRecordHeader - 1 ? data.size() - (kRecordHeader - 1) : 0;
        if (data.size() > kResyncBudget) {
          Note(absl::StrCat(Direction(from), ": no TLS record header found after a gap"));
          return ParseStatus::kBad;
        }
        return ParseStatus::kNeedMore;
      }
      view.Consume(at);
      s.resyncing = false;
      data = view.data();
    }
    if (data.size() < kRecordHeader) return ParseStatus::kNeedMore;
    if (!s.started && LooksLikeSslv2Hello(data)) {
      bool need_more = false;
      if (!ParseSslv2(from, view, &need_more)) return ParseStatus::kBad;
      if (need_more) return ParseStatus::kNeedMore;
      continue;
    }
    if (!PlausibleHeader(data.data())) {
      if (s.started) Note(absl::StrCat(Direction(from), ": malformed TLS record header"));
      return ParseStatus::kBad;
    }
    const uint8_t type = data[0];
    const size_t length = LoadU16Be(data.data() + 3);
    const uint64_t total = kRecordHeader + length;
    // Records read in clear are small (one record at most); the others are skipped unread.
    const bool read_body =
        (type == kHandshake && !s.encrypted) || type == kChangeCipherSpec || type == kAlert;
    if (read_body && data.size() < total) return ParseStatus::kNeedMore;
    if (!facts_->tls.seen) {
      facts_->tls.seen = true;
      facts_->tls.record_version = TlsVersionName(LoadU16Be(data.data() + 1));
    }
    s.started = true;
    FlushRun(Other(from));  // the other side's run ends when this side speaks
    const Bytes body = read_body ? data.subspan(kRecordHeader, length) : Bytes();
    OnRecord(from, type, view, body, total);
    view.Consume(total);
  }
}

bool TlsParser::ParseSslv2(Side from, StreamView& view, bool* need_more) {
  const Bytes data = view.data();
  const size_t length = (size_t{data[0]} & 0x7f) << 8 | data[1];
  if (data.size() < 2 + length) {
    *need_more = true;
    return true;
  }
  TlsClientHello hello;
  if (!ParseSslv2ClientHello(data.subspan(2, length), &hello)) return false;
  side(from).started = true;
  facts_->tls.seen = true;
  if (facts_->tls.record_version.empty()) facts_->tls.record_version = "SSL 2.0";
  AppMessage m;
  m.from = from;
  m.start = view.PositionAt(0);
  m.type = "ClientHello";
  m.length = 2 + length;
  m.head = Head(data);
  OnClientHello(hello, m);
  m.summary += " (SSLv2-compatible record)";
  m.fields.emplace_back("record", "SSLv2");
  Emit(std::move(m));
  view.Consume(2 + length);
  return true;
}

void TlsParser::OnRecord(Side from, uint8_t type, StreamView& view, Bytes body, uint64_t total) {
  SideState& s = side(from);
  const Position at = view.PositionAt(0);
  const uint64_t body_length = total - kRecordHeader;
  if (type == kApplicationData) {
    // TLS 1.3 sends its handshake after ServerHello as application_data records: the server's
    // flight until the client's first such record, and that record (the client's Finished).
    const bool handshake = tls13_ && ((from == Side::kServer && client_.encrypted_records == 0) ||
                                      (from == Side::kClient && s.encrypted_records == 0));
    OnEncryptedRecord(from, handshake ? "EncryptedHandshake" : "ApplicationData", at, body_length,
                      total);
    ++s.encrypted_records;
    s.finished = true;
    UpdateComplete();
    return;
  }
  FlushRun(from);
  AppMessage m;
  m.from = from;
  m.start = at;
  m.length = total;
  if (type == kHandshake && !s.encrypted) {
    OnHandshakeBytes(from, view, body);
    return;
  }
  if (type == kHandshake) {
    // After ChangeCipherSpec: the first is the side's Finished, later ones renegotiation.
    m.type = s.finished ? "EncryptedHandshake" : "Finished";
    m.summary = absl::StrCat(m.type, " (encrypted, ", body_length, " bytes)");
    s.finished = true;
    MarkEncrypted();
    UpdateComplete();
  } else if (type == kChangeCipherSpec) {
    m.type = "ChangeCipherSpec";
    if (tls13_ || hello_retry_) {
      // TLS 1.3 middlebox compatibility: a dummy record, encryption follows ServerHello.
      m.summary = "ChangeCipherSpec (TLS 1.3 compatibility, no meaning)";
    } else {
      m.summary = "ChangeCipherSpec: later handshake records of this side are encrypted";
      s.encrypted = true;
      MarkEncrypted();
    }
  } else if (type == kAlert) {
    m.type = "Alert";
    if (s.encrypted || body.size() != 2) {
      m.summary = "Alert (encrypted)";
    } else {
      const std::string level = TlsAlertLevelName(body[0]);
      const std::string description = TlsAlertName(body[1]);
      m.summary = absl::StrCat("Alert ", level, ": ", description);
      m.fields = {{"level", level}, {"description", description}};
      facts_->tls.alert = absl::StrCat(level, ": ", description);
    }
    m.head = Head(body);
  } else {
    m.type = "Heartbeat";
    m.summary = absl::StrCat("Heartbeat (", body_length, " bytes)");
  }
  Emit(std::move(m));
}

void TlsParser::OnHandshakeBytes(Side from, StreamView& view, Bytes fragment) {
  SideState& s = side(from);
  size_t pos = 0;
  while (true) {
    if (s.handshake_skip > 0) {
      if (pos == fragment.size()) return;
      const size_t n =
          static_cast<size_t>(std::min<uint64_t>(s.handshake_skip, fragment.size() - pos));
      s.handshake_skip -= n;
      pos += n;
      continue;
    }
    if (s.encrypted) return;  // a message read earlier in this record switched to encryption
    if (s.handshake.size() < 4) {
      if (pos == fragment.size()) return;
      if (s.handshake.empty()) s.handshake_start = view.PositionAt(kRecordHeader + pos);
      const size_t n = std::min(4 - s.handshake.size(), fragment.size() - pos);
      s.handshake.insert(s.handshake.end(), fragment.begin() + pos, fragment.begin() + pos + n);
      pos += n;
      continue;
    }
    const size_t body_length =
        size_t{s.handshake[1]} << 16 | size_t{s.handshake[2]} << 8 | s.handshake[3];
    if (body_length > kMaxHandshakeBytes) {
      AppMessage m;
      m.from = from;
      m.start = s.handshake_start;
      m.type = TlsHandshakeName(s.handshake[0]);
      m.length = 4 + body_length;
      m.summary = absl::StrCat(m.type, " (", body_length, " bytes: too large, not read)");
      Emit(std::move(m));
      Note(absl::StrCat(Direction(from), ": skipped a ", body_length, "-byte handshake message"));
      s.handshake_skip = body_length;
      s.handshake.clear();
      continue;
    }
    const size_t n = std::min(4 + body_length - s.handshake.size(), fragment.size() - pos);
    s.handshake.insert(s.handshake.end(), fragment.begin() + pos, fragment.begin() + pos + n);
    pos += n;
    if (s.handshake.size() < 4 + body_length) return;  // continues in the next record
    const std::vector<uint8_t> message = std::move(s.handshake);
    s.handshake.clear();
    OnHandshake(from, message[0], Bytes(message.data() + 4, body_length));
  }
}

void TlsParser::OnHandshake(Side from, uint8_t type, Bytes body) {
  AppMessage m;
  m.from = from;
  m.start = side(from).handshake_start;
  m.type = TlsHandshakeName(type);
  m.length = 4 + body.size();
  m.head = Head(body);
  if (type == kClientHello) {
    TlsClientHello hello;
    if (ParseClientHello(body, &hello)) {
      OnClientHello(hello, m);
    } else {
      m.summary = "ClientHello (malformed)";
    }
  } else if (type == kServerHello) {
    TlsServerHello hello;
    if (ParseServerHello(body, &hello)) {
      OnServerHello(hello, m);
    } else {
      m.summary = "ServerHello (malformed)";
    }
  } else if (type == kCertificate && !tls13_) {
    OnCertificate(from, body, m);
  } else if (type == kServerKeyExchange) {
    uint16_t group = 0;
    m.summary = absl::StrCat("ServerKeyExchange (", body.size(), " bytes)");
    const bool ecdhe = facts_->tls.has_cipher &&
                       absl::StrContains(TlsCipherSuiteName(facts_->tls.cipher), "_ECDHE_");
    if (ecdhe && ParseServerKeyExchangeGroup(body, &group)) {
      m.fields.emplace_back("named_group", TlsNamedGroupName(group));
      absl::StrAppend(&m.summary, ", ", TlsNamedGroupName(group));
    }
  } else {
    m.summary = absl::StrCat(m.type, " (", body.size(), " bytes)");
  }
  Emit(std::move(m));
}

void TlsParser::OnClientHello(const TlsClientHello& hello, AppMessage& m) {
  TlsFacts& tls = facts_->tls;
  const uint16_t highest = hello.HighestVersion();
  tls.client_version = TlsVersionName(highest);
  tls.sni = hello.sni;
  tls.alpn_offered = hello.alpn;
  tls.ciphers_offered = hello.ciphers;
  const std::string alpn = absl::StrJoin(hello.alpn, ",");
  m.summary = absl::StrCat("ClientHello ", tls.client_version);
  if (!hello.sni.empty()) absl::StrAppend(&m.summary, ", SNI ", hello.sni);
  if (!alpn.empty()) absl::StrAppend(&m.summary, ", ALPN ", alpn);
  absl::StrAppend(&m.summary, ", ", hello.ciphers.size(), " cipher suites");
  m.fields.emplace_back("version", TlsVersionName(hello.version));
  m.fields.emplace_back("client_version", tls.client_version);
  if (!hello.sni.empty()) m.fields.emplace_back("sni", hello.sni);
  if (!alpn.empty()) m.fields.emplace_back("alpn", alpn);
  m.fields.emplace_back("cipher_suites", absl::StrCat(hello.ciphers.size()));
  if (!hello.supported_versions.empty()) {
    m.fields.emplace_back("supported_versions", VersionList(hello.supported_versions));
  }
}

void TlsParser::OnServerHello(const TlsServerHello& hello, AppMessage& m) {
  TlsFacts& tls = facts_->tls;
  const std::string version = TlsVersionName(hello.NegotiatedVersion());
  const std::string cipher = TlsCipherSuiteName(hello.cipher);
  if (hello.hello_retry) {
    hello_retry_ = true;
    m.type = "HelloRetryRequest";
    m.summary = absl::StrCat("HelloRetryRequest ", version, ", ", cipher);
    m.fields = {{"version", version}, {"cipher", cipher}};
    return;
  }
  tls.version = version;
  tls.cipher = hello.cipher;
  tls.has_cipher = true;
  tls.alpn = hello.alpn;
  m.summary = absl::StrCat("ServerHello ", version, ", ", cipher);
  m.fields = {{"version", version}, {"cipher", cipher}};
  if (!hello.alpn.empty()) {
    absl::StrAppend(&m.summary, ", ALPN ", hello.alpn);
    m.fields.emplace_back("alpn", hello.alpn);
  }
  if (IsTls13(hello.NegotiatedVersion())) {
    // Everything after ServerHello is encrypted, both ways.
    tls13_ = true;
    client_.encrypted = true;
    server_.encrypted = true;
    MarkEncrypted();
    Note("TLS 1.3: the certificates and the rest of the handshake are encrypted");
  }
}

void TlsParser::OnCertificate(Side from, Bytes body, AppMessage& m) {
  std::vector<Certificate> chain;
  const int count = ParseCertificateChain(body, kMaxTlsCertificates, &chain);
  if (count < 0) {
    m.summary = "Certificate (malformed)";
    return;
  }
  m.summary = absl::StrCat("Certificate: ", count, count == 1 ? " certificate" : " certificates");
  m.fields.emplace_back("certificates", absl::StrCat(count));
  if (!chain.empty()) {
    const Certificate& leaf = chain.front();
    absl::StrAppend(&m.summary, ", subject ", leaf.subject, ", issuer ", leaf.issuer, ", valid ",
                    leaf.not_before, " to ", leaf.not_after);
    m.fields.emplace_back("subject", leaf.subject);
    m.fields.emplace_back("issuer", leaf.issuer);
    m.fields.emplace_back("not_before", leaf.not_before);
    m.fields.emplace_back("not_after", leaf.not_after);
  }
  // The server's chain is a fact of the session; a client certificate is only a message.
  if (from == Side::kServer && facts_->tls.certificates.empty()) {
    facts_->tls.certificates = std::move(chain);
  }
}

void TlsParser::OnEncryptedRecord(Side from, const std::string& type, Position at, uint64_t body,
                                  uint64_t total) {
  MarkEncrypted();
  if (type == "ApplicationData") facts_->tls.application_data_bytes += body;
  Run& run = side(from).run;
  if (run.open && run.type != type) FlushRun(from);
  if (!run.open) {
    run = Run{};
    run.open = true;
    run.type = type;
    run.start = at;
  }
  ++run.records;
  run.bytes += body;
  run.wire_bytes += total;
}

void TlsParser::FlushRun(Side from) {
  Run& run = side(from).run;
  if (!run.open) return;
  AppMessage m;
  m.from = from;
  m.start = run.start;
  m.type = run.type;
  m.length = run.wire_bytes;
  m.summary = absl::StrCat(run.type, ": ", run.records,
                           run.records == 1 ? " record, " : " records, ", run.bytes, " bytes");
  if (run.type == "EncryptedHandshake") absl::StrAppend(&m.summary, " (TLS 1.3, not readable)");
  m.fields = {{"records", absl::StrCat(run.records)}, {"bytes", absl::StrCat(run.bytes)}};
  run = Run{};
  Emit(std::move(m));
}

}  // namespace

std::unique_ptr<StreamParser> MakeTlsParser(PayloadEvents* events, FlowFacts* facts) {
  return std::make_unique<TlsParser>(events, facts);
}

}  // namespace mcpcap::payload

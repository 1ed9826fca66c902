// HTTP, SIP and TLS layers of get_packet_details (declared in layer_app.h).
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "backend/analysis/packets/layer_app.h"
#include "backend/dissect/sip.h"
#include "backend/payload/http/http_message.h"
#include "backend/payload/tls/tls_handshake.h"

namespace mcpcap {
namespace {

constexpr uint16_t kSipPort = 5060;
constexpr size_t kMaxHttpLine = 8 * 1024;
constexpr size_t kMaxHttpHead = 64 * 1024;
constexpr int kMaxTlsRecords = 16;
constexpr size_t kTlsRecordHeader = 5;
constexpr size_t kTlsHandshakeHeader = 4;

absl::string_view Text(Bytes b) {
  return absl::string_view(reinterpret_cast<const char*>(b.data()), b.size());
}

// tshark's field for an HTTP header, when it has one of its own.
absl::string_view HttpHeaderField(absl::string_view lower) {
  static constexpr struct {
    const char* header;
    const char* field;
  } kFields[] = {{"host", "http.host"},
                 {"user-agent", "http.user_agent"},
                 {"content-type", "http.content_type"},
                 {"content-length", "http.content_length_header"},
                 {"server", "http.server"},
                 {"connection", "http.connection"},
                 {"accept", "http.accept"},
                 {"cookie", "http.cookie"},
                 {"set-cookie", "http.set_cookie"},
                 {"location", "http.location"},
                 {"referer", "http.referer"},
                 {"authorization", "http.authorization"},
                 {"transfer-encoding", "http.transfer_encoding"},
                 {"cache-control", "http.cache_control"},
                 {"date", "http.date"},
                 {"last-modified", "http.last_modified"}};
  for (const auto& f : kFields) {
    if (lower == f.header) return f.field;
  }
  return "";
}

// "call-id" -> "Call-ID": tshark's spelling of SIP header fields (sip.Call-ID, sip.CSeq).
std::string SipFieldName(absl::string_view canonical) {
  if (canonical == "call-id") return "sip.Call-ID";
  if (canonical == "cseq") return "sip.CSeq";
  if (canonical == "www-authenticate") return "sip.WWW-Authenticate";
  std::string out = "sip.";
  bool start = true;
  for (char c : canonical) {
    out.push_back(start ? absl::ascii_toupper(static_cast<unsigned char>(c)) : c);
    start = c == '-';
  }
  return out;
}

}  // namespace

// One HTTP head at the start of `payload` as a layer; returns the bytes of the message this
// segment holds whole (head and Content-Length body), 0 when none or cut.
size_t AddHttpMessage(LayerContext* ctx, Bytes payload) {
  const absl::string_view text = Text(payload);
  const std::optional<absl::string_view> line = payload::LineAt(text, kMaxHttpLine);
  if (!line || (!payload::IsRequestLine(*line) && !payload::IsStatusLine(*line))) return 0;
  // The head when this segment holds all of it, else the start line alone.
  size_t head_end = payload::FindHeadEnd(text.substr(0, kMaxHttpHead), 0);
  const std::string start_only = absl::StrCat(*line, "\r\n\r\n");
  const absl::string_view head = head_end != 0 ? text.substr(0, head_end) : start_only;
  payload::HttpHead parsed;
  if (!payload::ParseHttpHead(head, &parsed)) return 0;
  const bool whole_head = head_end != 0;
  if (head_end == 0) head_end = line->size();
  std::optional<LayerWriter> w = LayerWriter::Open(ctx, "http", payload.data(), head_end);
  if (!w) return 0;
  if (parsed.is_request) {
    w->Add("http.request.method", parsed.method);
    w->Add("http.request.uri", parsed.uri);
    w->Add("http.request.version", parsed.version);
  } else {
    w->Add("http.response.version", parsed.version);
    w->AddNumber("http.response.code", static_cast<uint64_t>(parsed.status));
    w->Add("http.response.phrase", parsed.reason);
  }
  for (const auto& [name, value] : parsed.headers) {
    const absl::string_view field = HttpHeaderField(absl::AsciiStrToLower(name));
    if (!field.empty()) {
      w->Add(field, value);
    } else {
      w->Add(parsed.is_request ? "http.request.line" : "http.response.line",
             absl::StrCat(name, ": ", value));
    }
  }
  if (!whole_head) return 0;
  size_t body = 0;
  if (auto length = parsed.Get("content-length")) {
    if (!absl::SimpleAtoi(*length, &body)) return 0;
  } else if (parsed.Get("transfer-encoding")) {
    return 0;  // chunked: its end is not looked for here
  }
  return body <= payload.size() - head_end ? head_end + body : 0;
}

bool AddHttpLayer(LayerContext* ctx, Bytes payload) {
  // Pipelined messages a segment holds one after another, each a layer (as Wireshark).
  constexpr int kMaxMessagesPerSegment = 16;
  bool any = false;
  for (int i = 0; i < kMaxMessagesPerSegment && !payload.empty(); ++i) {
    const size_t before = static_cast<size_t>(ctx->out->layers_size());
    const size_t used = AddHttpMessage(ctx, payload);
    any |= static_cast<size_t>(ctx->out->layers_size()) > before;
    if (used == 0) break;
    payload = payload.subspan(used);
  }
  return any;
}

// One SIP message at the start of `payload` as a layer; returns its length (0: none).
size_t AddSipMessage(LayerContext* ctx, bool tcp, Bytes payload) {
  SipMessage msg;
  size_t consumed = 0;
  const SipParseStatus status =
      tcp ? FrameSipMessage(payload, &msg, &consumed) : ParseSipDatagram(payload, &msg);
  // Over TCP only a message the segment holds whole (one cut, or a segment starting mid-message,
  // needs the stream).
  if (status != SipParseStatus::kOk && (tcp || status != SipParseStatus::kBad)) return 0;
  if (msg.start_line.empty()) return 0;
  const size_t length = tcp ? consumed : payload.size();
  std::optional<LayerWriter> w =
      LayerWriter::Open(ctx, "sip", payload.data(),
                        length != 0 && length <= payload.size() ? length : payload.size());
  if (!w) return 0;
  if (msg.is_request) {
    w->Add("sip.Request-Line", msg.start_line);
    w->Add("sip.Method", msg.method);
    w->Add("sip.r-uri", msg.request_uri);
  } else {
    w->Add("sip.Status-Line", msg.start_line);
    w->AddNumber("sip.Status-Code", msg.status_code);
  }
  for (const SipHeaderField& header : msg.headers) {
    w->Add(SipFieldName(header.name), header.value);
  }
  return length;
}

bool AddSipLayer(LayerContext* ctx, bool tcp, uint16_t src_port, uint16_t dst_port, Bytes payload) {
  if (src_port != kSipPort && dst_port != kSipPort && !LooksLikeSip(payload)) return false;
  constexpr int kMaxMessagesPerSegment = 16;
  bool any = false;
  for (int i = 0; i < kMaxMessagesPerSegment && !payload.empty(); ++i) {
    const size_t used = AddSipMessage(ctx, tcp, payload);
    if (used == 0) break;
    any = true;
    if (!tcp || used >= payload.size()) break;
    payload = payload.subspan(used);
  }
  return any;
}

bool AddTlsLayer(LayerContext* ctx, Bytes payload) {
  const HeaderBytes h(payload);
  const std::optional<uint8_t> first = h.U8(0);
  const std::optional<uint8_t> major = h.U8(1);
  if (!first || *first < 20 || *first > 23 || major != 3 || !h.Has(0, kTlsRecordHeader)) {
    return false;
  }
  std::optional<LayerWriter> w = LayerWriter::Open(ctx, "tls", payload.data(), payload.size());
  if (!w) return true;
  size_t at = 0;
  bool encrypted = false;
  for (int i = 0; i < kMaxTlsRecords && h.Has(at, kTlsRecordHeader); ++i) {
    const uint8_t type = *h.U8(at);
    if (type < 20 || type > 23 || h.U8(at + 1) != 3) break;
    w->U8("tls.record.content_type", h, at);
    w->Hex16("tls.record.version", h, at + 1);
    w->U16("tls.record.length", h, at + 3);
    const size_t length = *h.U16(at + 3);
    const Bytes body = h.Sub(at + kTlsRecordHeader, length);
    const HeaderBytes b(body);
    if (type == 21 && length == 2) {
      w->U8("tls.alert_message.level", b, 0);
      w->U8("tls.alert_message.desc", b, 1);
    }
    // The first handshake message of a record the segment holds whole, before any
    // ChangeCipherSpec (after it handshake records are encrypted).
    if (type == 20) encrypted = true;
    if (type == 22 && !encrypted && body.size() == length && b.Has(0, kTlsHandshakeHeader)) {
      const uint8_t msg_type = *b.U8(0);
      if (msg_type <= 24) {
        w->U8("tls.handshake.type", b, 0);
        w->AddNumber("tls.handshake.length", uint32_t{*b.U8(1)} << 16 | *b.U16(2), b.At(1), 3);
      }
      const Bytes message = b.Sub(kTlsHandshakeHeader, body.size());
      if (msg_type == 1) {
        payload::TlsClientHello hello;
        if (payload::ParseClientHello(message, &hello)) {
          w->AddHex("tls.handshake.version", hello.version, 4);
          if (!hello.sni.empty()) w->Add("tls.handshake.extensions_server_name", hello.sni);
          for (const std::string& alpn : hello.alpn) {
            w->Add("tls.handshake.extensions_alpn_str", alpn);
          }
          for (uint16_t v : hello.supported_versions) {
            w->AddHex("tls.handshake.extensions.supported_version", v, 4);
          }
        }
      } else if (msg_type == 2) {
        payload::TlsServerHello hello;
        if (payload::ParseServerHello(message, &hello)) {
          w->AddHex("tls.handshake.version", hello.version, 4);
          w->AddHex("tls.handshake.ciphersuite", hello.cipher, 4);
          if (hello.selected_version != 0) {
            w->AddHex("tls.handshake.extensions.supported_version", hello.selected_version, 4);
          }
          if (!hello.alpn.empty()) w->Add("tls.handshake.extensions_alpn_str", hello.alpn);
        }
      }
    }
    at += kTlsRecordHeader + length;
  }
  return true;
}

void AddApplicationLayers(LayerContext* ctx, bool tcp, uint16_t src_port, uint16_t dst_port,
                          Bytes payload) {
  if (payload.empty()) return;
  if (AddDnsLayer(ctx, tcp, src_port, dst_port, payload)) return;
  if (!tcp && AddDhcpLayer(ctx, src_port, dst_port, payload)) return;
  if (AddSipLayer(ctx, tcp, src_port, dst_port, payload)) return;
  if (tcp && AddHttpLayer(ctx, payload)) return;
  if (tcp) AddTlsLayer(ctx, payload);
}

}  // namespace mcpcap

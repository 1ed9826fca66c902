#include "backend/analysis/payload/payload_format.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "backend/analysis/common/result_parts.h"
#include "backend/base/error_details.h"
#include "backend/base/proto_time.h"
#include "backend/payload/tls/tls_names.h"

namespace mcpcap {
namespace {

// A certificate's validity bound, "2024-01-01T00:00:00Z" (x509_summary), in seconds since the
// epoch; nullopt when it is empty or does not parse.
std::optional<int64_t> CertificateTime(const std::string& text) {
  absl::Time t;
  std::string error;
  if (text.empty() ||
      !absl::ParseTime("%Y-%m-%dT%H:%M:%SZ", text, absl::UTCTimeZone(), &t, &error)) {
    return std::nullopt;
  }
  return absl::ToUnixSeconds(t);
}

}  // namespace

std::string Endpoint(const IpAddress& address, uint16_t port) {
  const std::string ip = address.ToString();
  if (address.version() == 6) return absl::StrCat("[", ip, "]:", port);
  return absl::StrCat(ip, ":", port);
}

void FillPacketRef(const payload::Position& at, v1::PacketRef* ref) {
  ref->set_packet_number(at.frame);
  SetTimestampNanos(at.time, ref->mutable_timestamp());
}

void FillFlowEnds(const PayloadFlowResult& flow, v1::Endpoint* client, v1::Endpoint* server) {
  FillEndpoint(flow.client, flow.client_port, client);
  FillEndpoint(flow.server, flow.server_port, server);
}

v1::DetectionMethod DetectionMethodOf(absl::string_view detected_by) {
  if (detected_by == "signature") return v1::DETECTION_METHOD_SIGNATURE;
  if (detected_by == "port") return v1::DETECTION_METHOD_PORT;
  if (detected_by == "port+signature") return v1::DETECTION_METHOD_PORT_SIGNATURE;
  if (detected_by == "parser") return v1::DETECTION_METHOD_PARSER;
  return v1::DETECTION_METHOD_UNSPECIFIED;
}

v1::Encryption EncryptionEnum(absl::string_view encryption) {
  if (encryption == "tls") return v1::ENCRYPTION_TLS;
  if (encryption == "ssh") return v1::ENCRYPTION_SSH;
  if (encryption == "quic") return v1::ENCRYPTION_QUIC;
  if (encryption == "mysql_tls") return v1::ENCRYPTION_MYSQL_TLS;
  if (encryption == "postgresql_ssl") return v1::ENCRYPTION_POSTGRESQL_SSL;
  if (encryption == "postgresql_gssenc") return v1::ENCRYPTION_POSTGRESQL_GSSENC;
  if (encryption == "starttls") return v1::ENCRYPTION_STARTTLS;
  return v1::ENCRYPTION_UNSPECIFIED;
}

absl::StatusOr<std::optional<payload::Protocol>> ParseProtocolArgument(
    absl::string_view name, std::initializer_list<payload::Protocol> accepted) {
  if (name.empty() || name == "auto") return std::optional<payload::Protocol>();
  std::vector<std::string> names = {"auto"};
  for (payload::Protocol p : accepted) {
    if (payload::ProtocolName(p) == name) return std::optional<payload::Protocol>(p);
    names.emplace_back(payload::ProtocolName(p));
  }
  return FieldError("protocol", absl::StrCat("unknown protocol \"", name, "\": use one of ",
                                             absl::StrJoin(names, ", ")));
}

absl::StatusOr<std::optional<uint16_t>> ParsePortArgument(bool has_port, uint32_t port) {
  if (!has_port) return std::optional<uint16_t>();
  if (port == 0 || port > 65535) {
    return FieldError("port", absl::StrCat("port ", port, " is not a port number (1 to 65535)"));
  }
  return std::optional<uint16_t>(static_cast<uint16_t>(port));
}

std::string EncryptionOf(const PayloadFlowResult& flow) {
  if (!flow.facts.encryption.empty()) return flow.facts.encryption;
  switch (flow.detection.protocol) {
    case payload::Protocol::kTls:
      return "tls";
    case payload::Protocol::kSsh:
      return "ssh";
    case payload::Protocol::kQuic:
      return "quic";
    default:
      return "";
  }
}

bool IsEncrypted(const PayloadFlowResult& flow) {
  return flow.facts.encrypted || !EncryptionOf(flow).empty();
}

std::string HexPreview(absl::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  const size_t n = std::min<size_t>(bytes.size(), payload::kPreviewBytes);
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    const auto b = static_cast<uint8_t>(bytes[i]);
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0xf]);
  }
  return out;
}

std::string AsciiPreview(absl::string_view bytes) {
  const size_t n = std::min<size_t>(bytes.size(), payload::kPreviewBytes);
  std::string out(bytes.substr(0, n));
  for (char& c : out) {
    if (c < 0x20 || c > 0x7e) c = '.';
  }
  return out;
}

void FillTlsDetails(const payload::TlsFacts& tls, v1::TlsDetails* out) {
  constexpr size_t kMaxCipherNames = 20;
  out->set_version(tls.version);
  out->set_client_version(tls.client_version);
  out->set_record_version(tls.record_version);
  out->set_sni(tls.sni);
  for (const std::string& a : tls.alpn_offered) out->add_alpn_offered(a);
  out->set_alpn(tls.alpn);
  if (tls.has_cipher) out->set_cipher_suite(payload::TlsCipherSuiteName(tls.cipher));
  out->set_ciphers_offered_count(static_cast<uint32_t>(tls.ciphers_offered.size()));
  for (size_t i = 0; i < tls.ciphers_offered.size() && i < kMaxCipherNames; ++i) {
    out->add_ciphers_offered(payload::TlsCipherSuiteName(tls.ciphers_offered[i]));
  }
  for (const payload::Certificate& c : tls.certificates) {
    v1::CertificateSummary* cert = out->add_certificates();
    cert->set_subject(c.subject);
    cert->set_issuer(c.issuer);
    if (const std::optional<int64_t> t = CertificateTime(c.not_before); t.has_value()) {
      SetTimestamp(*t, 0, cert->mutable_not_before());
    }
    if (const std::optional<int64_t> t = CertificateTime(c.not_after); t.has_value()) {
      SetTimestamp(*t, 0, cert->mutable_not_after());
    }
  }
  out->set_handshake_complete(tls.handshake_complete);
  out->set_application_data_bytes(tls.application_data_bytes);
  out->set_alert(tls.alert);
}

std::vector<std::string> ParserNotes(const PayloadFlowResult& flow) {
  std::vector<std::string> notes = flow.facts.notes;
  if (!flow.client_stop_reason.empty()) {
    notes.push_back(
        absl::StrCat("client_to_server: parsing stopped (", flow.client_stop_reason, ")"));
  }
  if (!flow.server_stop_reason.empty()) {
    notes.push_back(
        absl::StrCat("server_to_client: parsing stopped (", flow.server_stop_reason, ")"));
  }
  if (flow.gaps > 0) {
    notes.push_back(absl::StrCat(flow.gaps, " gap(s) in the TCP streams, ", flow.gap_bytes,
                                 " bytes never captured"));
  }
  return notes;
}

}  // namespace mcpcap

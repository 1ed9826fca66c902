// Conversions shared by the payload analyses: endpoints, times, previews and TLS details from
// the payload scan's plain results into result messages.
#ifndef MCPCAP_BACKEND_ANALYSIS_PAYLOAD_PAYLOAD_FORMAT_H_
#define MCPCAP_BACKEND_ANALYSIS_PAYLOAD_PAYLOAD_FORMAT_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "backend/analysis/common/decoded_scan.h"
#include "backend/analysis/payload/payload_scan.h"
#include "mcpcap/v1/capture.pb.h"
#include "mcpcap/v1/payload.pb.h"

namespace mcpcap {

// "10.0.0.1:3306", "[2001:db8::1]:443" (for evidence text).
std::string Endpoint(const IpAddress& address, uint16_t port);

void FillPacketRef(const payload::Position& at, v1::PacketRef* ref);

// The flow's client and server as Endpoints.
void FillFlowEnds(const PayloadFlowResult& flow, v1::Endpoint* client, v1::Endpoint* server);

// The detector's "signature", "port", "port+signature", or "parser" (a requested protocol's
// parser recognised the flow); UNSPECIFIED otherwise.
v1::DetectionMethod DetectionMethodOf(absl::string_view detected_by);

// The tools' `protocol` argument: nullopt for "auto" (or empty); an error names the accepted
// values when `name` is none of `accepted`.
absl::StatusOr<std::optional<payload::Protocol>> ParseProtocolArgument(
    absl::string_view name, std::initializer_list<payload::Protocol> accepted);

// The tools' `port` argument, checked to be a port number.
absl::StatusOr<std::optional<uint16_t>> ParsePortArgument(bool has_port, uint32_t port);

// True when the flow's content cannot be read past some point: the parser said so, or the
// protocol is encrypted by design (TLS, SSH, QUIC).
bool IsEncrypted(const PayloadFlowResult& flow);
// "tls", "ssh", "quic", "mysql_tls", ... or empty.
std::string EncryptionOf(const PayloadFlowResult& flow);
// The same as the contract's enum (UNSPECIFIED for empty or an unknown name).
v1::Encryption EncryptionEnum(absl::string_view encryption);

// Hex and printable-ASCII renderings of at most 64 bytes.
std::string HexPreview(absl::string_view bytes);
std::string AsciiPreview(absl::string_view bytes);

void FillTlsDetails(const payload::TlsFacts& tls, v1::TlsDetails* out);

// "client_to_server: lost_sync_after_gap" etc. for the sides whose parser stopped.
std::vector<std::string> ParserNotes(const PayloadFlowResult& flow);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_PAYLOAD_PAYLOAD_FORMAT_H_

// PostgreSQL frontend/backend protocol (version 3): message names, the untyped startup-phase
// messages, and decoders for the message bodies the parser reads (ErrorResponse fields,
// CommandComplete tags, StartupMessage parameters). Decoders read a body, possibly only its first
// bytes, and fail cleanly on anything short or malformed.
#ifndef MCPCAP_BACKEND_PAYLOAD_POSTGRESQL_POSTGRESQL_WIRE_H_
#define MCPCAP_BACKEND_PAYLOAD_POSTGRESQL_POSTGRESQL_WIRE_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "backend/base/byte_reader.h"

namespace mcpcap::payload::postgresql {

// Codes of the untyped first messages (after the length).
inline constexpr uint32_t kProtocol3 = 196608;  // StartupMessage, version 3.0
inline constexpr uint32_t kCancelRequest = 80877102;
inline constexpr uint32_t kSslRequest = 80877103;
inline constexpr uint32_t kGssEncRequest = 80877104;

// "Query", "Parse", ... for a client message type byte; empty when unknown.
absl::string_view ClientMessageName(uint8_t type);
// "RowDescription", "CommandComplete", ... for a server message type byte; empty when unknown.
absl::string_view ServerMessageName(uint8_t type);
// "AuthenticationOk", "AuthenticationMD5Password", ... for an Authentication request code.
std::string AuthenticationName(uint32_t code);

// A NUL-terminated string; at the end of a peeked body a string without its NUL is taken whole
// (it was cut by the peek) when `allow_cut`.
bool ReadCString(ByteReader& r, absl::string_view* value, bool allow_cut = false);

struct StartupParameters {
  std::string user;
  std::string database;
  std::string application_name;
};
// The key/value pairs of a StartupMessage body (after length and protocol code).
StartupParameters ParseStartupParameters(Bytes body);

// ErrorResponse / NoticeResponse fields.
struct ErrorFields {
  std::string severity;  // V (not localised) when present, else S
  std::string code;      // C, SQLSTATE
  std::string message;   // M
  std::string detail;    // D
  std::string hint;      // H
};
ErrorFields ParseErrorFields(Bytes body);

// A CommandComplete tag: "SELECT 5", "INSERT 0 1", "UPDATE 3", "CREATE TABLE".
struct CommandTag {
  std::string verb;  // "SELECT", "INSERT", "CREATE TABLE"
  bool has_count = false;
  uint64_t count = 0;  // rows for SELECT/FETCH/COPY; affected for INSERT/UPDATE/DELETE/MERGE
};
CommandTag ParseCommandTag(absl::string_view tag);

}  // namespace mcpcap::payload::postgresql

#endif  // MCPCAP_BACKEND_PAYLOAD_POSTGRESQL_POSTGRESQL_WIRE_H_

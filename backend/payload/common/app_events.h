// What application parsers report about a flow: messages, database queries paired with their
// responses, credentials seen in clear text, and facts about the session (user, TLS details).
// Plain structs, bounded by the parsers (texts are cut at the limits below); the analyses turn
// them into results.
#ifndef MCPCAP_BACKEND_PAYLOAD_COMMON_APP_EVENTS_H_
#define MCPCAP_BACKEND_PAYLOAD_COMMON_APP_EVENTS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "backend/flow/capture_time.h"

namespace mcpcap::payload {

// Which endpoint sent the bytes. The client opened the connection (sent the SYN) or, without a
// handshake, is the side the detector judged to be the client.
enum class Side : uint8_t { kClient, kServer };

inline Side Other(Side side) { return side == Side::kClient ? Side::kServer : Side::kClient; }

// Where a byte of the stream was captured.
struct Position {
  uint64_t frame = 0;  // 1-based frame number in the capture; 0 = unknown / none
  CaptureNanos time = 0;
};

// Bounds on what parsers copy out of the stream.
inline constexpr size_t kMaxTextBytes = 4096;  // a query, a command line, a URI
inline constexpr size_t kMaxValueBytes = 256;  // an argument value, a header value
inline constexpr size_t kPreviewBytes = 64;    // AppMessage::head
inline constexpr size_t kMaxFields = 16;       // AppMessage::fields

// One application message: a request, a response, a handshake record.
struct AppMessage {
  Side from = Side::kClient;
  Position start;       // the frame that carried its first byte
  std::string type;     // "COM_QUERY", "Query", "GET", "ClientHello", "SET", "HTTP 200"
  std::string summary;  // one line for a reader, at most kMaxTextBytes
  uint64_t length = 0;  // bytes on the wire, headers included
  std::string head;     // the message's first bytes (at most kPreviewBytes), for previews
  // Named details in a stable order, e.g. {"method","GET"}, {"uri","/"}, {"host","x"}.
  // Keys are snake_case; at most kMaxFields; values at most kMaxTextBytes.
  std::vector<std::pair<std::string, std::string>> fields;
};

enum class QueryStatus : uint8_t { kOk, kError, kNoResponse };

// A database request paired with its response (or none, when the flow ended first).
struct DbQuery {
  Position request;
  Position response;       // frame 0 when there was no response
  std::string text;        // statement or command line, at most kMaxTextBytes (cut: ends "...")
  std::string query_type;  // see ClassifyQuery: SELECT, INSERT, ..., or a command class
  std::string command;     // protocol verb: "COM_QUERY", "Query", "Execute", "GET", "find"
  std::string database;    // current database / collection's database when known
  // `database` is the session's database at the request even when empty (none selected yet);
  // otherwise an empty one is unknown and the connection's is shown.
  bool database_known = false;
  QueryStatus status = QueryStatus::kNoResponse;
  std::string error_code;  // e.g. "1064", "42P01"; empty when none
  std::string error_message;
  bool has_rows = false;  // a result set or document list came back
  uint64_t rows = 0;
  bool has_affected_rows = false;
  uint64_t affected_rows = 0;
};

// A secret or identity visible in clear text. `evidence` never holds the secret itself: it names
// where it was and shows a masked form, e.g. "Authorization: Basic dXNl****".
struct Credential {
  Side from = Side::kClient;
  Position at;
  std::string kind;  // "http_basic_auth", "bearer_token", "mysql_cleartext_password",
                     // "postgresql_password", "redis_auth", "ftp_password", ...
  std::string user;  // when the protocol names one
  std::string evidence;
};

struct Certificate {
  std::string subject;  // RFC 4514 style: "CN=example.com,O=Example"
  std::string issuer;
  std::string not_before;  // ISO 8601 UTC, "2024-01-01T00:00:00Z"
  std::string not_after;
};

struct TlsFacts {
  bool seen = false;           // a TLS handshake or record was recognised
  std::string record_version;  // of the first record: "TLS 1.0" ... (SSL 3.0 too)
  std::string client_version;  // highest the client offered (supported_versions first)
  std::string version;         // negotiated: "TLS 1.2", "TLS 1.3"; empty when not seen
  std::string sni;
  std::vector<std::string> alpn_offered;
  std::string alpn;                       // chosen by the server, when visible
  std::vector<uint16_t> ciphers_offered;  // in the client's order, at most 128
  uint16_t cipher = 0;                    // chosen; valid when has_cipher
  bool has_cipher = false;
  std::vector<Certificate> certificates;  // the server's chain as sent (TLS 1.2 and below)
  bool handshake_complete = false;        // both sides sent ChangeCipherSpec/Finished or app data
  uint64_t application_data_bytes = 0;
  std::string alert;  // last alert seen in clear, e.g. "fatal: handshake_failure"
};

// Facts about the session that parsers fill in as they learn them.
struct FlowFacts {
  std::string server_version;   // MySQL greeting, SSH banner, HTTP Server header, ...
  std::string client_software;  // SSH banner, HTTP User-Agent, application_name
  std::string user;
  std::string database;
  std::string auth_method;  // "mysql_native_password", "md5", "scram-sha-256", ...
  // Payload past some point cannot be read: TLS, SSH, or a database connection that switched
  // to TLS. `encryption` says which ("tls", "ssh", "mysql_tls", "postgresql_ssl", "starttls").
  bool encrypted = false;
  std::string encryption;
  TlsFacts tls;
  // Plain-language notes, e.g. "server to client: parser stopped after a 1460-byte gap".
  std::vector<std::string> notes;
};

// Receives the events of one flow. Calls are made from inside the parser's methods.
class PayloadEvents {
 public:
  virtual ~PayloadEvents() = default;
  virtual void OnMessage(AppMessage message) = 0;
  virtual void OnQuery(DbQuery query) = 0;
  virtual void OnCredential(Credential credential) = 0;
};

}  // namespace mcpcap::payload

#endif  // MCPCAP_BACKEND_PAYLOAD_COMMON_APP_EVENTS_H_

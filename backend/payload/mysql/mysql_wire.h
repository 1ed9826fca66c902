// MySQL / MariaDB client-server protocol: packet payload decoders (greeting, handshake response,
// OK, ERR) and names. Each decoder reads a payload, possibly only its first bytes (parsers peek
// at a bounded prefix), and fails cleanly on anything short or malformed.
#ifndef MCPCAP_BACKEND_PAYLOAD_MYSQL_MYSQL_WIRE_H_
#define MCPCAP_BACKEND_PAYLOAD_MYSQL_MYSQL_WIRE_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "backend/base/byte_reader.h"

namespace mcpcap::payload::mysql {

// Capability flags (both sides announce theirs; the session uses what both have).
inline constexpr uint32_t kClientConnectWithDb = 1u << 3;
inline constexpr uint32_t kClientCompress = 1u << 5;
inline constexpr uint32_t kClientProtocol41 = 1u << 9;
inline constexpr uint32_t kClientSsl = 1u << 11;
inline constexpr uint32_t kClientSecureConnection = 1u << 15;
inline constexpr uint32_t kClientPluginAuth = 1u << 19;
inline constexpr uint32_t kClientConnectAttrs = 1u << 20;
inline constexpr uint32_t kClientPluginAuthLenencData = 1u << 21;
inline constexpr uint32_t kClientDeprecateEof = 1u << 24;
inline constexpr uint32_t kClientOptionalResultsetMetadata = 1u << 25;  // MySQL 8
inline constexpr uint32_t kClientQueryAttributes = 1u << 27;            // MySQL 8
// MariaDB's extended capabilities (the upper 32 bits, sent in reserved bytes).
inline constexpr uint32_t kMariaDbCacheMetadata = 1u << 4;

// Server status flags (OK and EOF packets).
inline constexpr uint16_t kStatusMoreResultsExist = 0x0008;
inline constexpr uint16_t kStatusCursorExists = 0x0040;

// Packets of this length continue in the next packet (a payload of 16 MiB or more).
inline constexpr uint32_t kMaxPacketLength = 0xFFFFFF;

// Command bytes (first byte of a client packet with sequence id 0).
inline constexpr uint8_t kComQuit = 0x01;
inline constexpr uint8_t kComInitDb = 0x02;
inline constexpr uint8_t kComQuery = 0x03;
inline constexpr uint8_t kComFieldList = 0x04;
inline constexpr uint8_t kComStatistics = 0x09;
inline constexpr uint8_t kComChangeUser = 0x11;
inline constexpr uint8_t kComBinlogDump = 0x12;
inline constexpr uint8_t kComStmtPrepare = 0x16;
inline constexpr uint8_t kComStmtExecute = 0x17;
inline constexpr uint8_t kComStmtSendLongData = 0x18;
inline constexpr uint8_t kComStmtClose = 0x19;
inline constexpr uint8_t kComStmtFetch = 0x1C;
inline constexpr uint8_t kComBinlogDumpGtid = 0x1E;
inline constexpr uint8_t kComStmtBulkExecute = 0xFA;  // MariaDB

// "COM_QUERY", ...; empty for a byte that is no command.
absl::string_view CommandName(uint8_t command);
// A command that clients send (not the server-internal COM_SLEEP, COM_CONNECT, COM_TIME, ...).
bool IsClientCommand(uint8_t command);

// Length-encoded integer / string, NUL-terminated string (a string without its NUL at the end of
// a peeked prefix fails).
bool ReadLenenc(ByteReader& r, uint64_t* value);
bool ReadLenencString(ByteReader& r, Bytes* value);
bool ReadCString(ByteReader& r, Bytes* value);
// The query attributes that precede a COM_QUERY's text under CLIENT_QUERY_ATTRIBUTES (MySQL 8):
// parameter_count, parameter_set_count and, when count > 0, the NULL bitmap, new_params_bind_flag,
// each attribute's type and name, then the non-NULL values. False when they are malformed or cut.
bool SkipQueryAttributes(ByteReader& r);
inline absl::string_view AsText(Bytes b) {
  return absl::string_view(reinterpret_cast<const char*>(b.data()), b.size());
}

struct Greeting {
  uint8_t protocol_version = 0;
  std::string server_version;
  uint32_t connection_id = 0;
  uint32_t capabilities = 0;
  uint32_t mariadb_capabilities = 0;  // extended, when the server is MariaDB
  std::string auth_plugin;
};
bool ParseGreeting(Bytes payload, Greeting* out);

// The client's answer to the greeting; a 32-byte one with kClientSsl is an SSL request.
struct HandshakeResponse {
  uint32_t capabilities = 0;
  uint32_t mariadb_capabilities = 0;
  bool ssl_request = false;
  std::string user;
  Bytes auth_response;  // view into the payload
  std::string database;
  std::string auth_plugin;
  std::string client_name;  // connect attribute _client_name (+ _client_version) or program_name
};
bool ParseHandshakeResponse(Bytes payload, HandshakeResponse* out);

struct OkPacket {
  uint64_t affected_rows = 0;
  uint64_t last_insert_id = 0;
  uint16_t status = 0;
  uint16_t warnings = 0;
};
// An OK packet (header 0x00, or 0xFE ending a result set under CLIENT_DEPRECATE_EOF).
bool ParseOk(Bytes payload, OkPacket* out);
// The status flags of an EOF packet (0xFE, 5 bytes).
uint16_t EofStatus(Bytes payload);

struct ErrPacket {
  uint16_t code = 0;
  std::string sql_state;
  std::string message;
};
bool ParseErr(Bytes payload, uint64_t full_length, ErrPacket* out);

}  // namespace mcpcap::payload::mysql

#endif  // MCPCAP_BACKEND_PAYLOAD_MYSQL_MYSQL_WIRE_H_

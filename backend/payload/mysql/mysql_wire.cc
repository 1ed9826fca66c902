#include "backend/payload/mysql/mysql_wire.h"

#include <algorithm>
#include <array>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "backend/payload/common/app_events.h"
#include "backend/payload/common/text_bounds.h"

namespace mcpcap::payload::mysql {
namespace {

std::string Value(Bytes b) { return BoundedValue(AsText(b)); }

}  // namespace

absl::string_view CommandName(uint8_t command) {
  static constexpr std::array<absl::string_view, 0x20> kNames = {
      "COM_SLEEP",
      "COM_QUIT",
      "COM_INIT_DB",
      "COM_QUERY",
      "COM_FIELD_LIST",
      "COM_CREATE_DB",
      "COM_DROP_DB",
      "COM_REFRESH",
      "COM_SHUTDOWN",
      "COM_STATISTICS",
      "COM_PROCESS_INFO",
      "COM_CONNECT",
      "COM_PROCESS_KILL",
      "COM_DEBUG",
      "COM_PING",
      "COM_TIME",
      "COM_DELAYED_INSERT",
      "COM_CHANGE_USER",
      "COM_BINLOG_DUMP",
      "COM_TABLE_DUMP",
      "COM_CONNECT_OUT",
      "COM_REGISTER_SLAVE",
      "COM_STMT_PREPARE",
      "COM_STMT_EXECUTE",
      "COM_STMT_SEND_LONG_DATA",
      "COM_STMT_CLOSE",
      "COM_STMT_RESET",
      "COM_SET_OPTION",
      "COM_STMT_FETCH",
      "COM_DAEMON",
      "COM_BINLOG_DUMP_GTID",
      "COM_RESET_CONNECTION",
  };
  if (command < kNames.size()) return kNames[command];
  if (command == kComStmtBulkExecute) return "COM_STMT_BULK_EXECUTE";
  return {};
}

bool IsClientCommand(uint8_t command) {
  switch (command) {
    case 0x00:  // COM_SLEEP
    case 0x0B:  // COM_CONNECT
    case 0x0F:  // COM_TIME
    case 0x10:  // COM_DELAYED_INSERT
    case 0x13:  // COM_TABLE_DUMP
    case 0x14:  // COM_CONNECT_OUT
    case 0x1D:  // COM_DAEMON
      return false;
    default:
      return !CommandName(command).empty();
  }
}

bool ReadLenenc(ByteReader& r, uint64_t* value) {
  uint8_t first = 0;
  if (!r.ReadU8(&first)) return false;
  if (first < 0xFB) {
    *value = first;
    return true;
  }
  if (first == 0xFC) {
    uint16_t v = 0;
    if (!r.ReadU16Le(&v)) return false;
    *value = v;
    return true;
  }
  if (first == 0xFD) {
    Bytes b;
    if (!r.ReadBytes(3, &b)) return false;
    *value = uint64_t{b[0]} | uint64_t{b[1]} << 8 | uint64_t{b[2]} << 16;
    return true;
  }
  if (first == 0xFE) return r.ReadU64Le(value);
  return false;  // 0xFB (NULL) and 0xFF are no integers
}

bool ReadLenencString(ByteReader& r, Bytes* value) {
  uint64_t n = 0;
  if (!ReadLenenc(r, &n) || n > r.remaining()) return false;
  return r.ReadBytes(static_cast<size_t>(n), value);
}

namespace {

// Bytes of one binary-protocol value of column type `type` (MYSQL_TYPE_*) at the reader, or
// false when the type is unknown or the value is cut.
bool SkipBinaryValue(ByteReader& r, uint8_t type) {
  switch (type) {
    case 0x06:  // NULL
      return true;
    case 0x01:  // TINY
      return r.Skip(1);
    case 0x02:  // SHORT
    case 0x0D:  // YEAR
      return r.Skip(2);
    case 0x03:  // LONG
    case 0x04:  // FLOAT
    case 0x09:  // INT24
      return r.Skip(4);
    case 0x05:  // DOUBLE
    case 0x08:  // LONGLONG
      return r.Skip(8);
    case 0x07:    // TIMESTAMP
    case 0x0A:    // DATE
    case 0x0B:    // TIME
    case 0x0C:    // DATETIME
    case 0x11:    // TIMESTAMP2
    case 0x12:    // DATETIME2
    case 0x13: {  // TIME2
      uint8_t n = 0;
      return r.ReadU8(&n) && r.Skip(n);
    }
    default: {
      // Strings, decimals, blobs, JSON, BIT, ENUM, SET, GEOMETRY: length-encoded.
      const bool lenenc = type == 0x00 || type == 0x0F || type == 0x10 || type >= 0xF5;
      Bytes ignored;
      return lenenc && ReadLenencString(r, &ignored);
    }
  }
}

}  // namespace

bool SkipQueryAttributes(ByteReader& r) {
  uint64_t count = 0;
  uint64_t sets = 0;
  if (!ReadLenenc(r, &count) || !ReadLenenc(r, &sets)) return false;
  if (count == 0) return true;
  if (count > 0xFFFF) return false;  // more attributes than a packet prefix can describe
  const size_t n = static_cast<size_t>(count);
  Bytes null_bitmap;
  uint8_t new_params_bind = 0;
  if (!r.ReadBytes((n + 7) / 8, &null_bitmap) || !r.ReadU8(&new_params_bind)) return false;
  if (new_params_bind != 1) return false;  // a query's attributes always carry their types
  // Types and names come first, then the values: remember the types (bounded by the prefix).
  std::vector<uint8_t> types;
  types.reserve(std::min<size_t>(n, r.remaining() / 3));
  for (size_t i = 0; i < n; ++i) {
    uint16_t type_and_flag = 0;
    Bytes name;
    if (!r.ReadU16Le(&type_and_flag) || !ReadLenencString(r, &name)) return false;
    types.push_back(static_cast<uint8_t>(type_and_flag & 0xFF));
  }
  for (size_t i = 0; i < n; ++i) {
    if (null_bitmap[i / 8] & (1u << (i % 8))) continue;  // NULL: no value
    if (!SkipBinaryValue(r, types[i])) return false;
  }
  return true;
}

bool ReadCString(ByteReader& r, Bytes* value) {
  const Bytes rest = r.rest();
  for (size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] == 0) {
      *value = rest.first(i);
      return r.Skip(i + 1);
    }
  }
  return false;
}

bool ParseGreeting(Bytes payload, Greeting* out) {
  ByteReader r(payload);
  Bytes version;
  uint8_t protocol = 0;
  if (!r.ReadU8(&protocol) || (protocol != 10 && protocol != 9)) return false;
  if (!ReadCString(r, &version) || version.empty()) return false;
  for (uint8_t c : version) {
    if (c < 0x20 || c > 0x7E) return false;  // versions are printable ASCII
  }
  out->protocol_version = protocol;
  out->server_version = Value(version);
  if (!r.ReadU32Le(&out->connection_id)) return true;
  if (protocol == 9) return true;  // pre-4.1 servers: a scramble and nothing we use
  uint16_t caps_low = 0;
  if (!r.Skip(8 + 1) || !r.ReadU16Le(&caps_low)) return true;
  out->capabilities = caps_low;
  uint8_t charset = 0;
  uint16_t status = 0;
  uint16_t caps_high = 0;
  uint8_t auth_data_length = 0;
  Bytes reserved;
  if (!r.ReadU8(&charset) || !r.ReadU16Le(&status) || !r.ReadU16Le(&caps_high) ||
      !r.ReadU8(&auth_data_length) || !r.ReadBytes(10, &reserved)) {
    return true;
  }
  out->capabilities |= uint32_t{caps_high} << 16;
  if ((out->capabilities & 1) == 0) {  // no CLIENT_MYSQL: MariaDB keeps extended flags here
    out->mariadb_capabilities = LoadU32Le(reserved.data() + 6);
  }
  if (out->capabilities & kClientSecureConnection) {
    const size_t part2 = auth_data_length > 8 ? std::max<size_t>(13, auth_data_length - 8) : 13;
    if (!r.Skip(part2)) return true;
  }
  Bytes plugin;
  if (out->capabilities & kClientPluginAuth) {
    if (!ReadCString(r, &plugin)) plugin = r.rest();  // some servers omit the final NUL
    out->auth_plugin = Value(plugin);
  }
  return true;
}

namespace {

// Connect attributes: key/value pairs of length-encoded strings.
std::string ClientNameFromAttributes(ByteReader& r) {
  uint64_t total = 0;
  if (!ReadLenenc(r, &total)) return {};
  Bytes attrs;
  if (!r.ReadBytes(std::min<size_t>(total, r.remaining()), &attrs)) return {};
  ByteReader a(attrs);
  std::string name;
  std::string version;
  std::string program;
  Bytes key;
  Bytes value;
  while (ReadLenencString(a, &key) && ReadLenencString(a, &value)) {
    const absl::string_view k = AsText(key);
    if (k == "_client_name") name = Value(value);
    if (k == "_client_version") version = Value(value);
    if (k == "program_name") program = Value(value);
  }
  if (!program.empty()) return program;
  if (!name.empty() && !version.empty()) return absl::StrCat(name, " ", version);
  return name;
}

}  // namespace

bool ParseHandshakeResponse(Bytes payload, HandshakeResponse* out) {
  ByteReader r(payload);
  uint32_t caps = 0;
  if (payload.size() < 4) return false;
  const uint16_t caps_low = LoadU16Le(payload.data());
  if ((caps_low & kClientProtocol41) == 0) {
    // Protocol 320: caps(2) max packet(3) user NUL auth.
    out->capabilities = caps_low;
    out->ssl_request = (caps_low & kClientSsl) && payload.size() == 5;
    if (!r.Skip(5)) return false;
    if (out->ssl_request) return true;
    Bytes user;
    if (!ReadCString(r, &user)) return false;
    out->user = Value(user);
    out->auth_response = r.rest();
    return true;
  }
  Bytes filler;
  if (!r.ReadU32Le(&caps) || !r.Skip(4 + 1) || !r.ReadBytes(23, &filler)) return false;
  out->capabilities = caps;
  if ((caps & 1) == 0) out->mariadb_capabilities = LoadU32Le(filler.data() + 19);
  if (r.empty()) {
    out->ssl_request = (caps & kClientSsl) != 0;
    return out->ssl_request;
  }
  Bytes user;
  if (!ReadCString(r, &user)) return false;
  out->user = Value(user);
  Bytes auth;
  if (caps & kClientPluginAuthLenencData) {
    if (!ReadLenencString(r, &auth)) return true;
  } else if (caps & kClientSecureConnection) {
    uint8_t n = 0;
    if (!r.ReadU8(&n) || !r.ReadBytes(n, &auth)) return true;
  } else if (!ReadCString(r, &auth)) {
    return true;
  }
  out->auth_response = auth;
  Bytes text;
  if (caps & kClientConnectWithDb) {
    if (!ReadCString(r, &text)) return true;
    out->database = Value(text);
  }
  if (caps & kClientPluginAuth) {
    if (!ReadCString(r, &text)) return true;
    out->auth_plugin = Value(text);
  }
  if (caps & kClientConnectAttrs) out->client_name = ClientNameFromAttributes(r);
  return true;
}

bool ParseOk(Bytes payload, OkPacket* out) {
  ByteReader r(payload);
  uint8_t header = 0;
  if (!r.ReadU8(&header) || (header != 0x00 && header != 0xFE)) return false;
  if (!ReadLenenc(r, &out->affected_rows) || !ReadLenenc(r, &out->last_insert_id)) return false;
  if (!r.ReadU16Le(&out->status)) return true;  // pre-4.1 OK packets end here
  r.ReadU16Le(&out->warnings);
  return true;
}

uint16_t EofStatus(Bytes payload) {
  return payload.size() >= 5 ? LoadU16Le(payload.data() + 3) : 0;
}

bool ParseErr(Bytes payload, uint64_t full_length, ErrPacket* out) {
  ByteReader r(payload);
  uint8_t header = 0;
  if (!r.ReadU8(&header) || header != 0xFF || !r.ReadU16Le(&out->code)) return false;
  Bytes state;
  if (!r.empty() && r.rest()[0] == '#' && r.Skip(1) && r.ReadBytes(5, &state)) {
    out->sql_state = Value(state);
  }
  const Bytes message = r.rest();
  out->message = BoundedText(AsText(message), full_length - (payload.size() - message.size()));
  return true;
}

}  // namespace mcpcap::payload::mysql

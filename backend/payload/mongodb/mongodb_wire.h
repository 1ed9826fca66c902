// MongoDB wire protocol framing: the 16-byte message header and the layout of each opcode's
// body (OP_MSG sections, legacy OP_QUERY / OP_REPLY / OP_INSERT / OP_UPDATE / OP_DELETE /
// OP_GET_MORE / OP_KILL_CURSORS, OP_COMPRESSED), decoded from a bounded prefix of the message.
// Documents are left as byte views for the BSON reader.
#ifndef MCPCAP_BACKEND_PAYLOAD_MONGODB_MONGODB_WIRE_H_
#define MCPCAP_BACKEND_PAYLOAD_MONGODB_MONGODB_WIRE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "backend/base/byte_reader.h"

namespace mcpcap::payload {

inline constexpr size_t kMongoHeaderBytes = 16;
inline constexpr uint32_t kMongoMaxMessageBytes = 48 * 1000 * 1000;  // maxMessageSizeBytes

enum MongoOpCode : int32_t {
  kOpReply = 1,
  kOpUpdate = 2001,
  kOpInsert = 2002,
  kOpQuery = 2004,
  kOpGetMore = 2005,
  kOpDelete = 2006,
  kOpKillCursors = 2007,
  kOpCommand = 2010,  // internal, removed in 4.2
  kOpCommandReply = 2011,
  kOpCompressed = 2012,
  kOpMsg = 2013,
};

// OP_MSG flag bits.
inline constexpr uint32_t kMsgChecksumPresent = 1u << 0;
inline constexpr uint32_t kMsgMoreToCome = 1u << 1;
inline constexpr uint32_t kMsgExhaustAllowed = 1u << 16;
// OP_REPLY responseFlags bits.
inline constexpr uint32_t kReplyCursorNotFound = 1u << 0;
inline constexpr uint32_t kReplyQueryFailure = 1u << 1;

struct MongoHeader {
  uint32_t length = 0;
  uint32_t request_id = 0;
  uint32_t response_to = 0;
  int32_t op_code = 0;
};

// "OP_MSG", "OP_QUERY", ...; empty for an unknown opcode.
absl::string_view MongoOpCodeName(int32_t op_code);

// Reads a header from the first 16 bytes; false when it is not a sane one (length outside
// 16..48 MB, unknown opcode). This is also how a stream is resynchronised after a gap.
bool ReadMongoHeader(Bytes data, MongoHeader* header);

// One message's decoded body. Views point into the bytes given to DecodeMongoMessage.
struct MongoMessage {
  MongoHeader header;
  bool cut = false;        // only a prefix of the message was available
  bool malformed = false;  // the body's layout did not hold
  // OP_MSG
  uint32_t flags = 0;
  // The main document: OP_MSG body section, OP_QUERY query, OP_UPDATE / OP_DELETE selector,
  // OP_INSERT / OP_REPLY first document. Empty when absent.
  Bytes document;
  Bytes second_document;  // OP_UPDATE update, OP_QUERY returnFieldsSelector
  struct Sequence {
    std::string identifier;  // "documents", "updates", "deletes"
    uint64_t documents = 0;  // whole documents seen
    Bytes first;
  };
  std::vector<Sequence> sequences;  // OP_MSG kind 1 sections, at most 8
  // Legacy operations.
  std::string full_collection_name;  // "db.collection" or "db.$cmd"
  int32_t number_to_skip = 0;
  int32_t number_to_return = 0;
  uint64_t documents = 0;  // OP_INSERT documents seen, OP_REPLY documents seen
  // OP_REPLY
  uint32_t response_flags = 0;
  int64_t cursor_id = 0;
  int32_t starting_from = 0;
  int32_t number_returned = 0;
  // OP_KILL_CURSORS
  int32_t cursor_count = 0;
  // OP_COMPRESSED
  int32_t original_op_code = 0;
  uint32_t uncompressed_size = 0;
  uint8_t compressor = 0;
};

// Decodes `data`: the message from its header on, possibly cut (data.size() < header.length).
MongoMessage DecodeMongoMessage(const MongoHeader& header, Bytes data);

// "noop", "snappy", "zlib", "zstd" or the number.
std::string MongoCompressorName(uint8_t id);

}  // namespace mcpcap::payload

#endif  // MCPCAP_BACKEND_PAYLOAD_MONGODB_MONGODB_WIRE_H_

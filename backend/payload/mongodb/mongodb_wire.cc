#include "backend/payload/mongodb/mongodb_wire.h"

#include <algorithm>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace mcpcap::payload {
namespace {

constexpr size_t kMaxNameBytes = 256;
constexpr size_t kMaxSequences = 8;

// Reads a NUL-terminated string (kept up to kMaxNameBytes).
bool ReadCString(ByteReader& r, std::string* out) {
  const Bytes rest = r.rest();
  const void* nul = std::memchr(rest.data(), 0, rest.size());
  if (nul == nullptr) return false;
  const size_t n = static_cast<size_t>(static_cast<const uint8_t*>(nul) - rest.data());
  out->assign(reinterpret_cast<const char*>(rest.data()), std::min(n, kMaxNameBytes));
  r.Skip(n + 1);
  return true;
}

enum class DocRead : uint8_t { kWhole, kCut, kBad };

// Reads one BSON document's bytes. In a cut message the last document may be cut: its available
// bytes are returned (kCut) for the BSON reader, which handles prefixes.
DocRead ReadDocument(ByteReader& r, bool message_cut, Bytes* out) {
  const Bytes rest = r.rest();
  if (rest.size() < 4) return message_cut ? DocRead::kCut : DocRead::kBad;
  const int32_t n = static_cast<int32_t>(LoadU32Le(rest.data()));
  if (n < 5) return DocRead::kBad;
  if (static_cast<size_t>(n) > rest.size()) {
    if (!message_cut) return DocRead::kBad;
    *out = rest;
    r.Skip(rest.size());
    return DocRead::kCut;
  }
  *out = rest.first(static_cast<size_t>(n));
  r.Skip(static_cast<size_t>(n));
  return DocRead::kWhole;
}

// Counts the documents of `data` (one after another); the first is kept.
void CountDocuments(Bytes data, bool cut, uint64_t* count, Bytes* first, bool* malformed) {
  ByteReader r(data);
  while (!r.empty()) {
    Bytes doc;
    const DocRead read = ReadDocument(r, cut, &doc);
    if (read == DocRead::kBad) {
      *malformed = true;
      return;
    }
    if (first->empty()) *first = doc;
    ++*count;  // a cut document counts: it was sent, only not read whole
    if (read == DocRead::kCut) return;
  }
}

void DecodeMsg(ByteReader& r, MongoMessage& m) {
  if (!r.ReadU32Le(&m.flags)) {
    m.malformed = !m.cut;
    return;
  }
  Bytes sections = r.rest();
  if ((m.flags & kMsgChecksumPresent) != 0 && !m.cut) {
    if (sections.size() < 4) {
      m.malformed = true;
      return;
    }
    sections.remove_suffix(4);  // CRC-32C
  }
  ByteReader s(sections);
  while (!s.empty()) {
    uint8_t kind = 0;
    s.ReadU8(&kind);
    if (kind == 0) {
      Bytes doc;
      const DocRead read = ReadDocument(s, m.cut, &doc);
      if (read == DocRead::kBad || !m.document.empty()) {
        m.malformed = true;  // a second body is not allowed
        return;
      }
      m.document = doc;
      if (read == DocRead::kCut) return;
    } else if (kind == 1) {
      uint32_t size = 0;
      if (!s.ReadU32Le(&size)) {
        m.malformed = !m.cut;
        return;
      }
      if (size < 5) {
        m.malformed = true;
        return;
      }
      const size_t wanted = size - 4;
      if (wanted > s.remaining() && !m.cut) {
        m.malformed = true;
        return;
      }
      Bytes seq;
      s.ReadBytes(std::min(wanted, s.remaining()), &seq);
      ByteReader q(seq);
      MongoMessage::Sequence sequence;
      if (!ReadCString(q, &sequence.identifier)) {
        m.malformed = !m.cut;
        return;
      }
      const bool seq_cut = wanted > seq.size();
      CountDocuments(q.rest(), seq_cut, &sequence.documents, &sequence.first, &m.malformed);
      if (m.sequences.size() < kMaxSequences) m.sequences.push_back(std::move(sequence));
      if (m.malformed || seq_cut) return;
    } else {
      m.malformed = true;  // kind 2 is internal to servers; others do not exist
      return;
    }
  }
}

void DecodeQuery(ByteReader& r, MongoMessage& m) {
  uint32_t flags = 0;
  uint32_t skip = 0;
  uint32_t to_return = 0;
  if (!r.ReadU32Le(&flags) || !ReadCString(r, &m.full_collection_name) || !r.ReadU32Le(&skip) ||
      !r.ReadU32Le(&to_return)) {
    m.malformed = !m.cut;
    return;
  }
  m.flags = flags;
  m.number_to_skip = static_cast<int32_t>(skip);
  m.number_to_return = static_cast<int32_t>(to_return);
  const DocRead read = ReadDocument(r, m.cut, &m.document);
  if (read == DocRead::kBad) m.malformed = true;
  if (read != DocRead::kWhole || r.empty()) return;
  if (ReadDocument(r, m.cut, &m.second_document) == DocRead::kBad) m.malformed = true;
}

void DecodeReply(ByteReader& r, MongoMessage& m) {
  uint64_t cursor = 0;
  uint32_t from = 0;
  uint32_t returned = 0;
  if (!r.ReadU32Le(&m.response_flags) || !r.ReadU64Le(&cursor) || !r.ReadU32Le(&from) ||
      !r.ReadU32Le(&returned)) {
    m.malformed = !m.cut;
    return;
  }
  m.cursor_id = static_cast<int64_t>(cursor);
  m.starting_from = static_cast<int32_t>(from);
  m.number_returned = static_cast<int32_t>(returned);
  CountDocuments(r.rest(), m.cut, &m.documents, &m.document, &m.malformed);
}

// OP_INSERT: flags, name, documents. OP_UPDATE: ZERO, name, flags, selector, update.
// OP_DELETE: ZERO, name, flags, selector. OP_GET_MORE: ZERO, name, numberToReturn, cursorID.
void DecodeLegacyWrite(ByteReader& r, MongoMessage& m) {
  const int32_t op = m.header.op_code;
  uint32_t word = 0;
  if (!r.ReadU32Le(&word) || !ReadCString(r, &m.full_collection_name)) {
    m.malformed = !m.cut;
    return;
  }
  if (op == kOpInsert) {
    m.flags = word;
    CountDocuments(r.rest(), m.cut, &m.documents, &m.document, &m.malformed);
    return;
  }
  uint32_t second = 0;
  if (!r.ReadU32Le(&second)) {
    m.malformed = !m.cut;
    return;
  }
  if (op == kOpGetMore) {
    uint64_t cursor = 0;
    m.number_to_return = static_cast<int32_t>(second);
    if (!r.ReadU64Le(&cursor)) m.malformed = !m.cut;
    m.cursor_id = static_cast<int64_t>(cursor);
    return;
  }
  m.flags = second;
  const DocRead read = ReadDocument(r, m.cut, &m.document);
  if (read == DocRead::kBad) m.malformed = true;
  if (op == kOpUpdate && read == DocRead::kWhole &&
      ReadDocument(r, m.cut, &m.second_document) == DocRead::kBad) {
    m.malformed = true;
  }
}

}  // namespace

absl::string_view MongoOpCodeName(int32_t op_code) {
  switch (op_code) {
    case kOpReply:
      return "OP_REPLY";
    case kOpUpdate:
      return "OP_UPDATE";
    case kOpInsert:
      return "OP_INSERT";
    case kOpQuery:
      return "OP_QUERY";
    case kOpGetMore:
      return "OP_GET_MORE";
    case kOpDelete:
      return "OP_DELETE";
    case kOpKillCursors:
      return "OP_KILL_CURSORS";
    case kOpCommand:
      return "OP_COMMAND";
    case kOpCommandReply:
      return "OP_COMMANDREPLY";
    case kOpCompressed:
      return "OP_COMPRESSED";
    case kOpMsg:
      return "OP_MSG";
    default:
      return "";
  }
}

bool ReadMongoHeader(Bytes data, MongoHeader* header) {
  if (data.size() < kMongoHeaderBytes) return false;
  header->length = LoadU32Le(data.data());
  header->request_id = LoadU32Le(data.data() + 4);
  header->response_to = LoadU32Le(data.data() + 8);
  header->op_code = static_cast<int32_t>(LoadU32Le(data.data() + 12));
  return header->length >= kMongoHeaderBytes && header->length <= kMongoMaxMessageBytes &&
         !MongoOpCodeName(header->op_code).empty();
}

MongoMessage DecodeMongoMessage(const MongoHeader& header, Bytes data) {
  MongoMessage m;
  m.header = header;
  m.cut = data.size() < header.length;
  const size_t end = std::min<size_t>(data.size(), header.length);
  ByteReader r(
      data.subspan(std::min(kMongoHeaderBytes, end), end - std::min(kMongoHeaderBytes, end)));
  switch (header.op_code) {
    case kOpMsg:
      DecodeMsg(r, m);
      break;
    case kOpQuery:
      DecodeQuery(r, m);
      break;
    case kOpReply:
      DecodeReply(r, m);
      break;
    case kOpInsert:
    case kOpUpdate:
    case kOpDelete:
    case kOpGetMore:
      DecodeLegacyWrite(r, m);
      break;
    case kOpKillCursors: {
      uint32_t zero = 0;
      uint32_t count = 0;
      if (!r.ReadU32Le(&zero) || !r.ReadU32Le(&count)) m.malformed = !m.cut;
      m.cursor_count = static_cast<int32_t>(count);
      break;
    }
    case kOpCompressed: {
      uint32_t original = 0;
      if (!r.ReadU32Le(&original) || !r.ReadU32Le(&m.uncompressed_size) ||
          !r.ReadU8(&m.compressor)) {
        m.malformed = !m.cut;
      }
      m.original_op_code = static_cast<int32_t>(original);
      break;
    }
    default:
      break;  // OP_COMMAND and its reply: framing only
  }
  return m;
}

std::string MongoCompressorName(uint8_t id) {
  switch (id) {
    case 0:
      return "noop";
    case 1:
      return "snappy";
    case 2:
      return "zlib";
    case 3:
      return "zstd";
    default:
      return absl::StrCat(id);
  }
}

}  // namespace mcpcap::payload

// A bounded, bounds-checked BSON reader for wire messages (MongoDB): iterates the elements of a
// document without copying, works on a prefix of a document cut by the parser's read limit (it
// stops at the first element that is not whole), and never trusts a length: every nested length,
// string and cstring is checked against the bytes that enclose it. Recursive helpers stop at
// kBsonMaxDepth.
//
//   BsonReader reader(document);
//   BsonElement e;
//   while (reader.Next(&e)) { ... e.key, e.type, e.AsString() ... }
//   if (reader.malformed()) ...
#ifndef MCPCAP_BACKEND_PAYLOAD_MONGODB_BSON_H_
#define MCPCAP_BACKEND_PAYLOAD_MONGODB_BSON_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "backend/base/byte_reader.h"

namespace mcpcap::payload {

inline constexpr size_t kBsonMaxDepth = 32;

enum BsonType : uint8_t {
  kBsonDouble = 0x01,
  kBsonString = 0x02,
  kBsonDocument = 0x03,
  kBsonArray = 0x04,
  kBsonBinary = 0x05,
  kBsonUndefined = 0x06,
  kBsonObjectId = 0x07,
  kBsonBool = 0x08,
  kBsonDateTime = 0x09,
  kBsonNull = 0x0A,
  kBsonRegex = 0x0B,
  kBsonDbPointer = 0x0C,
  kBsonJavaScript = 0x0D,
  kBsonSymbol = 0x0E,
  kBsonJavaScriptWithScope = 0x0F,
  kBsonInt32 = 0x10,
  kBsonTimestamp = 0x11,
  kBsonInt64 = 0x12,
  kBsonDecimal128 = 0x13,
  kBsonMinKey = 0xFF,
  kBsonMaxKey = 0x7F,
};

struct BsonElement {
  uint8_t type = 0;
  absl::string_view key;
  // The value's bytes as on the wire (a string with its length prefix, an embedded document
  // whole). An embedded document or a string cut by the end of the bytes is `truncated` (then
  // it is the last element a reader returns).
  Bytes value;
  bool truncated = false;

  bool is_document() const { return type == kBsonDocument || type == kBsonArray; }
  // string, symbol, JavaScript code: the text without its NUL.
  std::optional<absl::string_view> AsString() const;
  // int32, int64, double, bool as a number.
  std::optional<double> AsNumber() const;
  std::optional<int64_t> AsInt() const;
  // binary: the bytes and their subtype.
  std::optional<Bytes> AsBinary(uint8_t* subtype = nullptr) const;
};

class BsonReader {
 public:
  // `document` starts with the document's int32 length; bytes past the document are ignored,
  // fewer bytes than it declares make a cut document.
  explicit BsonReader(Bytes document);

  // The next element; false at the end of the document or when the rest is cut or malformed.
  bool Next(BsonElement* element);

  bool malformed() const { return malformed_; }
  bool truncated() const { return truncated_; }  // the document is cut short
  // The length the document declares (0 when not even that was readable).
  uint32_t declared_length() const { return declared_; }

 private:
  bool Fail();
  bool Cut();

  Bytes data_;
  uint32_t declared_ = 0;
  size_t pos_ = 4;
  size_t end_ = 0;  // where elements end: the terminating NUL, or the end of a cut document
  bool malformed_ = false;
  bool truncated_ = false;
  bool done_ = false;
};

// The first top-level element named `key`.
std::optional<BsonElement> BsonFind(Bytes document, absl::string_view key);
// The number of top-level elements (of an array: its items) that are whole.
uint64_t BsonCount(Bytes document);

struct BsonTextOptions {
  size_t max_bytes = 1024;                   // the whole text; cut with "..."
  size_t max_string_bytes = 128;             // each string value
  size_t max_depth = 6;                      // deeper documents print as {...}
  std::vector<absl::string_view> skip_keys;  // top-level keys left out (lsid, $clusterTime)
};

// Mongo-shell-like text of a document: {find: "users", filter: {age: {$gt: 30}}}. Bounded by
// `options`; a cut or malformed document ends in "...".
std::string BsonToText(Bytes document, const BsonTextOptions& options, bool array = false);

}  // namespace mcpcap::payload

#endif  // MCPCAP_BACKEND_PAYLOAD_MONGODB_BSON_H_

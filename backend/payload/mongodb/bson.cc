#include "backend/payload/mongodb/bson.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <ctime>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace mcpcap::payload {
namespace {

int32_t LoadI32(const uint8_t* p) { return static_cast<int32_t>(LoadU32Le(p)); }
int64_t LoadI64(const uint8_t* p) {
  return static_cast<int64_t>(uint64_t{LoadU32Le(p + 4)} << 32 | LoadU32Le(p));
}
double LoadDouble(const uint8_t* p) {
  const uint64_t bits = uint64_t{LoadU32Le(p + 4)} << 32 | LoadU32Le(p);
  double d;
  std::memcpy(&d, &bits, sizeof d);
  return d;
}

// Bytes a value of `type` takes at the start of `rest`: 0 when unknown or not readable yet
// (then *need_more says whether more bytes would tell).
size_t ValueSize(uint8_t type, Bytes rest, bool* need_more) {
  *need_more = false;
  auto fixed = [&](size_t n) -> size_t {
    if (rest.size() < n) *need_more = true;
    return rest.size() < n ? 0 : n;
  };
  auto length_prefixed = [&](size_t extra, int32_t min_length, bool nul_terminated) -> size_t {
    if (rest.size() < 4) {
      *need_more = true;
      return 0;
    }
    const int32_t n = LoadI32(rest.data());
    if (n < min_length) return 0;
    const size_t total = 4 + extra + static_cast<size_t>(n);
    if (rest.size() < total) {
      *need_more = true;
      return 0;
    }
    if (nul_terminated && rest[total - 1] != 0) return 0;
    return total;
  };
  auto cstring_end = [&](size_t from) -> size_t {  // index past the NUL, 0 if none
    if (from > rest.size()) return 0;
    const void* nul = std::memchr(rest.data() + from, 0, rest.size() - from);
    if (nul == nullptr) {
      *need_more = true;
      return 0;
    }
    return static_cast<size_t>(static_cast<const uint8_t*>(nul) - rest.data()) + 1;
  };
  switch (type) {
    case kBsonDouble:
    case kBsonDateTime:
    case kBsonTimestamp:
    case kBsonInt64:
      return fixed(8);
    case kBsonInt32:
      return fixed(4);
    case kBsonBool:
      return fixed(1);
    case kBsonObjectId:
      return fixed(12);
    case kBsonDecimal128:
      return fixed(16);
    case kBsonUndefined:
    case kBsonNull:
    case kBsonMinKey:
    case kBsonMaxKey:
      return 0;
    case kBsonString:
    case kBsonJavaScript:
    case kBsonSymbol:
      return length_prefixed(0, 1, true);
    case kBsonBinary:
      return length_prefixed(1, 0, false);
    case kBsonDocument:
    case kBsonArray: {
      if (rest.size() < 4) {
        *need_more = true;
        return 0;
      }
      const int32_t n = LoadI32(rest.data());
      if (n < 5) return 0;
      if (rest.size() < static_cast<size_t>(n)) {
        *need_more = true;
        return 0;
      }
      return static_cast<size_t>(n);
    }
    case kBsonJavaScriptWithScope: {
      if (rest.size() < 4) {
        *need_more = true;
        return 0;
      }
      const int32_t n = LoadI32(rest.data());
      if (n < 14) return 0;
      if (rest.size() < static_cast<size_t>(n)) {
        *need_more = true;
        return 0;
      }
      return static_cast<size_t>(n);
    }
    case kBsonRegex: {
      const size_t pattern_end = cstring_end(0);
      return pattern_end == 0 ? 0 : cstring_end(pattern_end);
    }
    case kBsonDbPointer: {
      const size_t n = length_prefixed(0, 1, true);
      if (n == 0) return 0;
      if (rest.size() < n + 12) {
        *need_more = true;
        return 0;
      }
      return n + 12;
    }
    default:
      return 0;
  }
}

}  // namespace

BsonReader::BsonReader(Bytes document) : data_(document) {
  if (data_.size() < 4) {
    truncated_ = true;
    done_ = true;
    return;
  }
  const int32_t declared = LoadI32(data_.data());
  if (declared < 5) {
    malformed_ = true;
    done_ = true;
    return;
  }
  declared_ = static_cast<uint32_t>(declared);
  if (data_.size() >= declared_) {
    data_ = data_.first(declared_);
    if (data_[declared_ - 1] != 0) {
      malformed_ = true;
      done_ = true;
      return;
    }
    end_ = declared_ - 1;
  } else {
    truncated_ = true;
    end_ = data_.size();
  }
}

bool BsonReader::Fail() {
  malformed_ = true;
  done_ = true;
  return false;
}

bool BsonReader::Cut() {
  truncated_ = true;
  done_ = true;
  return false;
}

bool BsonReader::Next(BsonElement* element) {
  if (done_) return false;
  const bool whole = !truncated_;
  if (pos_ >= end_) {
    done_ = true;
    return false;
  }
  const uint8_t type = data_[pos_];
  if (type == 0) return whole ? Fail() : Cut();  // a terminator before the end
  const size_t key_from = pos_ + 1;
  const void* nul = std::memchr(data_.data() + key_from, 0, end_ - key_from);
  if (nul == nullptr) return whole ? Fail() : Cut();
  const size_t key_end = static_cast<size_t>(static_cast<const uint8_t*>(nul) - data_.data());
  const Bytes rest = data_.subspan(key_end + 1, end_ - (key_end + 1));
  bool need_more = false;
  const size_t size = ValueSize(type, rest, &need_more);
  BsonElement e;
  e.type = type;
  e.key =
      absl::string_view(reinterpret_cast<const char*>(data_.data()) + key_from, key_end - key_from);
  if (size == 0 && !(type == kBsonUndefined || type == kBsonNull || type == kBsonMinKey ||
                     type == kBsonMaxKey)) {
    if (!need_more || whole) return Fail();
    // A cut document may still show the start of an embedded document or of a long string.
    const int32_t prefix_shows = (type == kBsonDocument || type == kBsonArray)  ? 5
                                 : (type == kBsonString || type == kBsonSymbol) ? 1
                                                                                : 0;
    if (prefix_shows == 0 || rest.size() < 4 || LoadI32(rest.data()) < prefix_shows) {
      return Cut();
    }
    e.value = rest;
    e.truncated = true;
    *element = e;
    truncated_ = true;
    done_ = true;
    return true;
  }
  e.value = rest.first(size);
  pos_ = key_end + 1 + size;
  *element = e;
  return true;
}

std::optional<absl::string_view> BsonElement::AsString() const {
  if (type != kBsonString && type != kBsonSymbol && type != kBsonJavaScript) return std::nullopt;
  if (truncated && value.size() >= 4) {  // the start of a string cut by the end of the bytes
    return absl::string_view(reinterpret_cast<const char*>(value.data()) + 4, value.size() - 4);
  }
  if (value.size() < 5) return std::nullopt;
  return absl::string_view(reinterpret_cast<const char*>(value.data()) + 4, value.size() - 5);
}

std::optional<double> BsonElement::AsNumber() const {
  switch (type) {
    case kBsonDouble:
      return value.size() == 8 ? std::optional<double>(LoadDouble(value.data())) : std::nullopt;
    case kBsonInt32:
      return value.size() == 4 ? std::optional<double>(LoadI32(value.data())) : std::nullopt;
    case kBsonInt64:
      return value.size() == 8 ? std::optional<double>(static_cast<double>(LoadI64(value.data())))
                               : std::nullopt;
    case kBsonBool:
      return value.size() == 1 ? std::optional<double>(value[0] != 0) : std::nullopt;
    default:
      return std::nullopt;
  }
}

std::optional<int64_t> BsonElement::AsInt() const {
  if (type == kBsonInt64 && value.size() == 8) return LoadI64(value.data());
  const std::optional<double> d = AsNumber();
  if (!d || !std::isfinite(*d) || std::fabs(*d) > 9e18) return std::nullopt;
  return static_cast<int64_t>(*d);
}

std::optional<Bytes> BsonElement::AsBinary(uint8_t* subtype) const {
  if (type != kBsonBinary || value.size() < 5) return std::nullopt;
  if (subtype != nullptr) *subtype = value[4];
  return value.subspan(5);
}

std::optional<BsonElement> BsonFind(Bytes document, absl::string_view key) {
  BsonReader reader(document);
  BsonElement e;
  while (reader.Next(&e)) {
    if (e.key == key) return e;
  }
  return std::nullopt;
}

uint64_t BsonCount(Bytes document) {
  BsonReader reader(document);
  BsonElement e;
  uint64_t n = 0;
  while (reader.Next(&e)) {
    if (!e.truncated) ++n;
  }
  return n;
}

namespace {

class TextWriter {
 public:
  explicit TextWriter(const BsonTextOptions& options) : options_(options) {}

  // Writes a document's elements; false once the text is full.
  bool Document(Bytes document, bool array, size_t depth) {
    if (!Put(array ? "[" : "{")) return false;
    if (depth >= options_.max_depth || depth >= kBsonMaxDepth) {
      return Put("...") && Put(array ? "]" : "}");
    }
    BsonReader reader(document);
    BsonElement e;
    bool first = true;
    while (reader.Next(&e)) {
      if (depth == 0 && std::find(options_.skip_keys.begin(), options_.skip_keys.end(), e.key) !=
                            options_.skip_keys.end()) {
        continue;
      }
      if (!first && !Put(", ")) return false;
      first = false;
      if (!array && !(Put(e.key) && Put(": "))) return false;
      if (!Value(e, depth)) return false;
    }
    if (reader.truncated() || reader.malformed()) {
      if (!Put(first ? "..." : ", ...")) return false;
    }
    return Put(array ? "]" : "}");
  }

  std::string Take() {
    if (full_) out_ += "...";
    return std::move(out_);
  }

 private:
  bool Put(absl::string_view s) {
    if (full_) return false;
    const size_t room = options_.max_bytes > 3 ? options_.max_bytes - 3 : 0;
    if (out_.size() + s.size() > room) {
      const absl::string_view fits = s.substr(0, room > out_.size() ? room - out_.size() : 0);
      out_.append(fits.data(), fits.size());
      full_ = true;
      return false;
    }
    out_.append(s.data(), s.size());
    return true;
  }

  bool String(absl::string_view s, bool cut = false) {
    std::string quoted = "\"";
    const size_t n = std::min(s.size(), options_.max_string_bytes);
    for (size_t i = 0; i < n; ++i) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (c == '"' || c == '\\') {
        quoted += '\\';
        quoted += static_cast<char>(c);
      } else if (c < 0x20 || c == 0x7f) {
        absl::StrAppendFormat(&quoted, "\\x%02x", c);
      } else {
        quoted += static_cast<char>(c);
      }
    }
    if (s.size() > n || cut) quoted += "...";
    quoted += '"';
    return Put(quoted);
  }

  static std::string Hex(Bytes b) {
    std::string out;
    for (uint8_t c : b) absl::StrAppendFormat(&out, "%02x", c);
    return out;
  }

  static std::string Number(double d) {
    if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 1e15) {
      return absl::StrCat(static_cast<int64_t>(d));
    }
    return absl::StrFormat("%.15g", d);
  }

  static std::string Date(int64_t millis) {
    const std::time_t seconds = static_cast<std::time_t>(millis / 1000 - (millis % 1000 < 0));
    std::tm tm{};
    if (gmtime_r(&seconds, &tm) == nullptr || tm.tm_year > 9999 - 1900 || tm.tm_year < -1900) {
      return absl::StrCat("Date(", millis, ")");
    }
    const int64_t ms = ((millis % 1000) + 1000) % 1000;
    return absl::StrFormat("ISODate(\"%04d-%02d-%02dT%02d:%02d:%02d.%03dZ\")", tm.tm_year + 1900,
                           tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
  }

  bool Value(const BsonElement& e, size_t depth) {
    const Bytes v = e.value;
    switch (e.type) {
      case kBsonDouble:
      case kBsonInt32:
      case kBsonInt64:
        if (e.type == kBsonInt64) return Put(absl::StrCat(LoadI64(v.data())));
        return Put(Number(*e.AsNumber()));
      case kBsonString:
      case kBsonSymbol:
        return String(*e.AsString());
      case kBsonJavaScript:
        return Put("Code(") && String(*e.AsString()) && Put(")");
      case kBsonDocument:
      case kBsonArray:
        return Document(v, e.type == kBsonArray, depth + 1);
      case kBsonBinary: {
        uint8_t subtype = 0;
        const Bytes data = *e.AsBinary(&subtype);
        if ((subtype == 4 || subtype == 3) && data.size() == 16) {
          return Put(absl::StrCat("UUID(\"", Hex(data), "\")"));
        }
        return Put(absl::StrCat("BinData(", subtype, ", ", data.size(), " bytes)"));
      }
      case kBsonUndefined:
        return Put("undefined");
      case kBsonObjectId:
        return Put(absl::StrCat("ObjectId(\"", Hex(v), "\")"));
      case kBsonBool:
        return Put(v[0] != 0 ? "true" : "false");
      case kBsonDateTime:
        return Put(Date(LoadI64(v.data())));
      case kBsonNull:
        return Put("null");
      case kBsonRegex: {
        const auto* p = reinterpret_cast<const char*>(v.data());
        const absl::string_view pattern(p);  // both cstrings were found whole
        const absl::string_view flags(p + pattern.size() + 1);
        return Put("/") && Put(pattern.substr(0, options_.max_string_bytes)) && Put("/") &&
               Put(flags.substr(0, 8));
      }
      case kBsonDbPointer:
        return Put("DBPointer(...)");
      case kBsonJavaScriptWithScope:
        return Put("CodeWScope(...)");
      case kBsonTimestamp:
        return Put(
            absl::StrCat("Timestamp(", LoadU32Le(v.data() + 4), ", ", LoadU32Le(v.data()), ")"));
      case kBsonDecimal128:
        return Put(absl::StrCat("Decimal128(\"0x", Hex(v), "\")"));
      case kBsonMinKey:
        return Put("MinKey");
      case kBsonMaxKey:
        return Put("MaxKey");
      default:
        return Put("?");
    }
  }

  const BsonTextOptions& options_;
  std::string out_;
  bool full_ = false;
};

}  // namespace

std::string BsonToText(Bytes document, const BsonTextOptions& options, bool array) {
  TextWriter writer(options);
  writer.Document(document, array, 0);
  return writer.Take();
}

}  // namespace mcpcap::payload

#include "backend/analysis/streams/payload_text.h"

#include "absl/strings/escaping.h"
#include "absl/strings/string_view.h"

namespace mcpcap {
namespace {

constexpr char kHex[] = "0123456789abcdef";

bool Plain(uint8_t b) { return (b >= 0x20 && b < 0x7f) || b == '\r' || b == '\n' || b == '\t'; }

}  // namespace

std::string EncodePayload(Bytes data, v1::PayloadEncoding encoding) {
  std::string out;
  switch (encoding) {
    case v1::PAYLOAD_ENCODING_HEX:
      out.reserve(data.size() * 2);
      for (uint8_t b : data) {
        out += kHex[b >> 4];
        out += kHex[b & 0xf];
      }
      return out;
    case v1::PAYLOAD_ENCODING_BASE64:
      return absl::Base64Escape(
          absl::string_view(reinterpret_cast<const char*>(data.data()), data.size()));
    default:
      out.reserve(data.size());
      for (uint8_t b : data) {
        if (b == '\\') {
          out += "\\\\";
        } else if (Plain(b)) {
          out += static_cast<char>(b);
        } else {
          out += "\\x";
          out += kHex[b >> 4];
          out += kHex[b & 0xf];
        }
      }
      return out;
  }
}

size_t JsonCharsOfByte(uint8_t byte, size_t index, v1::PayloadEncoding encoding) {
  switch (encoding) {
    case v1::PAYLOAD_ENCODING_HEX:
      return 2;
    case v1::PAYLOAD_ENCODING_BASE64:
      return index % 3 == 0 ? 4 : 0;  // each group of 3 bytes starts 4 characters
    default:
      if (byte == '\\') return 4;                                  // "\\" in JSON: \\\\ .
      if (byte == '\r' || byte == '\n' || byte == '\t') return 2;  // \r \n \t
      if (byte == '"') return 2;
      if (Plain(byte)) return 1;
      return 5;  // \xNN, its backslash escaped in JSON
  }
}

}  // namespace mcpcap

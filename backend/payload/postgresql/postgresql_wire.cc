#include "backend/payload/postgresql/postgresql_wire.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "backend/payload/common/text_bounds.h"

namespace mcpcap::payload::postgresql {

absl::string_view ClientMessageName(uint8_t type) {
  switch (type) {
    case 'Q':
      return "Query";
    case 'P':
      return "Parse";
    case 'B':
      return "Bind";
    case 'E':
      return "Execute";
    case 'D':
      return "Describe";
    case 'C':
      return "Close";
    case 'S':
      return "Sync";
    case 'H':
      return "Flush";
    case 'X':
      return "Terminate";
    case 'd':
      return "CopyData";
    case 'c':
      return "CopyDone";
    case 'f':
      return "CopyFail";
    case 'p':
      return "PasswordMessage";
    case 'F':
      return "FunctionCall";
    default:
      return {};
  }
}

absl::string_view ServerMessageName(uint8_t type) {
  switch (type) {
    case 'R':
      return "Authentication";
    case 'S':
      return "ParameterStatus";
    case 'K':
      return "BackendKeyData";
    case 'Z':
      return "ReadyForQuery";
    case 'T':
      return "RowDescription";
    case 'D':
      return "DataRow";
    case 'C':
      return "CommandComplete";
    case 'E':
      return "ErrorResponse";
    case 'N':
      return "NoticeResponse";
    case 'I':
      return "EmptyQueryResponse";
    case '1':
      return "ParseComplete";
    case '2':
      return "BindComplete";
    case '3':
      return "CloseComplete";
    case 'n':
      return "NoData";
    case 't':
      return "ParameterDescription";
    case 's':
      return "PortalSuspended";
    case 'A':
      return "NotificationResponse";
    case 'G':
      return "CopyInResponse";
    case 'H':
      return "CopyOutResponse";
    case 'W':
      return "CopyBothResponse";
    case 'd':
      return "CopyData";
    case 'c':
      return "CopyDone";
    case 'V':
      return "FunctionCallResponse";
    case 'v':
      return "NegotiateProtocolVersion";
    default:
      return {};
  }
}

std::string AuthenticationName(uint32_t code) {
  switch (code) {
    case 0:
      return "AuthenticationOk";
    case 2:
      return "AuthenticationKerberosV5";
    case 3:
      return "AuthenticationCleartextPassword";
    case 5:
      return "AuthenticationMD5Password";
    case 7:
      return "AuthenticationGSS";
    case 8:
      return "AuthenticationGSSContinue";
    case 9:
      return "AuthenticationSSPI";
    case 10:
      return "AuthenticationSASL";
    case 11:
      return "AuthenticationSASLContinue";
    case 12:
      return "AuthenticationSASLFinal";
    default:
      return absl::StrCat("Authentication", code);
  }
}

bool ReadCString(ByteReader& r, absl::string_view* value, bool allow_cut) {
  const Bytes rest = r.rest();
  for (size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] == 0) {
      *value = absl::string_view(reinterpret_cast<const char*>(rest.data()), i);
      return r.Skip(i + 1);
    }
  }
  if (!allow_cut) return false;
  *value = absl::string_view(reinterpret_cast<const char*>(rest.data()), rest.size());
  return r.Skip(rest.size());
}

StartupParameters ParseStartupParameters(Bytes body) {
  StartupParameters out;
  ByteReader r(body);
  absl::string_view key;
  absl::string_view value;
  while (ReadCString(r, &key) && !key.empty() && ReadCString(r, &value)) {
    if (key == "user") out.user = BoundedValue(value);
    if (key == "database") out.database = BoundedValue(value);
    if (key == "application_name") out.application_name = BoundedValue(value);
  }
  return out;
}

ErrorFields ParseErrorFields(Bytes body) {
  ErrorFields out;
  ByteReader r(body);
  uint8_t field = 0;
  absl::string_view value;
  while (r.ReadU8(&field) && field != 0 && ReadCString(r, &value, /*allow_cut=*/true)) {
    switch (field) {
      case 'S':
        if (out.severity.empty()) out.severity = BoundedValue(value);
        break;
      case 'V':
        out.severity = BoundedValue(value);
        break;
      case 'C':
        out.code = BoundedValue(value);
        break;
      case 'M':
        out.message = BoundedText(value, value.size());
        break;
      case 'D':
        out.detail = BoundedText(value, value.size());
        break;
      case 'H':
        out.hint = BoundedText(value, value.size());
        break;
      default:
        break;
    }
  }
  return out;
}

CommandTag ParseCommandTag(absl::string_view tag) {
  CommandTag out;
  const std::vector<absl::string_view> words = absl::StrSplit(tag, ' ', absl::SkipEmpty());
  if (words.empty()) return out;
  uint64_t count = 0;
  const bool counted = words.size() >= 2 && absl::SimpleAtoi(words.back(), &count);
  const absl::string_view verb = words[0];
  if (counted && (verb == "SELECT" || verb == "INSERT" || verb == "UPDATE" || verb == "DELETE" ||
                  verb == "MERGE" || verb == "FETCH" || verb == "MOVE" || verb == "COPY")) {
    out.verb = std::string(verb);
    out.has_count = true;
    out.count = count;
    return out;
  }
  out.verb = BoundedValue(tag);
  return out;
}

}  // namespace mcpcap::payload::postgresql

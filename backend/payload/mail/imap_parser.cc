// IMAP (RFC 9051 / 3501): tagged commands and their tagged completions, untagged responses,
// literals ({n} at a line end: the next n bytes) skipped, LOGIN and AUTHENTICATE PLAIN as masked
// credentials, and STARTTLS completed with OK, after which the session is TLS.
#include <memory>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "backend/payload/common/heap_bytes.h"
#include "backend/payload/common/line_parser.h"
#include "backend/payload/common/line_protocols.h"
#include "backend/payload/common/text_bounds.h"
#include "backend/payload/mail/sasl.h"

namespace mcpcap::payload {
namespace {

// The size of a literal announced at the end of `line` ("{42}" or "{42+}"), if any.
bool TrailingLiteral(absl::string_view line, uint64_t* size) {
  if (line.empty() || line.back() != '}') return false;
  const size_t open = line.rfind('{');
  if (open == absl::string_view::npos) return false;
  absl::string_view digits = line.substr(open + 1, line.size() - open - 2);
  if (!digits.empty() && (digits.back() == '+' || digits.back() == '-')) digits.remove_suffix(1);
  return !digits.empty() && digits.size() <= 12 && absl::SimpleAtoi(digits, size);
}

// An IMAP astring at the start of `s`: an atom or a quoted string (a literal is not read).
// Returns false for a literal or nothing; *rest is what follows (after one space).
bool ReadAstring(absl::string_view s, std::string* value, absl::string_view* rest) {
  value->clear();
  if (s.empty() || s[0] == '{') return false;
  if (s[0] == '"') {
    size_t i = 1;
    for (; i < s.size() && s[i] != '"'; ++i) {
      if (s[i] == '\\' && i + 1 < s.size()) ++i;
      if (value->size() < kMaxValueBytes) value->push_back(s[i]);
    }
    if (i >= s.size()) return false;
    *rest = s.substr(std::min(s.size(), i + 2));
    return true;
  }
  const size_t space = s.find(' ');
  *value = BoundedValue(s.substr(0, space));
  *rest = space == absl::string_view::npos ? absl::string_view() : s.substr(space + 1);
  return true;
}

class ImapParser : public LineParser {
 public:
  using LineParser::LineParser;
  size_t MemoryBytes() const override {
    return sizeof(*this) + HeapBytes(auth_tag_) + HeapBytes(starttls_tag_);
  }

 private:
  void OnLine(Side from, absl::string_view line, Position at, uint64_t length) override {
    uint64_t literal = 0;
    const bool has_literal = TrailingLiteral(line, &literal);
    if (from == Side::kClient) {
      if (!auth_tag_.empty()) {
        OnAuthLine(line, at, length);
      } else if (in_command_) {
        // The continuation of a command after its literal.
        Emit(Side::kClient, at, "continuation", line, length);
      } else {
        OnCommand(line, at, length);
      }
      in_command_ = has_literal;
    } else {
      // A response goes on after its literal (") " closing a FETCH): part of that response.
      if (!in_response_) OnServerLine(line, at, length);
      in_response_ = has_literal;
    }
    if (has_literal) SkipBytes(from, literal);
  }

  void OnAuthLine(absl::string_view line, Position at, uint64_t length) {
    if (auth_plain_pending_) {
      auth_plain_pending_ = false;
      PlainCredential(line, at);
    }
    Emit(Side::kClient, at, "auth_data", absl::StrCat("SASL data ", MaskSecret(line)), length);
  }

  void PlainCredential(absl::string_view base64, Position at) {
    const std::string user = SaslPlainUser(base64);
    if (!user.empty()) facts()->user = user;
    EmitCredential(Side::kClient, at, "imap_auth", user,
                   absl::StrCat("AUTHENTICATE PLAIN ", MaskSecret(base64)));
  }

  void OnCommand(absl::string_view line, Position at, uint64_t length) {
    const auto [tag, rest] = SplitVerb(line);
    const auto [verb, arguments] = SplitVerb(rest);
    std::string command = UpperWord(verb);
    std::string summary(line);
    std::vector<std::pair<std::string, std::string>> fields = {{"tag", std::string(tag)},
                                                               {"command", command}};
    if (command == "UID") {  // UID FETCH / UID SEARCH ...
      command = absl::StrCat("UID ", UpperWord(SplitVerb(arguments).first));
      fields[1].second = command;
    }
    if (command == "LOGIN") {
      std::string user, password;
      absl::string_view after_user, after_password;
      const bool have_user = ReadAstring(arguments, &user, &after_user);
      const bool have_password = have_user && ReadAstring(after_user, &password, &after_password);
      if (have_user) {
        facts()->user = user;
        fields.emplace_back("user", user);
      }
      const std::string masked = have_password ? MaskSecret(password) : "{literal}";
      summary = absl::StrCat(tag, " LOGIN ", have_user ? user : "{literal}", " ", masked);
      EmitCredential(Side::kClient, at, "imap_password", user,
                     absl::StrCat("LOGIN ", have_user ? user : "{literal}", " ", masked));
    } else if (command == "AUTHENTICATE") {
      const auto [mechanism, initial] = SplitVerb(arguments);
      const std::string mech = UpperWord(mechanism);
      summary = absl::StrCat(tag, " AUTHENTICATE ", mech, initial.empty() ? "" : " ",
                             initial.empty() ? "" : MaskSecret(initial));
      auth_tag_ = std::string(tag);
      if (mech == "PLAIN" && !initial.empty() && initial != "=") {
        PlainCredential(initial, at);
      } else if (mech == "PLAIN") {
        auth_plain_pending_ = true;
      }
    } else if (command == "STARTTLS") {
      starttls_tag_ = std::string(tag);
    } else if (command == "SELECT" || command == "EXAMINE") {
      std::string mailbox;
      absl::string_view after;
      if (ReadAstring(arguments, &mailbox, &after)) fields.emplace_back("mailbox", mailbox);
    }
    Emit(Side::kClient, at, command, summary, length, std::move(fields));
  }

  void OnServerLine(absl::string_view line, Position at, uint64_t length) {
    const auto [tag, rest] = SplitVerb(line);
    if (tag == "+") {
      Emit(Side::kServer, at, "+", line, length);
      return;
    }
    const auto [word, text] = SplitVerb(rest);
    if (tag == "*") {
      // "* OK ...", "* CAPABILITY ...", "* 12 EXISTS", "* 3 FETCH (...)".
      std::string kind = UpperWord(word);
      if (!word.empty() && absl::ascii_isdigit(static_cast<unsigned char>(word[0]))) {
        kind = UpperWord(SplitVerb(text).first);
      }
      if (!greeted_ && (kind == "OK" || kind == "PREAUTH" || kind == "BYE")) {
        greeted_ = true;
        facts()->server_version = BoundedValue(text);
        Emit(Side::kServer, at, "greeting", line, length, {{"status", kind}});
        return;
      }
      Emit(Side::kServer, at, absl::StrCat("* ", kind), line, length);
      return;
    }
    greeted_ = true;
    const std::string status = UpperWord(word);
    Emit(Side::kServer, at, status, line, length,
         {{"tag", std::string(tag)}, {"status", status}, {"text", std::string(text)}});
    if (!auth_tag_.empty() && tag == auth_tag_) {
      auth_tag_.clear();
      auth_plain_pending_ = false;
    }
    if (!starttls_tag_.empty() && tag == starttls_tag_) {
      starttls_tag_.clear();
      if (status == "OK") StartEncryption("starttls");
    }
  }

  bool greeted_ = false;
  bool in_command_ = false;   // the client's command goes on after a literal
  bool in_response_ = false;  // the server's response goes on after a literal
  std::string auth_tag_;      // an AUTHENTICATE exchange is running
  bool auth_plain_pending_ = false;
  std::string starttls_tag_;
};

}  // namespace

std::unique_ptr<StreamParser> MakeImapParser(PayloadEvents* events, FlowFacts* facts) {
  return std::make_unique<ImapParser>(events, facts);
}

}  // namespace mcpcap::payload

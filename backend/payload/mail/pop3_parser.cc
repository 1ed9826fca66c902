// POP3 (RFC 1939, 2449, 2595, 5034): commands paired in order with their +OK / -ERR, multi-line
// answers (RETR, TOP, LIST, UIDL, CAPA) skipped up to their "." line, USER / PASS / APOP and
// AUTH PLAIN as masked credentials, and STLS accepted with +OK, after which the session is TLS.
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "backend/payload/common/heap_bytes.h"
#include "backend/payload/common/line_parser.h"
#include "backend/payload/common/line_protocols.h"
#include "backend/payload/common/metered_deque.h"
#include "backend/payload/common/text_bounds.h"
#include "backend/payload/mail/sasl.h"

namespace mcpcap::payload {
namespace {

class Pop3Parser : public LineParser {
 public:
  using LineParser::LineParser;
  size_t MemoryBytes() const override {
    return sizeof(*this) + pending_.MemoryBytes() + HeapBytes(user_) +
           HeapBytes(multiline_command_);
  }

 private:
  struct Pending {
    std::string command;
    bool multiline = false;  // a +OK answer carries lines up to "."
  };

  void OnLine(Side from, absl::string_view line, Position at, uint64_t length) override {
    if (from == Side::kServer) {
      OnServerLine(line, at, length);
    } else if (in_auth_) {
      if (line == "*") in_auth_ = false;
      if (auth_plain_pending_) {
        auth_plain_pending_ = false;
        PlainCredential(line, at);
      }
      Emit(Side::kClient, at, "auth_data", absl::StrCat("SASL data ", MaskSecret(line)), length);
    } else {
      OnCommand(line, at, length);
    }
  }

  void PlainCredential(absl::string_view base64, Position at) {
    const std::string user = SaslPlainUser(base64);
    if (!user.empty()) facts()->user = user;
    EmitCredential(Side::kClient, at, "pop3_auth", user,
                   absl::StrCat("AUTH PLAIN ", MaskSecret(base64)));
  }

  void OnCommand(absl::string_view line, Position at, uint64_t length) {
    const auto [verb, argument] = SplitVerb(line);
    const std::string command = UpperWord(verb);
    std::string summary(line);
    std::vector<std::pair<std::string, std::string>> fields = {{"command", command}};
    bool multiline = false;
    if (command == "USER") {
      user_ = BoundedValue(argument);
      facts()->user = user_;
      fields.emplace_back("user", user_);
    } else if (command == "PASS") {
      summary = absl::StrCat("PASS ", MaskSecret(argument));
      EmitCredential(Side::kClient, at, "pop3_password", user_, summary);
    } else if (command == "APOP") {
      const auto [name, digest] = SplitVerb(argument);
      user_ = BoundedValue(name);
      facts()->user = user_;
      summary = absl::StrCat("APOP ", user_, " ", MaskSecret(digest));
      EmitCredential(Side::kClient, at, "pop3_apop", user_, summary);
    } else if (command == "AUTH") {
      const auto [mechanism, initial] = SplitVerb(argument);
      const std::string mech = UpperWord(mechanism);
      summary = absl::StrCat("AUTH ", mech, initial.empty() ? "" : " ", MaskSecret(initial));
      if (!mech.empty()) {
        in_auth_ = true;
        if (mech == "PLAIN" && !initial.empty() && initial != "=") {
          PlainCredential(initial, at);
        } else if (mech == "PLAIN") {
          auth_plain_pending_ = true;
        }
      } else {
        multiline = true;  // AUTH without a mechanism lists them
      }
    } else if (command == "RETR" || command == "TOP" || command == "CAPA") {
      multiline = true;
    } else if (command == "LIST" || command == "UIDL") {
      multiline = argument.empty();
    }
    Emit(Side::kClient, at, command, summary, length, std::move(fields));
    if (pending_.size() < 64) pending_.push_back({command, multiline});
  }

  void OnServerLine(absl::string_view line, Position at, uint64_t length) {
    if (in_multiline_) {
      multiline_bytes_ += length;
      if (line != ".") return;
      in_multiline_ = false;
      Emit(Side::kServer, multiline_at_, "multiline_body",
           absl::StrCat(multiline_command_, " answer: ", multiline_bytes_, " bytes"),
           multiline_bytes_, {{"command", multiline_command_}});
      return;
    }
    const auto [status, text] = SplitVerb(line);
    if (status == "+" || (status.empty() && line == "+")) {  // SASL challenge
      Emit(Side::kServer, at, "+", line, length);
      return;
    }
    const bool ok = status == "+OK";
    if (!ok && status != "-ERR") {
      Emit(Side::kServer, at, "text", line, length);
      return;
    }
    if (!greeted_ && pending_.empty()) {
      greeted_ = true;
      if (ok) facts()->server_version = BoundedValue(text);
      Emit(Side::kServer, at, std::string(status), line, length, {{"command", ""}});
      return;
    }
    greeted_ = true;
    Pending pending;
    if (!pending_.empty()) {
      pending = pending_.front();
      pending_.pop_front();
    }
    in_auth_ = false;
    auth_plain_pending_ = false;
    Emit(Side::kServer, at, std::string(status), line, length,
         {{"command", pending.command}, {"text", std::string(text)}});
    if (ok && pending.multiline) {
      in_multiline_ = true;
      multiline_at_ = at;
      multiline_bytes_ = 0;
      multiline_command_ = pending.command;
    }
    if (ok && pending.command == "STLS") StartEncryption("starttls");
  }

  static size_t PendingBytes(const Pending& p) { return HeapBytes(p.command); }

  MeteredDeque<Pending> pending_{&PendingBytes};
  std::string user_;
  bool greeted_ = false;
  bool in_auth_ = false;
  bool auth_plain_pending_ = false;
  bool in_multiline_ = false;
  Position multiline_at_;
  uint64_t multiline_bytes_ = 0;
  std::string multiline_command_;
};

}  // namespace

std::unique_ptr<StreamParser> MakePop3Parser(PayloadEvents* events, FlowFacts* facts) {
  return std::make_unique<Pop3Parser>(events, facts);
}

}  // namespace mcpcap::payload

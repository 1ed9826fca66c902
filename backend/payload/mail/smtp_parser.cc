// SMTP (RFC 5321): commands paired in order with their replies (pipelining included), the
// message body after DATA skipped up to its "." line, BDAT chunks skipped, AUTH PLAIN / LOGIN
// reported as a masked credential with the decoded user, and STARTTLS accepted with 220, after
// which the session is TLS.
#include <memory>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "backend/payload/common/heap_bytes.h"
#include "backend/payload/common/line_parser.h"
#include "backend/payload/common/line_protocols.h"
#include "backend/payload/common/metered_deque.h"
#include "backend/payload/common/text_bounds.h"
#include "backend/payload/mail/sasl.h"

namespace mcpcap::payload {
namespace {

class SmtpParser : public LineParser {
 public:
  using LineParser::LineParser;
  size_t MemoryBytes() const override {
    return sizeof(*this) + replies_.MemoryBytes() + pending_.MemoryBytes() + HeapBytes(user_);
  }

 private:
  enum class Auth { kNone, kPlain, kLoginUser, kLoginPassword, kOther };

  void OnLine(Side from, absl::string_view line, Position at, uint64_t length) override {
    if (from == Side::kServer) {
      Reply reply;
      if (replies_.Add(line, at, length, &reply)) OnReply(reply);
      return;
    }
    if (in_body_) {
      OnBodyLine(line, at, length);
    } else if (auth_ != Auth::kNone) {
      OnAuthLine(line, at, length);
    } else {
      OnCommand(line, at, length);
    }
  }

  void OnBodyLine(absl::string_view line, Position at, uint64_t length) {
    if (body_lines_ == 0) body_at_ = at;
    body_bytes_ += length;
    ++body_lines_;
    if (line != ".") return;
    in_body_ = false;
    Emit(Side::kClient, body_at_, "message_body",
         absl::StrCat("message body: ", body_bytes_, " bytes, ", body_lines_ - 1, " lines"),
         body_bytes_);
    Expect(".");
  }

  void OnAuthLine(absl::string_view line, Position at, uint64_t length) {
    if (line == "*") {  // the client cancels the exchange
      Emit(Side::kClient, at, "auth_cancel", line, length);
      return;
    }
    const std::string masked = MaskSecret(line);
    switch (auth_) {
      case Auth::kPlain:
        PlainCredential(line, at);
        auth_ = Auth::kOther;
        break;
      case Auth::kLoginUser:
        user_ = SaslLoginUser(line);
        if (!user_.empty()) facts()->user = user_;
        Emit(Side::kClient, at, "auth_data", absl::StrCat("AUTH LOGIN user: ", user_), length,
             {{"user", user_}});
        auth_ = Auth::kLoginPassword;
        return;
      case Auth::kLoginPassword:
        EmitCredential(Side::kClient, at, "smtp_auth", user_,
                       absl::StrCat("AUTH LOGIN password (base64) ", masked));
        auth_ = Auth::kOther;
        break;
      default:
        break;
    }
    Emit(Side::kClient, at, "auth_data", absl::StrCat("SASL data ", masked), length);
  }

  void PlainCredential(absl::string_view base64, Position at) {
    user_ = SaslPlainUser(base64);
    if (!user_.empty()) facts()->user = user_;
    EmitCredential(Side::kClient, at, "smtp_auth", user_,
                   absl::StrCat("AUTH PLAIN ", MaskSecret(base64)));
  }

  void OnCommand(absl::string_view line, Position at, uint64_t length) {
    auto [verb, argument] = SplitVerb(line);
    std::string command = UpperWord(verb);
    // "MAIL FROM:<a>" and "RCPT TO:<b>": the verb is the first word.
    std::vector<std::pair<std::string, std::string>> fields = {{"command", command}};
    std::string summary(line);
    if (command == "MAIL" || command == "RCPT") {
      fields.emplace_back(
          command == "MAIL" ? "from" : "to",
          std::string(argument.substr(std::min(argument.find(':') + 1, argument.size()))));
    } else if (command == "EHLO" || command == "HELO") {
      fields.emplace_back("domain", std::string(argument));
    } else if (command == "DATA") {
      in_body_ = true;
      body_bytes_ = 0;
      body_lines_ = 0;
    } else if (command == "BDAT") {
      uint64_t size = 0;
      if (absl::SimpleAtoi(SplitVerb(argument).first, &size)) SkipBytes(Side::kClient, size);
      fields.emplace_back("size", std::string(SplitVerb(argument).first));
    } else if (command == "STARTTLS") {
      // Waits for the 220.
    } else if (command == "AUTH") {
      const auto [mechanism, initial] = SplitVerb(argument);
      const std::string mech = UpperWord(mechanism);
      fields.emplace_back("mechanism", mech);
      summary = absl::StrCat("AUTH ", mech, initial.empty() ? "" : " ", MaskSecret(initial));
      if (initial.empty()) {
        summary = absl::StrCat("AUTH ", mech);
        auth_ = mech == "PLAIN" ? Auth::kPlain : mech == "LOGIN" ? Auth::kLoginUser : Auth::kOther;
      } else if (mech == "PLAIN") {
        PlainCredential(initial, at);
        auth_ = Auth::kOther;
      } else if (mech == "LOGIN") {
        user_ = SaslLoginUser(initial);
        if (!user_.empty()) facts()->user = user_;
        auth_ = Auth::kLoginPassword;
      } else {
        auth_ = Auth::kOther;
      }
    }
    Emit(Side::kClient, at, command, summary, length, std::move(fields));
    Expect(command);
  }

  void Expect(std::string command) {
    if (pending_.size() < 64) pending_.push_back(std::move(command));
  }

  void OnReply(const Reply& reply) {
    std::string command;
    // 334 continues an AUTH exchange; the command's final reply comes later.
    const bool final_reply = reply.code != 334;
    if (!pending_.empty()) {
      command = pending_.front();
      if (final_reply) pending_.pop_front();
    }
    const std::string type = reply.code == 0 ? "text" : absl::StrCat(reply.code);
    Emit(Side::kServer, reply.at, type, reply.text, reply.length,
         {{"code", type}, {"command", command}, {"text", reply.text}});
    if (!greeted_ && command.empty() && reply.code == 220) {
      greeted_ = true;
      facts()->server_version = BoundedValue(reply.text);
    }
    if (command == "AUTH" && final_reply) auth_ = Auth::kNone;
    if (command == "DATA" && reply.code != 354 && body_lines_ == 0) in_body_ = false;
    if (command == "STARTTLS" && reply.code == 220) StartEncryption("starttls");
  }

  ReplyAssembler replies_;
  MeteredDeque<std::string> pending_{&HeapBytes};
  Auth auth_ = Auth::kNone;
  std::string user_;
  bool greeted_ = false;
  bool in_body_ = false;
  Position body_at_;
  uint64_t body_bytes_ = 0;
  uint64_t body_lines_ = 0;
};

}  // namespace

std::unique_ptr<StreamParser> MakeSmtpParser(PayloadEvents* events, FlowFacts* facts) {
  return std::make_unique<SmtpParser>(events, facts);
}

}  // namespace mcpcap::payload

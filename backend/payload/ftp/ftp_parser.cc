// FTP control connections (RFC 959, 4217): commands and replies, USER and PASS, and AUTH TLS
// accepted with 234, after which the connection is TLS. Data connections are other flows.
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "backend/payload/common/heap_bytes.h"
#include "backend/payload/common/line_parser.h"
#include "backend/payload/common/line_protocols.h"
#include "backend/payload/common/metered_deque.h"
#include "backend/payload/common/text_bounds.h"

namespace mcpcap::payload {
namespace {

class FtpParser : public LineParser {
 public:
  using LineParser::LineParser;
  size_t MemoryBytes() const override {
    return sizeof(*this) + replies_.MemoryBytes() + pending_.MemoryBytes() + HeapBytes(user_);
  }

 private:
  void OnLine(Side from, absl::string_view line, Position at, uint64_t length) override {
    if (from == Side::kClient) {
      OnCommand(line, at, length);
    } else {
      Reply reply;
      if (replies_.Add(line, at, length, &reply)) OnReply(reply);
    }
  }

  void OnCommand(absl::string_view line, Position at, uint64_t length) {
    const auto [verb, argument] = SplitVerb(line);
    const std::string command = UpperWord(verb);
    if (pending_.size() < 64) pending_.push_back(command);
    if (command == "PASS") {
      const std::string masked = MaskSecret(argument);
      EmitCredential(Side::kClient, at, "ftp_password", user_, absl::StrCat("PASS ", masked));
      Emit(Side::kClient, at, command, absl::StrCat("PASS ", masked), length,
           {{"command", command}});
      return;
    }
    if (command == "USER") {
      user_ = BoundedValue(argument);
      facts()->user = user_;
    }
    if (command == "AUTH") auth_tls_ = true;
    Emit(Side::kClient, at, command, line, length,
         {{"command", command}, {"argument", std::string(argument)}});
  }

  void OnReply(const Reply& reply) {
    std::string command;
    // A preliminary 1xx reply is followed by another reply to the same command.
    if (!pending_.empty() && (reply.code < 100 || reply.code >= 200)) {
      command = pending_.front();
      pending_.pop_front();
    } else if (!pending_.empty()) {
      command = pending_.front();
    }
    const std::string type = reply.code == 0 ? "text" : absl::StrCat(reply.code);
    Emit(Side::kServer, reply.at, type, reply.text, reply.length,
         {{"code", type}, {"command", command}, {"text", reply.text}});
    if (!greeted_ && reply.code == 220) {
      greeted_ = true;
      facts()->server_version = BoundedValue(reply.text);
    }
    if (command == "AUTH" && reply.code == 234 && auth_tls_) StartEncryption("starttls");
  }

  ReplyAssembler replies_;
  MeteredDeque<std::string> pending_{&HeapBytes};  // commands waiting for their reply, in order
  std::string user_;
  bool auth_tls_ = false;
  bool greeted_ = false;
};

}  // namespace

std::unique_ptr<StreamParser> MakeFtpParser(PayloadEvents* events, FlowFacts* facts) {
  return std::make_unique<FtpParser>(events, facts);
}

}  // namespace mcpcap::payload

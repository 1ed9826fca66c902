// SSH: the identification lines of both sides ("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3"); what
// follows each is binary packets (the key exchange, then encrypted), which are not read.
#include <memory>

#include "backend/payload/common/line_parser.h"
#include "backend/payload/common/line_protocols.h"
#include "backend/payload/common/text_bounds.h"

namespace mcpcap::payload {
namespace {

class SshParser : public LineParser {
 public:
  using LineParser::LineParser;
  size_t MemoryBytes() const override { return sizeof(*this); }

 private:
  void OnLine(Side from, absl::string_view line, Position at, uint64_t length) override {
    if (line.substr(0, 4) != "SSH-") {
      // RFC 4253 4.2 lets a server send other lines before its banner.
      Emit(from, at, "text", line, length);
      return;
    }
    Emit(from, at, "banner", line, length, {{"version", std::string(line)}});
    if (from == Side::kServer) {
      facts()->server_version = BoundedValue(line);
    } else {
      facts()->client_software = BoundedValue(line);
    }
    // The binary packet protocol follows: key exchange, then encryption.
    facts()->encrypted = true;
    facts()->encryption = "ssh";
    StopSide(from);
  }
};

}  // namespace

std::unique_ptr<StreamParser> MakeSshParser(PayloadEvents* events, FlowFacts* facts) {
  return std::make_unique<SshParser>(events, facts);
}

}  // namespace mcpcap::payload

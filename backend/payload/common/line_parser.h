// The common part of the parsers for line-based protocols (SSH banners, FTP, SMTP, POP3, IMAP):
// frames each side into CR LF lines (bounded), skips what a protocol asks to skip (message
// bodies, literals), resynchronises at the next line end after a gap, and stops reading a side
// quietly once its bytes are encrypted (STARTTLS, SSH).
#ifndef MCPCAP_BACKEND_PAYLOAD_COMMON_LINE_PARSER_H_
#define MCPCAP_BACKEND_PAYLOAD_COMMON_LINE_PARSER_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "backend/payload/common/app_events.h"
#include "backend/payload/common/stream_parser.h"

namespace mcpcap::payload {

// A longer line is skipped (up to its end) with a note: no text protocol we read needs more.
inline constexpr size_t kMaxLineBytes = 8192;

class LineParser : public StreamParser {
 public:
  LineParser(PayloadEvents* events, FlowFacts* facts) : events_(events), facts_(facts) {}

  ParseStatus Parse(Side from, StreamView& view) final;

 protected:
  // One whole line of `from`, without its CR LF; `length` counts the line end too.
  virtual void OnLine(Side from, absl::string_view line, Position at, uint64_t length) = 0;

  // The next `n` bytes of `from` are not lines (a literal, a BDAT chunk): skip them.
  void SkipBytes(Side from, uint64_t n) { sides_[Index(from)].skip += n; }
  // The rest of `from` is not text (encrypted, SSH binary packets): consume it unread.
  void StopSide(Side from) { sides_[Index(from)].raw = true; }
  // Both sides switched to TLS (or SSH): say so in the facts and stop reading.
  void StartEncryption(absl::string_view encryption);

  // Reports one message; `summary` is already masked where it held a secret.
  void Emit(Side from, Position at, std::string type, absl::string_view summary, uint64_t length,
            std::vector<std::pair<std::string, std::string>> fields = {});
  void EmitCredential(Side from, Position at, std::string kind, absl::string_view user,
                      std::string evidence);
  void Note(std::string note);

  PayloadEvents* events() const { return events_; }
  FlowFacts* facts() const { return facts_; }

 private:
  struct SideState {
    bool resync = false;  // drop bytes up to the next line end
    bool raw = false;
    uint64_t skip = 0;
    bool noted_long = false;
  };
  static size_t Index(Side side) { return side == Side::kClient ? 0 : 1; }

  PayloadEvents* events_;
  FlowFacts* facts_;
  std::array<SideState, 2> sides_;
};

// Puts the lines of 3-digit replies (FTP, SMTP) together: "250-a", "250-b", "250 c" is one reply.
struct Reply {
  int code = 0;            // 0: a line that is no reply at all
  std::string first_line;  // bounded
  std::string text;        // the lines' texts after the codes, joined by "; ", bounded
  Position at;
  uint64_t length = 0;
};

class ReplyAssembler {
 public:
  // Adds a server line; true when it completed a reply, returned in *out.
  bool Add(absl::string_view line, Position at, uint64_t length, Reply* out);
  // Heap bytes of the reply being put together.
  size_t MemoryBytes() const;

 private:
  bool open_ = false;
  int lines_ = 0;
  Reply current_;
};

// Helpers shared by the line protocols.
// The first word of `line` and the rest after one space.
std::pair<absl::string_view, absl::string_view> SplitVerb(absl::string_view line);
// Upper-case copy, at most kMaxValueBytes.
std::string UpperWord(absl::string_view word);
// A 3-digit reply line ("250-..." / "250 ..."): the code, and whether it is the last line.
bool ParseReplyCode(absl::string_view line, int* code, bool* last);

}  // namespace mcpcap::payload

#endif  // MCPCAP_BACKEND_PAYLOAD_COMMON_LINE_PARSER_H_

// Signatures of the text protocols: the first line of a side, matched against the protocol's
// request line, status line, banner or command. A first line not complete yet is kNeedMore as
// long as what came so far can still become a match.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "backend/payload/detect/detect_signatures.h"

namespace mcpcap::payload::detect {
namespace {

// Longest first line a text protocol may need before it is judged (a long request target).
constexpr size_t kMaxFirstLine = 2048;

absl::string_view Text(Bytes b) {
  return absl::string_view(reinterpret_cast<const char*>(b.data()), b.size());
}

bool IsPrintableText(absl::string_view s) {
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t') || u == 0x7f) return false;
  }
  return true;
}

// kNeedMore when `text` is a (case-insensitive) proper prefix of one of `literals`; kYes when one
// of them is a prefix of `text`; else kNo.
Match PrefixMatch(absl::string_view text, std::initializer_list<absl::string_view> literals) {
  bool partial = false;
  for (absl::string_view literal : literals) {
    if (StartsWithNoCase(text, literal)) return Match::kYes;
    if (text.size() < literal.size() && StartsWithNoCase(literal, text)) partial = true;
  }
  return partial ? Match::kNeedMore : Match::kNo;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// A reply line of the 3-digit family (SMTP, FTP): the code, then SP or '-'.
bool ReplyCode(absl::string_view line, absl::string_view code) {
  return line.size() >= 4 && line.substr(0, 3) == code && (line[3] == ' ' || line[3] == '-');
}

// How a server's first line reads as a "220" greeting, for SMTP and FTP alike: kNeedMore while
// incomplete, kNo when it is not a greeting, else the greeting text (all of the visible bytes,
// so that the keyword may sit on a continuation line) in *text.
Match Greeting(Bytes b, absl::string_view* text) {
  bool complete = false;
  const absl::string_view line = FirstLine(b, &complete);
  if (!complete) {
    if (line.size() >= kMaxFirstLine || !IsPrintableText(line)) return Match::kNo;
    for (absl::string_view code : {"220", "421", "554"}) {
      const size_t n = std::min<size_t>(line.size(), 3);
      if (line.substr(0, n) == code.substr(0, n) &&
          (line.size() <= 3 || line[3] == ' ' || line[3] == '-')) {
        return Match::kNeedMore;
      }
    }
    return Match::kNo;
  }
  if (!IsPrintableText(line)) return Match::kNo;
  if (!ReplyCode(line, "220") && !ReplyCode(line, "421") && !ReplyCode(line, "554"))
    return Match::kNo;
  *text = Text(b.first(std::min<size_t>(b.size(), 1024)));
  return Match::kYes;
}

bool ContainsNoCase(absl::string_view text, absl::string_view word) {
  if (word.size() > text.size()) return false;
  for (size_t i = 0; i + word.size() <= text.size(); ++i) {
    if (absl::EqualsIgnoreCase(text.substr(i, word.size()), word)) return true;
  }
  return false;
}

// The first line of a client, for the commands of the mail and file protocols. kNeedMore while
// the line is short and incomplete.
Match ClientCommand(Bytes b, std::initializer_list<absl::string_view> commands) {
  bool complete = false;
  const absl::string_view line = FirstLine(b, &complete);
  if (!IsPrintableText(line)) return Match::kNo;
  // The literals may end in "\r" (a command without arguments): match the raw line.
  const absl::string_view raw = Text(b).substr(0, std::min(b.size(), line.size() + 2));
  const Match m = PrefixMatch(raw, commands);
  if (m == Match::kNeedMore && complete) return Match::kNo;
  return m;
}

}  // namespace

absl::string_view FirstLine(Bytes b, bool* complete) {
  const absl::string_view text = Text(b.first(std::min(b.size(), kMaxFirstLine)));
  const size_t lf = text.find('\n');
  *complete = lf != absl::string_view::npos;
  absl::string_view line = *complete ? text.substr(0, lf) : text;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

bool StartsWithNoCase(absl::string_view text, absl::string_view prefix) {
  return absl::StartsWithIgnoreCase(text, prefix);
}

Match HttpClient(Bytes b) {
  const absl::string_view all = Text(b);
  if (PrefixMatch(all, {"PRI * HTTP/2.0\r\n"}) != Match::kNo) {
    return PrefixMatch(all, {"PRI * HTTP/2.0\r\n"});
  }
  bool complete = false;
  const absl::string_view line = FirstLine(b, &complete);
  // METHOD: an upper-case token.
  size_t i = 0;
  while (i < line.size() && i < 24 &&
         ((line[i] >= 'A' && line[i] <= 'Z') || line[i] == '-' || line[i] == '_')) {
    ++i;
  }
  if (i == line.size() && !complete) return i < 24 ? Match::kNeedMore : Match::kNo;
  if (i == 0 || i >= line.size() || line[i] != ' ') return Match::kNo;
  const absl::string_view after_method = line.substr(i + 1);
  if (!IsPrintableText(after_method)) return Match::kNo;
  if (!complete) return line.size() < kMaxFirstLine ? Match::kNeedMore : Match::kNo;
  // target SP HTTP/1.x, the target without spaces.
  const size_t space = after_method.find(' ');
  if (space == 0 || space == absl::string_view::npos) return Match::kNo;
  const absl::string_view version = after_method.substr(space + 1);
  if (version.size() != 8 || version.substr(0, 7) != "HTTP/1." || !IsDigit(version[7]))
    return Match::kNo;
  return Match::kYes;
}

Match HttpServer(Bytes b) {
  const absl::string_view text = Text(b.first(std::min<size_t>(b.size(), 13)));
  const Match prefix = PrefixMatch(text, {"HTTP/1."});
  if (prefix != Match::kYes) return prefix;
  // HTTP/1.x NNN
  for (size_t i = 7; i < 13; ++i) {
    if (i >= text.size()) return Match::kNeedMore;
    const char c = text[i];
    const bool ok = i == 7   ? IsDigit(c)
                    : i == 8 ? c == ' '
                    : i < 12 ? IsDigit(c)
                             : (c == ' ' || c == '\r');
    if (!ok) return Match::kNo;
  }
  return Match::kYes;
}

Match SshBanner(Bytes b) {
  return PrefixMatch(Text(b.first(std::min<size_t>(b.size(), 9))),
                     {"SSH-2.0-", "SSH-1.99-", "SSH-1.5-"});
}

namespace {

constexpr absl::string_view kRedisCommands[] = {
    "GET",     "SET",      "DEL",      "EXISTS",    "EXPIRE",     "TTL",         "INCR",
    "DECR",    "INCRBY",   "MGET",     "MSET",      "HGET",       "HSET",        "HGETALL",
    "HDEL",    "HMSET",    "HMGET",    "LPUSH",     "RPUSH",      "LPOP",        "RPOP",
    "LRANGE",  "LLEN",     "SADD",     "SREM",      "SMEMBERS",   "SISMEMBER",   "ZADD",
    "ZRANGE",  "ZREM",     "ZSCORE",   "PING",      "AUTH",       "SELECT",      "INFO",
    "CONFIG",  "CLIENT",   "HELLO",    "COMMAND",   "QUIT",       "KEYS",        "SCAN",
    "FLUSHDB", "FLUSHALL", "PUBLISH",  "SUBSCRIBE", "PSUBSCRIBE", "UNSUBSCRIBE", "MULTI",
    "EXEC",    "DISCARD",  "WATCH",    "EVAL",      "EVALSHA",    "SCRIPT",      "XADD",
    "XREAD",   "XRANGE",   "DBSIZE",   "TYPE",      "RENAME",     "APPEND",      "SETEX",
    "SETNX",   "GETSET",   "STRLEN",   "ECHO",      "MONITOR",    "SAVE",        "BGSAVE",
    "TIME",    "OBJECT",   "MEMORY",   "CLUSTER",   "READONLY",   "REPLCONF",    "PSYNC",
    "SYNC",    "ROLE",     "SENTINEL", "FUNCTION",  "FCALL",      "UNLINK",      "HINCRBY",
    "ZINCRBY", "EXPIREAT", "PEXPIRE",  "PTTL",      "PERSIST",    "SPOP",        "SCARD",
    "ZCARD",   "XGROUP",   "XACK",     "BLPOP",     "BRPOP",      "GETDEL",      "GETEX",
};
constexpr absl::string_view kRedisInline[] = {"PING",   "INFO",    "HELLO",    "ECHO",
                                              "DBSIZE", "MONITOR", "FLUSHALL", "COMMAND"};

bool IsRedisCommand(absl::string_view word) {
  for (absl::string_view c : kRedisCommands) {
    if (absl::EqualsIgnoreCase(word, c)) return true;
  }
  return false;
}

// "<prefix><digits>\r\n" at the start of `text`: the number, and how many bytes it took.
// kNeedMore when `text` ends inside.
Match RespNumber(absl::string_view text, char prefix, uint64_t* value, size_t* used) {
  if (text.empty()) return Match::kNeedMore;
  if (text[0] != prefix) return Match::kNo;
  size_t i = 1;
  uint64_t v = 0;
  while (i < text.size() && IsDigit(text[i])) {
    v = v * 10 + static_cast<uint64_t>(text[i] - '0');
    if (++i > 12) return Match::kNo;
  }
  if (i == text.size()) return Match::kNeedMore;
  if (i == 1 || text[i] != '\r') return Match::kNo;
  if (i + 1 == text.size()) return Match::kNeedMore;
  if (text[i + 1] != '\n') return Match::kNo;
  *value = v;
  *used = i + 2;
  return Match::kYes;
}

}  // namespace

Match RedisClient(Bytes b) {
  const absl::string_view text = Text(b.first(std::min<size_t>(b.size(), 256)));
  if (text.size() >= 2 && text[0] == '*' && text[1] == '-') {
    // "*-N": a command the server skips (count <= 0); only its port can say more.
    size_t i = 2;
    while (i < text.size() && i < 22 && IsDigit(text[i])) ++i;
    if (i == text.size()) return Match::kNeedMore;
    if (i == 2 || text[i] != '\r') return Match::kNo;
    if (i + 1 == text.size()) return Match::kNeedMore;
    return text[i + 1] == '\n' ? Match::kWeak : Match::kNo;
  }
  if (!text.empty() && text[0] == '*') {
    uint64_t count = 0, length = 0;
    size_t used = 0, used2 = 0;
    Match m = RespNumber(text, '*', &count, &used);
    if (m != Match::kYes) return m;
    if (count == 0 || count > 1024 * 1024) return Match::kNo;
    m = RespNumber(text.substr(used), '$', &length, &used2);
    if (m != Match::kYes) return m;
    if (length == 0 || length > 32) return Match::kNo;
    const absl::string_view rest = text.substr(used + used2);
    if (rest.size() < length + 2) return Match::kNeedMore;
    if (rest.substr(length, 2) != "\r\n") return Match::kNo;
    const absl::string_view command = rest.substr(0, length);
    if (IsRedisCommand(command)) return Match::kYes;
    for (char c : command) {
      if (!absl::ascii_isalpha(static_cast<unsigned char>(c)) && c != '.' && c != '_')
        return Match::kNo;
    }
    return Match::kWeak;  // a module's command, perhaps
  }
  // Inline commands, as telnet, nc or redis-benchmark send them (any case, spaces between
  // arguments): the commands only Redis has decide, other known ones are weak (the server's
  // reply must agree). Request lines of HTTP, SIP or RTSP are not inline commands.
  bool complete = false;
  const absl::string_view line = FirstLine(b, &complete);
  const absl::string_view word = line.substr(0, line.find_first_of(" \t"));
  if (!complete) {
    if (line.size() >= 64 || !IsPrintableText(line)) return Match::kNo;
    if (word.size() < line.size()) return IsRedisCommand(word) ? Match::kNeedMore : Match::kNo;
    for (absl::string_view c : kRedisCommands) {
      if (word.size() <= c.size() && StartsWithNoCase(c, word)) return Match::kNeedMore;
    }
    return Match::kNo;
  }
  if (!IsPrintableText(line) || !IsRedisCommand(word)) return Match::kNo;
  if (absl::StrContains(line, " HTTP/") || absl::StrContains(line, " SIP/") ||
      absl::StrContains(line, " RTSP/")) {
    return Match::kNo;
  }
  if (absl::EqualsIgnoreCase(word, "HELLO")) {
    // "HELLO [protover ...]": a greeting in words ("hello there") is not one.
    const absl::string_view rest = absl::StripLeadingAsciiWhitespace(line.substr(word.size()));
    return rest.empty() || absl::ascii_isdigit(static_cast<unsigned char>(rest[0])) ? Match::kYes
                                                                                    : Match::kWeak;
  }
  for (absl::string_view c : kRedisInline) {
    if (absl::EqualsIgnoreCase(word, c)) return Match::kYes;
  }
  return Match::kWeak;
}

Match RedisServer(Bytes b) {
  const absl::string_view text = Text(b.first(std::min<size_t>(b.size(), 64)));
  if (PrefixMatch(text, {"+OK\r\n"}) != Match::kNo) {  // short: only weak alone
    return PrefixMatch(text, {"+OK\r\n"}) == Match::kYes ? Match::kWeak : Match::kNeedMore;
  }
  const Match strong = PrefixMatch(text, {"+PONG\r\n", "-NOAUTH ", "-WRONGPASS ", "-WRONGTYPE ",
                                          "-NOPERM ", "-LOADING ", "-READONLY "});
  if (strong != Match::kNo) return strong;
  if (PrefixMatch(text, {"-ERR "}) != Match::kNo)
    return PrefixMatch(text, {"-ERR "}) == Match::kYes ? Match::kWeak : Match::kNeedMore;
  for (char prefix : {'$', ':', '*', '%'}) {
    uint64_t value = 0;
    size_t used = 0;
    if (!text.empty() && text[0] == prefix) {
      if (prefix == ':' && text.size() > 1 && text[1] == '-') return Match::kWeak;
      const Match m = RespNumber(text, prefix, &value, &used);
      return m == Match::kYes ? Match::kWeak : m;
    }
  }
  if (text.size() >= 3 && text.substr(0, 3) == "$-1") return Match::kWeak;
  return Match::kNo;
}

namespace {

constexpr absl::string_view kSipMethods[] = {
    "INVITE", "REGISTER", "OPTIONS", "ACK",   "BYE",    "CANCEL", "SUBSCRIBE",
    "NOTIFY", "MESSAGE",  "INFO",    "PRACK", "UPDATE", "REFER",  "PUBLISH",
};

}  // namespace

Match SipMessage(Bytes b) {
  bool complete = false;
  const absl::string_view line = FirstLine(b, &complete);
  if (!IsPrintableText(line)) return Match::kNo;
  if (StartsWithNoCase(line, "SIP/")) {
    const Match m = PrefixMatch(line, {"SIP/2.0 "});
    if (m != Match::kYes) return complete ? Match::kNo : m;
    if (line.size() < 11) return complete ? Match::kNo : Match::kNeedMore;
    if (!IsDigit(line[8]) || !IsDigit(line[9]) || !IsDigit(line[10])) return Match::kNo;
    return Match::kYes;
  }
  const absl::string_view method = line.substr(0, line.find(' '));
  bool known = false, partial = false;
  for (absl::string_view m : kSipMethods) {
    if (method == m) known = true;
    if (method.size() == line.size() && method.size() < m.size() &&
        m.substr(0, method.size()) == method) {
      partial = true;
    }
  }
  if (!complete) {
    if (known || partial) return line.size() < kMaxFirstLine ? Match::kNeedMore : Match::kNo;
    return Match::kNo;
  }
  if (!known || method.size() == line.size()) return Match::kNo;
  const absl::string_view rest = line.substr(method.size() + 1);
  if (!StartsWithNoCase(rest, "sip:") && !StartsWithNoCase(rest, "sips:") &&
      !StartsWithNoCase(rest, "tel:")) {
    return Match::kNo;
  }
  return absl::EndsWith(rest, " SIP/2.0") ? Match::kYes : Match::kNo;
}

Match SmtpServer(Bytes b) {
  absl::string_view text;
  const Match m = Greeting(b, &text);
  if (m != Match::kYes) return m;
  if (ContainsNoCase(text, "SMTP")) return Match::kYes;
  if (ContainsNoCase(text, "FTP") || ContainsNoCase(text, "POP3") || ContainsNoCase(text, "IMAP"))
    return Match::kNo;
  return Match::kWeak;
}

Match SmtpClient(Bytes b) {
  Match m = ClientCommand(b, {"EHLO ", "HELO ", "MAIL FROM:"});
  if (m == Match::kYes &&
      (StartsWithNoCase(Text(b), "EHLO ") || StartsWithNoCase(Text(b), "HELO "))) {
    // The argument is a domain or an address literal.
    bool complete = false;
    const absl::string_view domain = FirstLine(b, &complete).substr(5);
    for (char c : domain) {
      if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) &&
          absl::string_view(".-_[]:").find(c) == absl::string_view::npos)
        return Match::kNo;
    }
    if (!complete) return Match::kNeedMore;
    if (domain.empty()) return Match::kNo;
  }
  if (m != Match::kNo) return m;
  return ClientCommand(b, {"STARTTLS\r", "AUTH PLAIN", "AUTH LOGIN", "AUTH CRAM-MD5", "QUIT\r"}) ==
                 Match::kYes
             ? Match::kWeak
             : Match::kNo;
}

Match FtpServer(Bytes b) {
  absl::string_view text;
  const Match m = Greeting(b, &text);
  if (m != Match::kYes) return m;
  if (ContainsNoCase(text, "SMTP")) return Match::kNo;
  if (ContainsNoCase(text, "FTP")) return Match::kYes;
  if (ContainsNoCase(text, "POP3") || ContainsNoCase(text, "IMAP")) return Match::kNo;
  return Match::kWeak;
}

Match FtpClient(Bytes b) {
  const Match m = ClientCommand(
      b, {"AUTH TLS", "AUTH SSL", "FEAT\r", "SYST\r", "PASV\r", "EPSV\r", "PWD\r", "TYPE I\r",
          "TYPE A\r", "OPTS UTF8", "PBSZ ", "CWD ", "EPRT ", "PORT ", "SITE "});
  if (m != Match::kNo) return m;
  const Match weak = ClientCommand(b, {"USER ", "PASS ", "QUIT\r", "NOOP\r"});
  return weak == Match::kYes ? Match::kWeak : weak;
}

Match Pop3Server(Bytes b) {
  bool complete = false;
  const absl::string_view line = FirstLine(b, &complete);
  if (!complete) {
    if (line.size() >= kMaxFirstLine || !IsPrintableText(line)) return Match::kNo;
    if (line.size() < 4) return PrefixMatch(line, {"+OK "});
    return line.substr(0, 4) == "+OK " ? Match::kNeedMore : Match::kNo;
  }
  if (line.size() < 5 || line.substr(0, 4) != "+OK " || !IsPrintableText(line)) return Match::kNo;
  if (ContainsNoCase(line, "POP")) return Match::kYes;
  // The APOP timestamp: <process-id.clock@hostname>.
  const size_t lt = line.find('<');
  if (lt != absl::string_view::npos && line.find('@', lt) != absl::string_view::npos &&
      line.find('>', lt) != absl::string_view::npos) {
    return Match::kYes;
  }
  if (ContainsNoCase(line, "SMTP") || ContainsNoCase(line, "IMAP")) return Match::kNo;
  // "+OK " and a text as a server's first line: Redis's +OK has no text, so this is POP3's
  // greeting ("+OK Dovecot (Debian) ready.") unless the text is too short to be one.
  return line.size() >= 10 ? Match::kYes : Match::kWeak;
}

Match Pop3Client(Bytes b) {
  const Match m = ClientCommand(b, {"CAPA\r", "STLS\r", "APOP ", "UIDL\r", "STAT\r"});
  if (m != Match::kNo) return m;
  const Match weak = ClientCommand(b, {"USER ", "PASS ", "QUIT\r", "AUTH "});
  return weak == Match::kYes ? Match::kWeak : weak;
}

Match ImapServer(Bytes b) {
  bool complete = false;
  const absl::string_view line = FirstLine(b, &complete);
  const Match m = PrefixMatch(line, {"* OK", "* PREAUTH", "* BYE"});
  if (m == Match::kNeedMore && complete) return Match::kNo;
  return m;
}

namespace {

constexpr absl::string_view kImapCommands[] = {
    "CAPABILITY", "LOGIN",  "AUTHENTICATE", "STARTTLS",  "NOOP",   "LOGOUT", "ID",
    "ENABLE",     "SELECT", "EXAMINE",      "LIST",      "LSUB",   "STATUS", "FETCH",
    "UID",        "APPEND", "IDLE",         "NAMESPACE", "CREATE", "SEARCH",
};

}  // namespace

Match ImapClient(Bytes b) {
  bool complete = false;
  const absl::string_view line = FirstLine(b, &complete);
  if (!IsPrintableText(line)) return Match::kNo;
  // tag: atom characters, not '*' or '+' (those are the server's).
  size_t i = 0;
  while (i < line.size() && i <= 32 &&
         (absl::ascii_isalnum(static_cast<unsigned char>(line[i])) || line[i] == '.' ||
          line[i] == '_' || line[i] == '-')) {
    ++i;
  }
  if (i == line.size()) return !complete && i <= 32 ? Match::kNeedMore : Match::kNo;
  if (i == 0 || i > 32 || line[i] != ' ') return Match::kNo;
  const absl::string_view rest = line.substr(i + 1);
  const absl::string_view command = rest.substr(0, rest.find(' '));
  for (absl::string_view c : kImapCommands) {
    if (absl::EqualsIgnoreCase(command, c)) {
      if (command.size() == rest.size() && !complete) return Match::kNeedMore;
      return Match::kYes;
    }
    if (!complete && command.size() == rest.size() && command.size() < c.size() &&
        StartsWithNoCase(c, command)) {
      return Match::kNeedMore;
    }
  }
  return Match::kNo;
}

}  // namespace mcpcap::payload::detect

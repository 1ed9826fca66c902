#include "backend/payload/common/query_classify.h"

#include <algorithm>
#include <array>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace mcpcap::payload {
namespace {

bool IsWordChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
}

// Reads SQL tokens one at a time, stepping over white space, comments and quoted text.
class SqlScanner {
 public:
  explicit SqlScanner(absl::string_view sql) : sql_(sql) {}

  bool done() const { return pos_ >= sql_.size(); }
  int depth() const { return depth_; }

  // Skips white space and comments. MySQL executable comments ("/*!40101 ... */") are entered:
  // their content is SQL that the server runs.
  void SkipSpaceAndComments() {
    while (pos_ < sql_.size()) {
      const char c = sql_[pos_];
      if (absl::ascii_isspace(static_cast<unsigned char>(c))) {
        ++pos_;
      } else if (c == '-' && Peek(1) == '-') {
        SkipLine();
      } else if (c == '#') {
        SkipLine();
      } else if (c == '/' && Peek(1) == '*' && Peek(2) == '!') {
        pos_ += 3;
        while (pos_ < sql_.size() && absl::ascii_isdigit(static_cast<unsigned char>(sql_[pos_]))) {
          ++pos_;
        }
      } else if (c == '/' && Peek(1) == '*') {
        const size_t end = sql_.find("*/", pos_ + 2);
        pos_ = end == absl::string_view::npos ? sql_.size() : end + 2;
      } else if (c == '*' && Peek(1) == '/') {  // the end of an executable comment
        pos_ += 2;
      } else {
        return;
      }
    }
  }

  // The name that follows (after white space and comments): a quoted identifier's content
  // (`x`, "x") or the bare characters up to white space, ';' or a comment.
  absl::string_view NextName() {
    SkipSpaceAndComments();
    if (done()) return {};
    const char quote = sql_[pos_];
    if (quote == '`' || quote == '"') {
      const size_t end = sql_.find(quote, pos_ + 1);
      const size_t stop = end == absl::string_view::npos ? sql_.size() : end;
      const absl::string_view name = sql_.substr(pos_ + 1, stop - pos_ - 1);
      pos_ = std::min(sql_.size(), stop + 1);
      return name;
    }
    const size_t start = pos_;
    while (pos_ < sql_.size()) {
      const char c = sql_[pos_];
      if (absl::ascii_isspace(static_cast<unsigned char>(c)) || c == ';' || c == '#' ||
          (c == '/' && Peek(1) == '*') || (c == '-' && Peek(1) == '-') ||
          (c == '*' && Peek(1) == '/')) {
        break;
      }
      ++pos_;
    }
    return sql_.substr(start, pos_ - start);
  }

  // The next word (letters, digits, '_', '$'), or empty when the next token is something else;
  // punctuation and quoted text are stepped over (tracking parentheses) when `skip_other`.
  absl::string_view NextWord(bool skip_other) {
    while (true) {
      SkipSpaceAndComments();
      if (done()) return {};
      const char c = sql_[pos_];
      if (IsWordChar(c) && c != '$') {
        const size_t start = pos_;
        while (pos_ < sql_.size() && IsWordChar(sql_[pos_])) ++pos_;
        return sql_.substr(start, pos_ - start);
      }
      if (!skip_other && c != '(') return {};
      SkipToken();
    }
  }

 private:
  char Peek(size_t ahead) const { return pos_ + ahead < sql_.size() ? sql_[pos_ + ahead] : '\0'; }
  void SkipLine() {
    const size_t end = sql_.find('\n', pos_);
    pos_ = end == absl::string_view::npos ? sql_.size() : end + 1;
  }
  void SkipQuoted(char quote) {
    ++pos_;
    while (pos_ < sql_.size()) {
      const char c = sql_[pos_++];
      if (c == '\\' && quote == '\'') {
        ++pos_;  // MySQL escapes; harmless for PostgreSQL's standard strings in this scan
      } else if (c == quote) {
        if (pos_ < sql_.size() && sql_[pos_] == quote) {
          ++pos_;  // doubled quote
        } else {
          return;
        }
      }
    }
  }
  // $tag$ ... $tag$ (PostgreSQL). A lone '$' (e.g. "$1") is just punctuation.
  void SkipDollarQuoted() {
    size_t end = pos_ + 1;
    while (end < sql_.size() && IsWordChar(sql_[end]) && sql_[end] != '$') ++end;
    if (end >= sql_.size() || sql_[end] != '$') {
      ++pos_;
      return;
    }
    const absl::string_view tag = sql_.substr(pos_, end - pos_ + 1);
    const size_t close = sql_.find(tag, end + 1);
    pos_ = close == absl::string_view::npos ? sql_.size() : close + tag.size();
  }
  void SkipToken() {
    const char c = sql_[pos_];
    if (c == '\'' || c == '"' || c == '`') {
      SkipQuoted(c);
    } else if (c == '$') {
      SkipDollarQuoted();
    } else {
      if (c == '(') ++depth_;
      if (c == ')') --depth_;
      ++pos_;
    }
  }

  absl::string_view sql_;
  size_t pos_ = 0;
  int depth_ = 0;
};

bool WordIs(absl::string_view word, absl::string_view upper) {
  return absl::EqualsIgnoreCase(word, upper);
}

// The class of a statement that starts with `verb` (the rest follows in `scanner`).
std::string ClassOfVerb(absl::string_view verb, SqlScanner& scanner) {
  static constexpr std::array<std::pair<absl::string_view, absl::string_view>, 33> kVerbs = {{
      {"SELECT", "SELECT"},
      {"VALUES", "SELECT"},
      {"TABLE", "SELECT"},
      {"INSERT", "INSERT"},
      {"REPLACE", "INSERT"},
      {"UPDATE", "UPDATE"},
      {"DELETE", "DELETE"},
      {"CREATE", "DDL"},
      {"ALTER", "DDL"},
      {"DROP", "DDL"},
      {"TRUNCATE", "DDL"},
      {"RENAME", "DDL"},
      {"BEGIN", "TRANSACTION"},
      {"COMMIT", "TRANSACTION"},
      {"ROLLBACK", "TRANSACTION"},
      {"SAVEPOINT", "TRANSACTION"},
      {"RELEASE", "TRANSACTION"},
      {"END", "TRANSACTION"},
      {"ABORT", "TRANSACTION"},
      {"SET", "SET"},
      {"SHOW", "SHOW"},
      {"DESCRIBE", "SHOW"},
      {"DESC", "SHOW"},
      {"USE", "USE"},
      {"CALL", "CALL"},
      {"EXPLAIN", "EXPLAIN"},
      {"COPY", "COPY"},
      {"GRANT", "DCL"},
      {"REVOKE", "DCL"},
      {"PREPARE", "PREPARE"},
      {"EXECUTE", "EXECUTE"},
      {"DEALLOCATE", "DEALLOCATE"},
      {"MERGE", "UPDATE"},
  }};
  if (WordIs(verb, "START")) {
    return WordIs(scanner.NextWord(false), "TRANSACTION") ? "TRANSACTION" : "OTHER";
  }
  if (WordIs(verb, "WITH")) {
    // Common table expressions: the main statement is the first verb at the WITH's level.
    const int level = scanner.depth();
    while (true) {
      const absl::string_view word = scanner.NextWord(true);
      if (word.empty()) return "OTHER";
      if (scanner.depth() != level) continue;
      for (absl::string_view main : {"SELECT", "INSERT", "UPDATE", "DELETE", "MERGE"}) {
        if (WordIs(word, main)) return main == "MERGE" ? "UPDATE" : std::string(main);
      }
    }
  }
  for (const auto& [name, kind] : kVerbs) {
    if (WordIs(verb, name)) return std::string(kind);
  }
  return "OTHER";
}

}  // namespace

std::string ClassifyQuery(absl::string_view sql) {
  SqlScanner scanner(sql);
  const absl::string_view verb = scanner.NextWord(/*skip_other=*/false);
  if (verb.empty()) return "OTHER";
  return ClassOfVerb(verb, scanner);
}

std::string UsedDatabase(absl::string_view sql) {
  SqlScanner scanner(sql);
  if (!WordIs(scanner.NextWord(/*skip_other=*/false), "USE")) return {};
  return std::string(scanner.NextName());
}

std::vector<absl::string_view> SplitStatements(absl::string_view sql, size_t max_statements) {
  std::vector<absl::string_view> out;
  auto add = [&out](absl::string_view piece) {
    piece = absl::StripAsciiWhitespace(piece);
    if (!piece.empty()) out.push_back(piece);
  };
  size_t start = 0;
  size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    if (c == ';' && out.size() + 1 < max_statements) {
      add(sql.substr(start, i - start));
      start = ++i;
      continue;
    }
    if (c == '\'' || c == '"' || c == '`') {
      ++i;
      while (i < sql.size()) {
        if (sql[i] == '\\' && c == '\'') {
          i += 2;
          continue;
        }
        if (sql[i] == c) {
          if (i + 1 < sql.size() && sql[i + 1] == c) {
            i += 2;
            continue;
          }
          break;
        }
        ++i;
      }
      ++i;
    } else if (c == '$') {
      size_t end = i + 1;
      while (end < sql.size() && IsWordChar(sql[end]) && sql[end] != '$') ++end;
      if (end < sql.size() && sql[end] == '$') {
        const absl::string_view tag = sql.substr(i, end - i + 1);
        const size_t close = sql.find(tag, end + 1);
        i = close == absl::string_view::npos ? sql.size() : close + tag.size();
      } else {
        ++i;
      }
    } else if (c == '#' || (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-')) {
      const size_t end = sql.find('\n', i);
      i = end == absl::string_view::npos ? sql.size() : end + 1;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*' &&
               !(i + 2 < sql.size() && sql[i + 2] == '!')) {
      const size_t end = sql.find("*/", i + 2);
      i = end == absl::string_view::npos ? sql.size() : end + 2;
    } else {
      ++i;
    }
  }
  add(sql.substr(std::min(start, sql.size())));
  return out;
}

}  // namespace mcpcap::payload

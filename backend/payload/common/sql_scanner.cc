#include "backend/payload/common/sql_scanner.h"

#include <algorithm>

#include "absl/strings/ascii.h"

namespace mcpcap::payload {
namespace {

bool IsWordChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
}

bool IsSpace(char c) { return absl::ascii_isspace(static_cast<unsigned char>(c)); }

}  // namespace

void SqlScanner::SkipSpaceAndComments() {
  while (pos_ < sql_.size()) {
    const char c = sql_[pos_];
    if (IsSpace(c)) {
      ++pos_;
    } else if ((c == '-' && Peek(1) == '-') || c == '#') {
      SkipLine();
    } else if (c == '/' && Peek(1) == '*' && Peek(2) == '!') {
      // An executable comment: its version number is skipped, its content read as SQL.
      pos_ += 3;
      in_executable_comment_ = true;
      while (pos_ < sql_.size() && absl::ascii_isdigit(static_cast<unsigned char>(sql_[pos_]))) {
        ++pos_;
      }
    } else if (c == '/' && Peek(1) == '*') {
      const size_t end = sql_.find("*/", pos_ + 2);
      pos_ = end == absl::string_view::npos ? sql_.size() : end + 2;
    } else if (c == '*' && Peek(1) == '/' && in_executable_comment_) {
      pos_ += 2;
      in_executable_comment_ = false;
    } else {
      return;
    }
  }
}

bool SqlScanner::AtStatementEnd() {
  SkipSpaceAndComments();
  return done() || sql_[pos_] == ';';
}

absl::string_view SqlScanner::NextWord(Others others) {
  while (!AtStatementEnd()) {
    const char c = sql_[pos_];
    if (IsWordChar(c) && c != '$') {
      const size_t start = pos_;
      while (pos_ < sql_.size() && IsWordChar(sql_[pos_])) ++pos_;
      return sql_.substr(start, pos_ - start);
    }
    if (others == Others::kStop && c != '(') return {};
    SkipToken();
  }
  return {};
}

std::string SqlScanner::NextName() {
  if (AtStatementEnd()) return {};
  const char quote = sql_[pos_];
  if (quote == '`' || quote == '"') {
    std::string name;
    ++pos_;
    while (pos_ < sql_.size()) {
      const char c = sql_[pos_++];
      if (c != quote) {
        name.push_back(c);
      } else if (pos_ < sql_.size() && sql_[pos_] == quote) {
        name.push_back(quote);  // a doubled quote stands for one
        ++pos_;
      } else {
        break;
      }
    }
    return name;
  }
  const size_t start = pos_;
  while (pos_ < sql_.size()) {
    const char c = sql_[pos_];
    if (IsSpace(c) || c == ';' || c == '#' || (c == '/' && Peek(1) == '*') ||
        (c == '-' && Peek(1) == '-') || (c == '*' && Peek(1) == '/' && in_executable_comment_)) {
      break;
    }
    ++pos_;
  }
  return std::string(sql_.substr(start, pos_ - start));
}

void SqlScanner::SkipToStatementEnd() {
  while (!AtStatementEnd()) SkipToken();
}

void SqlScanner::SkipStatementEnd() {
  if (!done() && sql_[pos_] == ';') ++pos_;
}

void SqlScanner::SkipLine() {
  const size_t end = sql_.find('\n', pos_);
  pos_ = end == absl::string_view::npos ? sql_.size() : end + 1;
}

void SqlScanner::SkipQuoted(char quote) {
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
  pos_ = std::min(pos_, sql_.size());
}

// $tag$ ... $tag$ (PostgreSQL). A lone '$' (e.g. "$1") is just punctuation.
void SqlScanner::SkipDollarQuoted() {
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

void SqlScanner::SkipToken() {
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

}  // namespace mcpcap::payload

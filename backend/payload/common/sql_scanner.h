// The one reader of SQL text for the MySQL and PostgreSQL parsers: whatever reads a statement's
// verb, the name it acts on, or where a statement ends goes through it, so comments and quotes
// are stepped over the same way everywhere.
//
// It skips white space and comments (/* */, "--" and '#' to the line's end; MySQL's executable
// comments "/*!40101 ... */" are entered, their content being SQL the server runs), steps over
// quoted text ('...' with MySQL's backslash escapes, "...", `...`, PostgreSQL's $tag$...$tag$)
// and stops at a statement's end (';').
//
//   SqlScanner scanner("/* app=web */ USE `shop`; SELECT 1");
//   scanner.NextWord();   // "USE"
//   scanner.NextName();   // "shop"
//   scanner.AtStatementEnd();  // true
#ifndef MCPCAP_BACKEND_PAYLOAD_COMMON_SQL_SCANNER_H_
#define MCPCAP_BACKEND_PAYLOAD_COMMON_SQL_SCANNER_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace mcpcap::payload {

class SqlScanner {
 public:
  explicit SqlScanner(absl::string_view sql) : sql_(sql) {}

  bool done() const { return pos_ >= sql_.size(); }
  size_t position() const { return pos_; }
  // Open parentheses at this point (stepped over by NextWord(kSkipOther) or SkipToStatementEnd).
  int depth() const { return depth_; }

  // Skips white space and comments.
  void SkipSpaceAndComments();
  // After white space and comments: true at a ';' or at the end of the text.
  bool AtStatementEnd();

  // The next word (letters, digits, '_', '$' after the first). By default empty when the next
  // token is something else (an opening parenthesis is stepped over); with kSkipOther, other
  // tokens are stepped over until a word. Empty at the end of the statement either way.
  enum class Others { kStop, kSkip };
  absl::string_view NextWord(Others others = Others::kStop);

  // The name that follows, as the server reads an identifier: a quoted one's content (`x`, "x",
  // a doubled quote inside standing for one), or the bare characters up to white space, ';' or a
  // comment. Empty at the end of the statement.
  std::string NextName();

  // Moves to the ';' that ends the current statement (or the end of the text), stepping over
  // quoted text and comments; a ';' inside those does not count.
  void SkipToStatementEnd();
  // At a ';': steps over it, to the start of the next statement.
  void SkipStatementEnd();

 private:
  char Peek(size_t ahead) const { return pos_ + ahead < sql_.size() ? sql_[pos_ + ahead] : '\0'; }
  void SkipLine();
  void SkipQuoted(char quote);
  void SkipDollarQuoted();
  // One token that is no word start: quoted text, or one character (parentheses counted).
  void SkipToken();

  absl::string_view sql_;
  size_t pos_ = 0;
  int depth_ = 0;
  bool in_executable_comment_ = false;  // its "*/" is stepped over like white space
};

}  // namespace mcpcap::payload

#endif  // MCPCAP_BACKEND_PAYLOAD_COMMON_SQL_SCANNER_H_

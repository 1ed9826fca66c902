#include "backend/payload/common/query_classify.h"

#include <array>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "backend/payload/common/sql_scanner.h"

namespace mcpcap::payload {
namespace {

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
    return WordIs(scanner.NextWord(), "TRANSACTION") ? "TRANSACTION" : "OTHER";
  }
  if (WordIs(verb, "WITH")) {
    // Common table expressions: the main statement is the first verb at the WITH's level.
    const int level = scanner.depth();
    while (true) {
      const absl::string_view word = scanner.NextWord(SqlScanner::Others::kSkip);
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

StatementHead ReadStatementHead(absl::string_view sql) {
  StatementHead head;
  SqlScanner scanner(sql);
  const absl::string_view verb = scanner.NextWord();
  if (verb.empty()) {
    head.type = "OTHER";
    return head;
  }
  head.type = ClassOfVerb(verb, scanner);
  if (head.type == "USE") head.used_database = scanner.NextName();
  return head;
}

std::string ClassifyQuery(absl::string_view sql) { return ReadStatementHead(sql).type; }

std::string UsedDatabase(absl::string_view sql) { return ReadStatementHead(sql).used_database; }

std::vector<absl::string_view> SplitStatements(absl::string_view sql, size_t max_statements) {
  std::vector<absl::string_view> out;
  auto add = [&out](absl::string_view piece) {
    piece = absl::StripAsciiWhitespace(piece);
    if (!piece.empty()) out.push_back(piece);
  };
  SqlScanner scanner(sql);
  size_t start = 0;
  while (out.size() + 1 < max_statements) {
    scanner.SkipToStatementEnd();
    if (scanner.done()) break;
    add(sql.substr(start, scanner.position() - start));
    scanner.SkipStatementEnd();
    start = scanner.position();
  }
  add(sql.substr(start));
  return out;
}

}  // namespace mcpcap::payload

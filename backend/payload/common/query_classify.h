// SQL text helpers shared by the MySQL and PostgreSQL parsers: what kind of statement a query is,
// what it names, and where a multi-statement string splits, all read by the one SqlScanner
// (sql_scanner.h); bounded copies of texts: text_bounds.h.
#ifndef MCPCAP_BACKEND_PAYLOAD_COMMON_QUERY_CLASSIFY_H_
#define MCPCAP_BACKEND_PAYLOAD_COMMON_QUERY_CLASSIFY_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace mcpcap::payload {

// What a statement is and the object its verb acts on, read in one pass.
struct StatementHead {
  std::string type;           // ClassifyQuery's class
  std::string used_database;  // USE: the database it selects, unquoted; empty otherwise
};
StatementHead ReadStatementHead(absl::string_view sql);

// The statement class of `sql`: "SELECT", "INSERT", "UPDATE", "DELETE", "DDL" (CREATE, ALTER,
// DROP, TRUNCATE, RENAME), "TRANSACTION" (BEGIN, START TRANSACTION, COMMIT, ROLLBACK, SAVEPOINT,
// RELEASE, END, ABORT), "SET", "SHOW", "USE", "CALL", "EXPLAIN", "COPY", "DCL" (GRANT, REVOKE),
// "PREPARE", "EXECUTE", "DEALLOCATE" or "OTHER". Leading white space, comments (/* */, --, #)
// and opening parentheses are skipped; MySQL's executable comments (/*!40101 SET ... */) count as
// SQL; WITH ... resolves to the verb of the main statement.
std::string ClassifyQuery(absl::string_view sql);

// The database a MySQL "USE db" statement selects ("" when `sql` is no USE), read like the server
// does: comments skipped, the name unquoted, the statement ending at ';' ("/* x */ USE `shop`;
// SELECT 1" selects "shop"). ReadStatementHead(sql).used_database.
std::string UsedDatabase(absl::string_view sql);

// The statements of a multi-statement string (PostgreSQL simple Query, MySQL multi-statements),
// split at top-level semicolons (not inside quotes, identifiers, comments or dollar quotes),
// trimmed, empty ones dropped, at most `max_statements` (the last one keeps the rest).
std::vector<absl::string_view> SplitStatements(absl::string_view sql, size_t max_statements);

}  // namespace mcpcap::payload

#endif  // MCPCAP_BACKEND_PAYLOAD_COMMON_QUERY_CLASSIFY_H_

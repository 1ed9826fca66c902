// The one SQL scanner: verbs, the names they act on and statement ends, through comments and
// quotes, and the MySQL/PostgreSQL helpers built on it (query_classify.h).
#include "backend/payload/common/sql_scanner.h"

#include <string>

#include "backend/payload/common/query_classify.h"
#include "gtest/gtest.h"

namespace mcpcap::payload {
namespace {

TEST(SqlScannerTest, ReadsTheVerbAndItsNameThroughCommentsAndSpace) {
  SqlScanner scanner("/* app=web */ USE shop");
  EXPECT_EQ(scanner.NextWord(), "USE");
  EXPECT_EQ(scanner.NextName(), "shop");
  EXPECT_TRUE(scanner.AtStatementEnd());
  EXPECT_TRUE(scanner.done());

  SqlScanner lines("-- a comment\n# another\n\t USE\n  shop");
  EXPECT_EQ(lines.NextWord(), "USE");
  EXPECT_EQ(lines.NextName(), "shop");
}

TEST(SqlScannerTest, StopsAtTheStatementEnd) {
  SqlScanner scanner("USE shop; SELECT 1");
  EXPECT_EQ(scanner.NextWord(), "USE");
  EXPECT_EQ(scanner.NextName(), "shop");
  EXPECT_TRUE(scanner.AtStatementEnd());
  EXPECT_FALSE(scanner.done());
  EXPECT_EQ(scanner.NextWord(), "");  // nothing more in this statement
  EXPECT_EQ(scanner.NextName(), "");
  scanner.SkipStatementEnd();
  EXPECT_EQ(scanner.NextWord(), "SELECT");

  SqlScanner skipping("WITH x AS (SELECT 1); DELETE FROM t");
  EXPECT_EQ(skipping.NextWord(), "WITH");
  EXPECT_EQ(skipping.NextWord(SqlScanner::Others::kSkip), "x");
  EXPECT_EQ(skipping.NextWord(SqlScanner::Others::kSkip), "AS");
  EXPECT_EQ(skipping.NextWord(SqlScanner::Others::kSkip), "SELECT");
  EXPECT_EQ(skipping.depth(), 1);
  EXPECT_EQ(skipping.NextWord(SqlScanner::Others::kSkip), "1");
  EXPECT_EQ(skipping.NextWord(SqlScanner::Others::kSkip), "");  // the ';' ends it
  EXPECT_EQ(skipping.depth(), 0);
}

TEST(SqlScannerTest, QuotedIdentifiers) {
  const auto name_after_use = [](const std::string& sql) {
    SqlScanner scanner(sql);
    scanner.NextWord();
    return scanner.NextName();
  };
  EXPECT_EQ(name_after_use("USE `my shop`"), "my shop");
  EXPECT_EQ(name_after_use("USE \"my shop\";"), "my shop");
  EXPECT_EQ(name_after_use("USE `a``b`"), "a`b");  // a doubled quote stands for one
  EXPECT_EQ(name_after_use("USE \"a\"\"b\""), "a\"b");
  EXPECT_EQ(name_after_use("USE `a;b`; SELECT 1"), "a;b");
  EXPECT_EQ(name_after_use("USE `unterminated"), "unterminated");
  EXPECT_EQ(name_after_use("USE shop/* c */"), "shop");
  EXPECT_EQ(name_after_use("USE shop-- c"), "shop");
  EXPECT_EQ(name_after_use("USE shop#c"), "shop");
}

TEST(SqlScannerTest, ExecutableCommentsAreSql) {
  SqlScanner scanner("/*!40101 USE shop*/");
  EXPECT_EQ(scanner.NextWord(), "USE");
  EXPECT_EQ(scanner.NextName(), "shop");
  EXPECT_TRUE(scanner.AtStatementEnd());
  // Outside one, "*/" is no comment end.
  SqlScanner plain("SELECT 2 */* ; */ + 1; SELECT 3");
  plain.SkipToStatementEnd();
  EXPECT_EQ(plain.position(), std::string("SELECT 2 */* ; */ + 1").size());
}

TEST(SqlScannerTest, StatementEndsInsideQuotesAndCommentsDoNotCount) {
  const std::string sql =
      "SELECT ';', \"a;b\", `c;d`, 'it''s;', 'back\\';slash', $$ ; $$, $t$ ; $t$ /* ; */ -- ;\n"
      "# ;\n; next";
  SqlScanner scanner(sql);
  scanner.SkipToStatementEnd();
  EXPECT_EQ(scanner.position(), sql.find("\n; next") + 1);
}

TEST(StatementHeadTest, VerbAndUsedDatabaseInOnePass) {
  EXPECT_EQ(ReadStatementHead("/* app=web */ USE shop").used_database, "shop");
  EXPECT_EQ(ReadStatementHead("/* app=web */ USE shop").type, "USE");
  EXPECT_EQ(ReadStatementHead("USE shop; SELECT 1").used_database, "shop");
  EXPECT_EQ(ReadStatementHead("use `my``shop` -- c").used_database, "my`shop");
  EXPECT_EQ(ReadStatementHead("SELECT 1; USE shop").used_database, "");
  EXPECT_EQ(ReadStatementHead("SELECT 1; USE shop").type, "SELECT");
  EXPECT_EQ(ReadStatementHead("USER shop").used_database, "");
  EXPECT_EQ(ReadStatementHead("USE ;").used_database, "");
  EXPECT_EQ(ReadStatementHead("; USE shop").type, "OTHER");
}

}  // namespace
}  // namespace mcpcap::payload

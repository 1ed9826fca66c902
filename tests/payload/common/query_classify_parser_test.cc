// ClassifyQuery, SplitStatements and the bounded-text helpers (text_bounds.h) the parsers share.
#include <string>
#include <vector>

#include "backend/payload/common/query_classify.h"
#include "backend/payload/common/text_bounds.h"
#include "gtest/gtest.h"

namespace mcpcap::payload {
namespace {

TEST(ClassifyQueryTest, Verbs) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"SELECT 1", "SELECT"},
      {"select * from t", "SELECT"},
      {"INSERT INTO t VALUES (1)", "INSERT"},
      {"REPLACE INTO t VALUES (1)", "INSERT"},
      {"update t set a = 1", "UPDATE"},
      {"DELETE FROM t", "DELETE"},
      {"CREATE TABLE t (a int)", "DDL"},
      {"alter table t add b int", "DDL"},
      {"DROP TABLE t", "DDL"},
      {"TRUNCATE t", "DDL"},
      {"RENAME TABLE a TO b", "DDL"},
      {"BEGIN", "TRANSACTION"},
      {"START TRANSACTION", "TRANSACTION"},
      {"start slave", "OTHER"},
      {"COMMIT", "TRANSACTION"},
      {"ROLLBACK TO SAVEPOINT s", "TRANSACTION"},
      {"SAVEPOINT s", "TRANSACTION"},
      {"SET NAMES utf8mb4", "SET"},
      {"SHOW TABLES", "SHOW"},
      {"DESCRIBE t", "SHOW"},
      {"USE shop", "USE"},
      {"CALL p(1)", "CALL"},
      {"EXPLAIN SELECT 1", "EXPLAIN"},
      {"COPY t FROM STDIN", "COPY"},
      {"GRANT SELECT ON t TO u", "DCL"},
      {"REVOKE ALL ON t FROM u", "DCL"},
      {"PREPARE s FROM 'SELECT 1'", "PREPARE"},
      {"EXECUTE s", "EXECUTE"},
      {"DEALLOCATE PREPARE s", "DEALLOCATE"},
      {"VACUUM", "OTHER"},
      {"SELEC 1", "OTHER"},
      {"", "OTHER"},
      {"   \n\t ", "OTHER"},
      {";", "OTHER"},
  };
  for (const auto& [sql, kind] : cases) EXPECT_EQ(ClassifyQuery(sql), kind) << sql;
}

TEST(ClassifyQueryTest, SkipsCommentsSpaceAndParentheses) {
  EXPECT_EQ(ClassifyQuery("  /* hint */ SELECT 1"), "SELECT");
  EXPECT_EQ(ClassifyQuery("-- a comment\nUPDATE t SET a=1"), "UPDATE");
  EXPECT_EQ(ClassifyQuery("# mysql comment\n  delete from t"), "DELETE");
  EXPECT_EQ(ClassifyQuery("((SELECT 1) UNION (SELECT 2))"), "SELECT");
  EXPECT_EQ(ClassifyQuery("/* unterminated"), "OTHER");
  EXPECT_EQ(ClassifyQuery("-- only a comment"), "OTHER");
  // MySQL executable comments are SQL the server runs.
  EXPECT_EQ(ClassifyQuery("/*!40101 SET NAMES utf8 */"), "SET");
}

TEST(ClassifyQueryTest, WithResolvesToTheMainStatement) {
  EXPECT_EQ(ClassifyQuery("WITH x AS (SELECT 1) SELECT * FROM x"), "SELECT");
  EXPECT_EQ(ClassifyQuery("with recursive r(n) as (select 1 union all select n+1 from r) "
                          "insert into t select n from r"),
            "INSERT");
  EXPECT_EQ(ClassifyQuery("WITH d AS (DELETE FROM t RETURNING *) UPDATE u SET a = 1"), "UPDATE");
  EXPECT_EQ(ClassifyQuery("WITH a AS (SELECT ')') , b AS (SELECT 2) DELETE FROM t"), "DELETE");
  EXPECT_EQ(ClassifyQuery("(WITH x AS (SELECT 1) SELECT 2)"), "SELECT");
  EXPECT_EQ(ClassifyQuery("WITH x AS (SELECT 1"), "OTHER");
}

TEST(UsedDatabaseTest, ReadsTheNameLikeTheServer) {
  EXPECT_EQ(UsedDatabase("USE shop"), "shop");
  EXPECT_EQ(UsedDatabase("use `my shop`;"), "my shop");
  EXPECT_EQ(UsedDatabase("/* app=web */ USE shop"), "shop");
  EXPECT_EQ(UsedDatabase("-- c\n# d\n  USE\tshop;"), "shop");
  EXPECT_EQ(UsedDatabase("USE shop; SELECT 1"), "shop");
  EXPECT_EQ(UsedDatabase("USE shop/* c */"), "shop");
  EXPECT_EQ(UsedDatabase("USE shop -- c"), "shop");
  EXPECT_EQ(UsedDatabase("USE \"ansi\""), "ansi");
  EXPECT_EQ(UsedDatabase("USE"), "");
  EXPECT_EQ(UsedDatabase("USE ;"), "");
  EXPECT_EQ(UsedDatabase("SELECT 1; USE shop"), "");
  EXPECT_EQ(UsedDatabase("USER shop"), "");
}

TEST(SplitStatementsTest, SplitsAtTopLevelSemicolons) {
  using V = std::vector<absl::string_view>;
  EXPECT_EQ(SplitStatements("SELECT 1", 64), V({"SELECT 1"}));
  EXPECT_EQ(SplitStatements("SELECT 1; SELECT 2;", 64), V({"SELECT 1", "SELECT 2"}));
  EXPECT_EQ(SplitStatements("SELECT ';'; SELECT \"a;b\"", 64), V({"SELECT ';'", "SELECT \"a;b\""}));
  EXPECT_EQ(SplitStatements("SELECT 'it''s;'; SELECT 2", 64), V({"SELECT 'it''s;'", "SELECT 2"}));
  EXPECT_EQ(SplitStatements("CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql; "
                            "SELECT f()",
                            64),
            V({"CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql", "SELECT f()"}));
  EXPECT_EQ(SplitStatements("SELECT 1 -- x;y\n; SELECT 2 /* ; */", 64),
            V({"SELECT 1 -- x;y", "SELECT 2 /* ; */"}));
  EXPECT_EQ(SplitStatements(" ; ;; ", 64), V{});
  EXPECT_EQ(SplitStatements("SELECT $1; SELECT 2", 64), V({"SELECT $1", "SELECT 2"}));
  // At most max_statements: the last keeps the rest.
  EXPECT_EQ(SplitStatements("A; B; C; D", 2), V({"A", "B; C; D"}));
  EXPECT_EQ(SplitStatements("SELECT 'unterminated; SELECT 2", 64),
            V({"SELECT 'unterminated; SELECT 2"}));
}

TEST(BoundedTextTest, CutsAtTheLimitWithDots) {
  EXPECT_EQ(BoundedText("abc", 3), "abc");
  const std::string big(kMaxTextBytes + 100, 'x');
  const std::string cut = BoundedText(big, big.size());
  EXPECT_EQ(cut.size(), kMaxTextBytes);
  EXPECT_EQ(cut.substr(cut.size() - 3), "...");
  // Only a prefix was read but the text on the wire was longer.
  EXPECT_EQ(BoundedText("abcdef", 10000, 6), "abc...");
  EXPECT_EQ(BoundedText("abcdef", 10000), "abcdef...");
  EXPECT_EQ(BoundedValue(std::string(1000, 'v')).size(), kMaxValueBytes);
}

TEST(BoundedTextTest, AlwaysValidUtf8) {
  EXPECT_EQ(BoundedText("caf\xc3\xa9", 5), "caf\xc3\xa9");
  EXPECT_EQ(BoundedText("a\xff\xfe"
                        "b",
                        4),
            "a??b");
  EXPECT_EQ(BoundedText("\xc3", 1), "?");            // a sequence cut short
  EXPECT_EQ(BoundedText("\xed\xa0\x80", 3), "???");  // a surrogate
  // A cut never splits a character: "é" (2 bytes) straddling the limit is left out whole.
  const std::string text = std::string(6, 'a') + "\xc3\xa9" + "zzz";
  EXPECT_EQ(BoundedText(text, text.size(), 10), "aaaaaa...");
}

TEST(OneLineTest, CollapsesWhiteSpace) {
  EXPECT_EQ(OneLine("SELECT *\n  FROM t\r\n\tWHERE a = 1", 100), "SELECT * FROM t WHERE a = 1");
  EXPECT_EQ(OneLine(std::string(300, 'a'), 10), "aaaaaaa...");
  EXPECT_EQ(OneLine("  x  ", 10), "x");
}

}  // namespace
}  // namespace mcpcap::payload

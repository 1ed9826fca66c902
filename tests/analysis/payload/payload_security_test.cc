// Injection patterns: what attacks send is found (also URL-encoded, double-encoded, with comment
// padding), and ordinary SQL and URLs are not flagged.
#include "backend/analysis/payload/payload_security.h"

#include "gtest/gtest.h"

namespace mcpcap {
namespace {

TEST(SqlInjectionPatternTest, FindsAttackShapesInQueries) {
  EXPECT_EQ(SqlInjectionPattern("SELECT * FROM users WHERE name = '' OR '1'='1'", false),
            "tautology");
  EXPECT_EQ(SqlInjectionPattern("SELECT * FROM t WHERE id = 1 OR 1=1", false), "tautology");
  EXPECT_EQ(SqlInjectionPattern("SELECT a FROM t WHERE id=1 UNION SELECT NULL,NULL--", false),
            "union_select");
  EXPECT_EQ(SqlInjectionPattern("SELECT * FROM t WHERE id=1 AND SLEEP(5)", false), "time_delay");
  EXPECT_EQ(SqlInjectionPattern("SELECT 1; DROP TABLE users", false), "stacked_query");
  EXPECT_EQ(SqlInjectionPattern("SELECT * FROM u WHERE n='admin'-- ' AND p='x'", false),
            "comment_after_quote");
  EXPECT_EQ(SqlInjectionPattern("select/**/1/**/union/**/select/**/null", false), "union_select");
}

TEST(SqlInjectionPatternTest, LeavesOrdinaryStatementsAlone) {
  for (const char* sql : {
           "SELECT id, name FROM items WHERE price > 2 ORDER BY id",
           "INSERT INTO items (name, price) VALUES ('apple', 1.20)",
           "SELECT a FROM t UNION SELECT b FROM u",  // a legitimate UNION
           "UPDATE t SET note = 'or 1=2 is false' WHERE id = 3",
           "SELECT table_name FROM information_schema.tables",  // admin tools do this
       }) {
    EXPECT_EQ(SqlInjectionPattern(sql, false), "") << sql;
  }
}

TEST(SqlInjectionPatternTest, DecodesHttpTargets) {
  EXPECT_EQ(SqlInjectionPattern("/item?id=1%27%20OR%20%271%27%3D%271", true), "tautology");
  EXPECT_EQ(SqlInjectionPattern("/item?id=1%2527%2520or%25201%253D1", true), "tautology");
  EXPECT_EQ(SqlInjectionPattern("/list?q=x+UNION+SELECT+password+FROM+users", true),
            "union_select");
  EXPECT_EQ(SqlInjectionPattern("/q?x=1'+AND+'a'='a", true), "boolean_probe");
  EXPECT_EQ(SqlInjectionPattern("/search?q=rock+and+roll&page=2", true), "");
  EXPECT_EQ(SqlInjectionPattern("/a.txt", true), "");
}

}  // namespace
}  // namespace mcpcap

#include "leads/search.hpp"

#include <gtest/gtest.h>

#include "storage/query.hpp"

namespace herald::leads {
namespace {

using storage::Backend;

TEST(Search, CountsCharactersNotBytes) {
  EXPECT_EQ(code_points(""), 0u);
  EXPECT_EQ(code_points("abc"), 3u);
  EXPECT_EQ(code_points("chloé"), 5u);
  EXPECT_EQ(code_points("日本"), 2u);
  EXPECT_FALSE(indexable("ab"));
  EXPECT_FALSE(indexable("日本"));
  EXPECT_FALSE(indexable("é%"));
  EXPECT_TRUE(indexable("abc"));
  EXPECT_TRUE(indexable("日本語"));
}

TEST(Search, ChosenTrigramsCoverEveryCharacter) {
  EXPECT_TRUE(chosen_trigrams("ab").empty());
  EXPECT_EQ(chosen_trigrams("abc"), (std::vector<std::string>{"abc"}));
  EXPECT_EQ(chosen_trigrams("abcd"), (std::vector<std::string>{"abc", "bcd"}));
  // The first, every third after it, and the last: a b c | d e f | g h i | h i j.
  EXPECT_EQ(chosen_trigrams("abcdefghij"), (std::vector<std::string>{"abc", "def", "ghi", "hij"}));
  EXPECT_EQ(chosen_trigrams("abcdef"), (std::vector<std::string>{"abc", "def"}));
  // Characters, not bytes: é is two bytes.
  EXPECT_EQ(chosen_trigrams("chloé"), (std::vector<std::string>{"chl", "loé"}));
  EXPECT_EQ(chosen_trigrams("aaaaaa"), (std::vector<std::string>{"aaa"}));  // repeated ones once
}

TEST(Search, TrigramMatchQuotesEverything) {
  EXPECT_EQ(trigram_match("acme"), "\"acm\" AND \"cme\"");
  // FTS5 syntax in q stays text: quotes doubled, operators inside strings.
  EXPECT_EQ(trigram_match("a\"b"), "\"a\"\"b\"");
  EXPECT_EQ(trigram_match("OR*"), "\"OR*\"");
  EXPECT_EQ(trigram_match("50%_"), "\"0%_\" AND \"50%\"");
}

TEST(Search, ParameterPerBackend) {
  EXPECT_EQ(search_parameter(Backend::Sqlite, "acme"), "\"acm\" AND \"cme\"");
  EXPECT_EQ(search_parameter(Backend::Postgres, "50%_off"), "%50\\%\\_off%");
}

TEST(Search, ConditionAlwaysChecksTheFields) {
  // Narrowed by the statement's prefix: only the exact condition.
  BoundSql lite(Backend::Sqlite, 2);
  append_search("acme", true, lite);
  EXPECT_EQ(lite.sql,
            " AND (leads.email LIKE ?2 ESCAPE '\\' OR leads.first_name LIKE ?2 ESCAPE '\\' OR leads.last_name LIKE ?2 "
            "ESCAPE '\\' OR leads.company LIKE ?2 ESCAPE '\\')");
  // Not narrowed (bulk actions): SQLite adds the index restriction.
  BoundSql bulk(Backend::Sqlite);
  append_search("acme", false, bulk);
  EXPECT_TRUE(bulk.sql.starts_with(" AND leads.id IN (SELECT rowid FROM leads_search WHERE leads_search MATCH ?2)"))
      << bulk.sql;
  // A short q has no trigram: the fields are checked, nothing else.
  BoundSql short_q(Backend::Sqlite);
  append_search("ab", false, short_q);
  EXPECT_EQ(short_q.sql.find("leads_search"), std::string::npos);
  // PostgreSQL narrows by the pattern on the joined fields, the expression its
  // trigram index and its search_* prefixes use.
  BoundSql pg(Backend::Postgres);
  append_search("acme", false, pg);
  const std::string joined =
      "(leads.email || ' ' || leads.first_name || ' ' || leads.last_name || ' ' || leads.company) ILIKE $1::text";
  EXPECT_TRUE(pg.sql.starts_with(" AND " + joined)) << pg.sql;
  EXPECT_NE(pg.sql.find(" AND (leads.email ILIKE $1::text ESCAPE '\\' OR"), std::string::npos) << pg.sql;
  const storage::Query page{"leads.search_page_prefix"}, count{"leads.search_count_prefix"};
  EXPECT_NE(page.sql(Backend::Postgres).find(joined), std::string::npos);
  EXPECT_NE(count.sql(Backend::Postgres).find(joined), std::string::npos);
}

TEST(Search, DriverIsTheFirstIndexableQuery) {
  Filter f;
  EXPECT_EQ(search_driver(f), nullptr);
  f.queries = {"ab", "acme"};
  ASSERT_NE(search_driver(f), nullptr);
  EXPECT_EQ(*search_driver(f), "acme");
  f.impossible = true;
  EXPECT_EQ(search_driver(f), nullptr);
}

TEST(Search, OrderFollowsTheIndexWhenSortedById) {
  EXPECT_EQ(search_id_column(Backend::Sqlite), "leads_search.rowid");
  EXPECT_EQ(search_id_column(Backend::Postgres), "leads.id");
  EXPECT_EQ(parse_sort("-id").order("leads_search.rowid"), "leads_search.rowid DESC");
  EXPECT_EQ(parse_sort("email").order("leads_search.rowid"), "leads.email ASC, leads_search.rowid ASC");
}

}  // namespace
}  // namespace herald::leads

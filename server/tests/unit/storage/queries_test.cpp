#include "storage/queries.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>

namespace herald::storage {
namespace {

using embedded::EmbeddedFile;

TEST(ParseNamedQueries, SplitsBlocksAndTrimsThem) {
  const auto queries = parse_named_queries(
      "-- Leads: one row per contact.\n"
      "\n"
      "-- name: leads.get\n"
      "-- Fetches one lead.\n"
      "SELECT id, email\n"
      "  FROM leads WHERE id = ?1;\n"
      "\n"
      "-- name: leads.count\n"
      "SELECT count(*) FROM leads\n",
      "sqlite/leads.sql");
  ASSERT_EQ(queries.size(), 2U);
  EXPECT_EQ(queries[0].name, "leads.get");
  EXPECT_EQ(queries[0].sql, "SELECT id, email\n  FROM leads WHERE id = ?1");
  EXPECT_EQ(queries[1].name, "leads.count");
  EXPECT_EQ(queries[1].sql, "SELECT count(*) FROM leads");
}

TEST(ParseNamedQueries, DropsCommentsBetweenBlocksButKeepsInnerOnes) {
  const auto queries = parse_named_queries(
      "--name:a.one\r\n"
      "SELECT 1 -- trailing note\r\n"
      "-- inside\r\n"
      "  , 2;\r\n"
      "-- Documentation of the next query.\r\n"
      "-- name: a.two\n"
      "SELECT 2",
      "f.sql");
  ASSERT_EQ(queries.size(), 2U);
  EXPECT_EQ(queries[0].sql, "SELECT 1 -- trailing note\r\n-- inside\r\n  , 2");
  EXPECT_EQ(queries[1].sql, "SELECT 2");
}

TEST(ParseNamedQueries, EmptyFileHasNoQueries) {
  EXPECT_TRUE(parse_named_queries("", "f.sql").empty());
  EXPECT_TRUE(parse_named_queries("-- only a comment\n\n", "f.sql").empty());
}

TEST(ParseNamedQueries, RejectsSqlOutsideABlock) {
  try {
    parse_named_queries("-- header\nSELECT 1;\n-- name: x\nSELECT 2;", "sqlite/x.sql");
    FAIL();
  } catch (const DbError& e) {
    EXPECT_NE(std::string(e.what()).find("sqlite/x.sql:2"), std::string::npos) << e.what();
  }
}

TEST(ParseNamedQueries, RejectsEmptyBlocksAndBadNames) {
  EXPECT_THROW(parse_named_queries("-- name: a\n-- nothing here\n-- name: b\nSELECT 1", "f.sql"), DbError);
  EXPECT_THROW(parse_named_queries("-- name: a\n;\n", "f.sql"), DbError);
  EXPECT_THROW(parse_named_queries("-- name:\nSELECT 1", "f.sql"), DbError);
  EXPECT_THROW(parse_named_queries("-- name: has space\nSELECT 1", "f.sql"), DbError);
}

TEST(QueryCatalog, LoadsOnlyTheBackendsQueryFiles) {
  const std::array files{
      EmbeddedFile{"sqlite/health.sql", "-- name: health.ping\nSELECT 1;"},
      EmbeddedFile{"sqlite/leads/import.sql", "-- name: leads.import\nINSERT INTO leads VALUES (?1)"},
      EmbeddedFile{"sqlite/migrations/0001_init.sql", "-- name: not.a.query\nCREATE TABLE t (x)"},
      EmbeddedFile{"common/migrations/0002_more.sql", "-- name: nor.this\nCREATE TABLE u (x)"},
      EmbeddedFile{"postgres/health.sql", "-- name: pg.only\nSELECT 1"},
  };
  const auto catalog = QueryCatalog::load(Backend::Sqlite, files);
  EXPECT_EQ(catalog.get("health.ping"), "SELECT 1");
  EXPECT_TRUE(catalog.contains("leads.import"));
  EXPECT_FALSE(catalog.contains("not.a.query"));
  EXPECT_FALSE(catalog.contains("nor.this"));
  EXPECT_FALSE(catalog.contains("pg.only"));
  EXPECT_EQ(catalog.names(), (std::vector<std::string>{"health.ping", "leads.import"}));
}

TEST(QueryCatalog, MissingQueryErrorNamesQueryAndBackend) {
  const auto catalog = QueryCatalog::load(Backend::Postgres, {});
  try {
    catalog.get("leads.nope");
    FAIL();
  } catch (const DbError& e) {
    EXPECT_STREQ(e.what(), "unknown query 'leads.nope' for postgres");
  }
}

TEST(QueryCatalog, DuplicateNamesFailToLoad) {
  const std::array files{
      EmbeddedFile{"sqlite/a.sql", "-- name: same\nSELECT 1"},
      EmbeddedFile{"sqlite/b.sql", "-- name: same\nSELECT 2"},
  };
  try {
    QueryCatalog::load(Backend::Sqlite, files);
    FAIL();
  } catch (const DbError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("'same'"), std::string::npos) << message;
    EXPECT_NE(message.find("sqlite/b.sql"), std::string::npos) << message;
  }
}

TEST(QueryCatalog, CommonFilesServeBothBackendsWithTheirPlaceholders) {
  const std::array files{
      EmbeddedFile{"common/leads.sql", "-- name: leads.get\nSELECT name FROM leads WHERE id = $2 AND tag = $1;"},
      EmbeddedFile{"sqlite/leads.sql", "-- name: leads.json\nSELECT json_each(?1)"},
      EmbeddedFile{"postgres/leads.sql", "-- name: leads.json\nSELECT jsonb_array_elements($1::jsonb)"},
  };
  const auto sqlite = QueryCatalog::load(Backend::Sqlite, files);
  const auto postgres = QueryCatalog::load(Backend::Postgres, files);
  // SQLite would number "$2" by first appearance (as 1): it gets "?2".
  EXPECT_EQ(sqlite.get("leads.get"), "SELECT name FROM leads WHERE id = ?2 AND tag = ?1");
  EXPECT_EQ(postgres.get("leads.get"), "SELECT name FROM leads WHERE id = $2 AND tag = $1");
  EXPECT_EQ(sqlite.get("leads.json"), "SELECT json_each(?1)");
  EXPECT_EQ(postgres.get("leads.json"), "SELECT jsonb_array_elements($1::jsonb)");
}

TEST(QueryCatalog, AQueryIsEitherCommonOrWrittenPerBackend) {
  const std::array files{
      EmbeddedFile{"common/a.sql", "-- name: same\nSELECT 1"},
      EmbeddedFile{"postgres/a.sql", "-- name: same\nSELECT 2"},
  };
  EXPECT_NO_THROW(QueryCatalog::load(Backend::Sqlite, files));
  try {
    QueryCatalog::load(Backend::Postgres, files);
    FAIL();
  } catch (const DbError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("common/a.sql"), std::string::npos) << message;
    EXPECT_NE(message.find("postgres/a.sql"), std::string::npos) << message;
  }
}

TEST(Placeholders, OnlyNumberedPlaceholdersOutsideLiteralsAndCommentsChange) {
  EXPECT_EQ(to_sqlite_placeholders("SELECT $1, $12 FROM t WHERE a = '$1' AND \"$2\" = $3 -- $4\n + $5 /* $6 */"),
            "SELECT ?1, ?12 FROM t WHERE a = '$1' AND \"$2\" = ?3 -- $4\n + ?5 /* $6 */");
  EXPECT_EQ(to_sqlite_placeholders("SELECT 'it''s $1', $$, json_insert(x, '$[#]', $2)"),
            "SELECT 'it''s $1', $$, json_insert(x, '$[#]', ?2)");
  EXPECT_EQ(to_sqlite_placeholders("LIKE $1 ESCAPE '\\' AND b = $2"), "LIKE ?1 ESCAPE '\\' AND b = ?2");
}

TEST(Placeholders, ParameterCountIsTheHighestNumber) {
  EXPECT_EQ(parameter_count("SELECT 1"), 0);
  EXPECT_EQ(parameter_count("SELECT ?2, ?1, ?2"), 2);
  EXPECT_EQ(parameter_count("SELECT $1 WHERE x = $11 AND y = '$40'"), 11);
}

// Stores pick queries by name on either backend, so both must define the same set.
TEST(QueryCatalog, EmbeddedCatalogsDefineTheSameNames) {
  const auto& sqlite = QueryCatalog::for_backend(Backend::Sqlite);
  const auto& postgres = QueryCatalog::for_backend(Backend::Postgres);
  EXPECT_EQ(postgres.names(), sqlite.names());
  EXPECT_EQ(sqlite.get("health.ping"), "SELECT 1");
  EXPECT_EQ(&QueryCatalog::for_backend(Backend::Sqlite), &sqlite);
}

// A query written per backend takes the same parameters on both, so the
// store binds the same values whichever backend runs it.
TEST(QueryCatalog, EveryQueryTakesAsManyParametersOnBothBackends) {
  const auto& sqlite = QueryCatalog::for_backend(Backend::Sqlite);
  const auto& postgres = QueryCatalog::for_backend(Backend::Postgres);
  for (const auto& name : sqlite.names()) {
    EXPECT_EQ(parameter_count(sqlite.get(name)), parameter_count(postgres.get(name))) << name;
  }
}

// What both backends run as written lives once, in common/.
TEST(QueryCatalog, NoQueryIsWrittenTwiceTheSameWay) {
  const auto& sqlite = QueryCatalog::for_backend(Backend::Sqlite);
  const auto& postgres = QueryCatalog::for_backend(Backend::Postgres);
  for (const auto& name : sqlite.names()) {
    if (sqlite.source(name).starts_with("common/")) continue;
    std::string as_postgres = sqlite.get(name);
    for (std::size_t i = 0; i + 1 < as_postgres.size(); ++i) {
      if (as_postgres[i] == '?' && as_postgres[i + 1] >= '0' && as_postgres[i + 1] <= '9') as_postgres[i] = '$';
    }
    EXPECT_NE(as_postgres, postgres.get(name))
        << name << " is the same on both backends: move it to server/sql/common/";
  }
}

}  // namespace
}  // namespace herald::storage

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
      EmbeddedFile{"postgres/health.sql", "-- name: pg.only\nSELECT 1"},
  };
  const auto catalog = QueryCatalog::load(Backend::Sqlite, files);
  EXPECT_EQ(catalog.get("health.ping"), "SELECT 1");
  EXPECT_TRUE(catalog.contains("leads.import"));
  EXPECT_FALSE(catalog.contains("not.a.query"));
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

// Stores pick queries by name on either backend, so both must define the same set.
TEST(QueryCatalog, EmbeddedCatalogsDefineTheSameNames) {
  const auto& sqlite = QueryCatalog::for_backend(Backend::Sqlite);
  const auto& postgres = QueryCatalog::for_backend(Backend::Postgres);
  const auto pg_only = std::vector<std::string>{"schema_migrations.lock", "schema_migrations.unlock"};
  auto expected = sqlite.names();
  expected.insert(expected.end(), pg_only.begin(), pg_only.end());
  std::ranges::sort(expected);
  EXPECT_EQ(postgres.names(), expected);
  EXPECT_EQ(sqlite.get("health.ping"), "SELECT 1");
  EXPECT_EQ(&QueryCatalog::for_backend(Backend::Sqlite), &sqlite);
}

}  // namespace
}  // namespace herald::storage

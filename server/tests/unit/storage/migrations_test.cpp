#include "storage/migrations.hpp"

#include <gtest/gtest.h>

#include <array>

namespace herald::storage {
namespace {

using embedded::EmbeddedFile;

TEST(ParseMigrations, OrdersByVersionAndSplitsTheName) {
  const std::array files{
      EmbeddedFile{"sqlite/migrations/0010_leads_index.sql", "CREATE INDEX ..."},
      EmbeddedFile{"sqlite/migrations/0002_add_leads.sql", "CREATE TABLE leads ..."},
      EmbeddedFile{"sqlite/health.sql", "-- name: health.ping\nSELECT 1"},
      EmbeddedFile{"postgres/migrations/0001_init.sql", "CREATE TABLE ..."},
  };
  const auto migrations = parse_migrations(Backend::Sqlite, files);
  ASSERT_EQ(migrations.size(), 2U);
  EXPECT_EQ(migrations[0].version, 2);
  EXPECT_EQ(migrations[0].name, "add_leads");
  EXPECT_EQ(migrations[0].sql, "CREATE TABLE leads ...");
  EXPECT_EQ(migrations[1].version, 10);
  EXPECT_EQ(migrations[1].name, "leads_index");
}

TEST(ParseMigrations, RejectsMisnamedFiles) {
  for (const std::string_view path :
       {"sqlite/migrations/init.sql", "sqlite/migrations/0001.sql", "sqlite/migrations/00x1_init.sql",
        "sqlite/migrations/0000_zero.sql", "sqlite/migrations/0001_.sql", "sqlite/migrations/old/0001_init.sql"}) {
    const std::array files{EmbeddedFile{path, "SELECT 1"}};
    try {
      parse_migrations(Backend::Sqlite, files);
      ADD_FAILURE() << "accepted " << path;
    } catch (const DbError& e) {
      EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
  }
}

TEST(ParseMigrations, RejectsRepeatedVersions) {
  const std::array files{
      EmbeddedFile{"postgres/migrations/0003_a.sql", "SELECT 1"},
      EmbeddedFile{"postgres/migrations/003_b.sql", "SELECT 1"},
  };
  EXPECT_THROW(parse_migrations(Backend::Postgres, files), DbError);
}

TEST(ParseMigrations, CommonMigrationsServeBothBackends) {
  const std::array files{
      EmbeddedFile{"sqlite/migrations/0001_init.sql", "CREATE TABLE a (id INTEGER PRIMARY KEY)"},
      EmbeddedFile{"postgres/migrations/0001_init.sql", "CREATE TABLE a (id BIGSERIAL PRIMARY KEY)"},
      EmbeddedFile{"common/migrations/0002_leases.sql", "CREATE TABLE leases (name TEXT PRIMARY KEY)"},
      EmbeddedFile{"common/leases.sql", "-- name: leases.get\nSELECT 1"},
  };
  for (const Backend backend : {Backend::Sqlite, Backend::Postgres}) {
    const auto migrations = parse_migrations(backend, files);
    ASSERT_EQ(migrations.size(), 2U) << backend_name(backend);
    EXPECT_EQ(migrations[0].file, std::string(backend_name(backend)) + "/migrations/0001_init.sql");
    EXPECT_EQ(migrations[1].version, 2);
    EXPECT_EQ(migrations[1].name, "leases");
    EXPECT_EQ(migrations[1].sql, "CREATE TABLE leases (name TEXT PRIMARY KEY)");
    EXPECT_EQ(migrations[1].file, "common/migrations/0002_leases.sql");
  }
}

TEST(ParseMigrations, AVersionIsEitherCommonOrPerBackend) {
  const std::array files{
      EmbeddedFile{"common/migrations/0002_a.sql", "SELECT 1"},
      EmbeddedFile{"sqlite/migrations/0002_b.sql", "SELECT 1"},
  };
  try {
    parse_migrations(Backend::Sqlite, files);
    ADD_FAILURE() << "accepted version 2 twice";
  } catch (const DbError& e) {
    EXPECT_NE(std::string(e.what()).find("common/migrations/0002_a.sql"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("sqlite/migrations/0002_b.sql"), std::string::npos) << e.what();
  }
  EXPECT_EQ(parse_migrations(Backend::Postgres, files).size(), 1U);
}

// A deployment may switch backends; both must walk the same schema history.
TEST(EmbeddedMigrations, BothBackendsHaveTheSameVersions) {
  const auto sqlite = migrations_for(Backend::Sqlite);
  const auto postgres = migrations_for(Backend::Postgres);
  ASSERT_FALSE(sqlite.empty());
  ASSERT_EQ(sqlite.size(), postgres.size());
  for (std::size_t i = 0; i < sqlite.size(); ++i) {
    EXPECT_EQ(sqlite[i].version, postgres[i].version);
    EXPECT_EQ(sqlite[i].name, postgres[i].name);
  }
  EXPECT_EQ(sqlite.front().version, 1);
  EXPECT_EQ(sqlite.front().name, "init");
}

// What both backends run as written lives once, in common/migrations/.
TEST(EmbeddedMigrations, NoMigrationIsWrittenTwiceTheSameWay) {
  const auto sqlite = migrations_for(Backend::Sqlite);
  const auto postgres = migrations_for(Backend::Postgres);
  ASSERT_EQ(sqlite.size(), postgres.size());
  for (std::size_t i = 0; i < sqlite.size(); ++i) {
    if (sqlite[i].file.starts_with("common/")) continue;
    EXPECT_NE(sqlite[i].sql, postgres[i].sql)
        << sqlite[i].file << " is the same on both backends: move it to server/sql/common/migrations/";
  }
}

}  // namespace
}  // namespace herald::storage

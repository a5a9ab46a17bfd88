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

}  // namespace
}  // namespace herald::storage

// Versioned migrations: applied once, recorded, rolled back on failure.
#include "storage/migrations.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <atomic>
#include <regex>
#include <thread>

#include "storage/queries.hpp"
#include "support/test_databases.hpp"

namespace herald::storage {
namespace {

class MigrationsTest : public test::BackendTest {
 protected:
  bool table_exists(std::string_view table) {
    try {
      db().acquire()->execute("SELECT * FROM " + std::string(table));
      return true;
    } catch (const DbError&) {
      return false;
    }
  }
  std::vector<std::int64_t> recorded_versions() {
    std::vector<std::int64_t> versions;
    db().acquire()->execute("SELECT version FROM schema_migrations ORDER BY version", {},
                            [&](const Row& row) { versions.push_back(row.integer(0)); });
    return versions;
  }
};

TEST_P(MigrationsTest, AppliesEveryMigrationOnceAndRecordsIt) {
  const auto embedded = migrations_for(backend());
  const auto first = migrate(db());
  ASSERT_EQ(first.applied.size(), embedded.size());
  EXPECT_EQ(first.applied.front().name, "init");
  EXPECT_EQ(first.current_version, embedded.back().version);

  const auto second = migrate(db());
  EXPECT_TRUE(second.applied.empty());
  EXPECT_EQ(second.current_version, first.current_version);

  const std::regex rfc3339(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)");
  std::size_t rows = 0;
  db().acquire()->execute("SELECT version, name, applied_at FROM schema_migrations ORDER BY version", {},
                          [&](const Row& row) {
                            ASSERT_LT(rows, embedded.size());
                            EXPECT_EQ(row.integer(0), embedded[rows].version);
                            EXPECT_EQ(row.text(1), embedded[rows].name);
                            EXPECT_TRUE(std::regex_match(row.str(2), rfc3339)) << row.str(2);
                            ++rows;
                          });
  EXPECT_EQ(rows, embedded.size());
}

TEST_P(MigrationsTest, TheFirstSchemaStoresSettings) {
  migrate(db());
  const auto& q = QueryCatalog::for_backend(backend());
  auto conn = db().acquire();
  conn->execute(q.get("settings.put"), {"jwt_secret", "first", "2026-01-01T00:00:00Z"});
  conn->execute(q.get("settings.put"), {"jwt_secret", "second", "2026-01-02T00:00:00Z"});
  EXPECT_EQ(conn->execute(q.get("settings.put_if_absent"), {"jwt_secret", "third", "2026-01-03T00:00:00Z"}), 0);
  EXPECT_EQ(conn->execute(q.get("settings.put_if_absent"), {"site_name", "Herald", "2026-01-03T00:00:00Z"}), 1);
  std::string value;
  conn->execute(q.get("settings.get"), {"jwt_secret"}, [&](const Row& row) { value = row.str(0); });
  EXPECT_EQ(value, "second");
  EXPECT_EQ(conn->execute(q.get("settings.get"), {"missing"}), 0);
  EXPECT_THROW(conn->execute(q.get("settings.put"), {"k", nullptr, "2026-01-01T00:00:00Z"}), ConstraintViolation);
}

TEST_P(MigrationsTest, AFailingMigrationRollsBackAndNamesItsFile) {
  auto migrations = migrations_for(backend());
  const int base = migrations.back().version;
  migrations.push_back({base + 1, "good", "CREATE TABLE m_good (x INTEGER)"});
  migrations.push_back({base + 2, "broken", "CREATE TABLE m_partial (x INTEGER); INSERT INTO m_missing VALUES (1);"});
  try {
    migrate(db(), migrations);
    FAIL() << "the broken migration was applied";
  } catch (const DbError& e) {
    const auto file = fmt::format("{}/migrations/{:04d}_broken.sql", backend_name(backend()), base + 2);
    EXPECT_NE(std::string(e.what()).find(file), std::string::npos) << e.what();
  }
  EXPECT_TRUE(table_exists("m_good"));
  EXPECT_FALSE(table_exists("m_partial"));
  EXPECT_EQ(recorded_versions().back(), base + 1);

  migrations.back().sql = "CREATE TABLE m_partial (x INTEGER)";
  const auto fixed = migrate(db(), migrations);
  ASSERT_EQ(fixed.applied.size(), 1U);
  EXPECT_EQ(fixed.applied[0].name, "broken");
  EXPECT_EQ(fixed.current_version, base + 2);
  EXPECT_TRUE(table_exists("m_partial"));
}

TEST_P(MigrationsTest, ConcurrentRunsApplyEachMigrationOnce) {
  std::vector<std::string> sql;  // Migration::sql is a view: keep the text alive
  for (int k = 1; k <= 5; ++k) sql.push_back("CREATE TABLE step_" + std::to_string(k) + " (x INTEGER)");
  auto migrations = migrations_for(backend());
  for (int k = 1; k <= 5; ++k) migrations.push_back({1000 + k, "step", sql[static_cast<std::size_t>(k - 1)]});

  std::atomic<std::size_t> applied{0};
  std::vector<std::thread> runners;
  for (int r = 0; r < 3; ++r) {
    runners.emplace_back([&] {
      try {
        const auto own = scratch().open({.pool_size = 1});
        applied += migrate(*own, migrations).applied.size();
      } catch (const std::exception& e) {
        ADD_FAILURE() << e.what();
      }
    });
  }
  for (auto& runner : runners) runner.join();
  EXPECT_EQ(applied, migrations.size());
  EXPECT_EQ(recorded_versions().size(), migrations.size());
}

INSTANTIATE_TEST_SUITE_P(Backends, MigrationsTest, test::all_backends(), test::backend_test_name);

}  // namespace
}  // namespace herald::storage

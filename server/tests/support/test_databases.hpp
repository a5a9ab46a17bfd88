// Fresh, empty databases for tests, on both backends.
//
// SQLite: a file in a new temporary directory. PostgreSQL: a new database on
// the server named by HERALD_TEST_POSTGRES_URL (scripts/test-services starts
// one). Each is removed or dropped when the test ends.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <ostream>
#include <string>

#include "storage/database.hpp"

namespace herald::storage {
// Test names and failure messages show "sqlite" / "postgres".
void PrintTo(Backend backend, std::ostream* os);
}  // namespace herald::storage

namespace herald::test {

class ScratchDatabase {
 public:
  explicit ScratchDatabase(storage::Backend backend);
  ~ScratchDatabase();
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  storage::Backend backend() const noexcept { return backend_; }
  const std::string& url() const noexcept { return url_; }
  // Opens a pool on this database; several may be open at once.
  std::unique_ptr<storage::Database> open(const storage::DatabaseOptions& opts = {}) const;

 private:
  storage::Backend backend_;
  std::string url_;
  std::filesystem::path dir_;  // SQLite
  std::string name_;           // PostgreSQL database name
};

// The server URL of HERALD_TEST_POSTGRES_URL, or empty when unset.
std::string postgres_server_url();

// Test SQL written once with $N placeholders, turned into ?N for SQLite.
std::string sql_for(storage::Backend backend, std::string_view sql);

// `url` with its database name replaced by `name`.
std::string with_database_name(const std::string& url, const std::string& name);

// The one rule for PostgreSQL tests when HERALD_TEST_POSTGRES_URL is unset:
// they fail with a message saying how to start a server, so a forgotten
// server never looks like a pass — unless HERALD_TEST_SKIP_POSTGRES=1 (that
// exact value) asks to skip them. Every fixture applies it through this macro
// at the start of its SetUp.
bool skip_postgres_tests();
extern const std::string_view kNoPostgres;
#define HERALD_REQUIRE_POSTGRES()                                                               \
  do {                                                                                          \
    if (::herald::test::postgres_server_url().empty()) {                                        \
      if (::herald::test::skip_postgres_tests()) GTEST_SKIP() << "HERALD_TEST_SKIP_POSTGRES=1"; \
      FAIL() << ::herald::test::kNoPostgres;                                                    \
    }                                                                                           \
  } while (false)

// A test run once per backend (PostgreSQL under the rule above).
class BackendTest : public ::testing::TestWithParam<storage::Backend> {
 protected:
  void SetUp() override;
  void TearDown() override;

  storage::Backend backend() const { return GetParam(); }
  ScratchDatabase& scratch() { return *scratch_; }
  // A pool with default options on the scratch database, opened on first use.
  storage::Database& db();

 private:
  std::unique_ptr<ScratchDatabase> scratch_;
  std::unique_ptr<storage::Database> db_;
};

inline auto all_backends() { return ::testing::Values(storage::Backend::Sqlite, storage::Backend::Postgres); }
// For a case that only means something on PostgreSQL: instantiated for it
// alone, so SQLite reports no skipped case.
inline auto postgres_only() { return ::testing::Values(storage::Backend::Postgres); }

// Names instances ".../sqlite" and ".../postgres", e.g.
//   INSTANTIATE_TEST_SUITE_P(Backends, MyTest, test::all_backends(), test::backend_test_name);
std::string backend_test_name(const ::testing::TestParamInfo<storage::Backend>& info);

}  // namespace herald::test

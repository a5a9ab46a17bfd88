#include "support/test_databases.hpp"

#include <algorithm>
#include <cstdlib>
#include <random>

#include <fmt/format.h>

namespace herald::storage {
void PrintTo(Backend backend, std::ostream* os) { *os << backend_name(backend); }
}  // namespace herald::storage

namespace herald::test {

const std::string_view kNoPostgres =
    "HERALD_TEST_POSTGRES_URL is not set, so the PostgreSQL tests cannot run. Run the tests through "
    "`make test`, or start a throwaway server with `eval \"$(scripts/test-services start DIR)\"` "
    "(stop it with `scripts/test-services stop DIR`). Set HERALD_TEST_SKIP_POSTGRES=1 to skip them.";

namespace {

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

std::string random_suffix() {
  std::random_device device;
  std::mt19937_64 rng((static_cast<std::uint64_t>(device()) << 32) ^ device());
  return fmt::format("{:016x}", rng());
}

std::filesystem::path make_temp_dir() {
  const auto dir = std::filesystem::temp_directory_path() / fmt::format("herald-test-{}", random_suffix());
  std::filesystem::create_directories(dir);
  return dir;
}

// Runs one statement on the server's maintenance database.
void admin_execute(const std::string& sql) {
  const auto admin = storage::open_database(postgres_server_url(), {.pool_size = 1});
  admin->acquire()->execute_script(sql);
}

}  // namespace

std::string postgres_server_url() { return env("HERALD_TEST_POSTGRES_URL"); }

bool skip_postgres_tests() { return env("HERALD_TEST_SKIP_POSTGRES") == "1"; }

std::string sql_for(storage::Backend backend, std::string_view sql) {
  std::string out(sql);
  if (backend == storage::Backend::Sqlite) std::ranges::replace(out, '$', '?');
  return out;
}

std::string with_database_name(const std::string& url, const std::string& name) {
  const auto authority = url.find("://");
  if (authority == std::string::npos) throw std::invalid_argument("not a URL: " + url);
  const auto query = std::min(url.find('?', authority + 3), url.size());
  const auto slash = url.find('/', authority + 3);
  const auto path = slash < query ? slash : query;
  return url.substr(0, path) + "/" + name + url.substr(query);
}

ScratchDatabase::ScratchDatabase(storage::Backend backend) : backend_(backend) {
  if (backend == storage::Backend::Sqlite) {
    dir_ = make_temp_dir();
    url_ = "sqlite://" + (dir_ / "herald.db").string();
    return;
  }
  if (postgres_server_url().empty()) throw std::runtime_error(std::string(kNoPostgres));
  name_ = "herald_test_" + random_suffix();
  admin_execute("CREATE DATABASE " + name_);
  url_ = with_database_name(postgres_server_url(), name_);
}

ScratchDatabase::~ScratchDatabase() {
  try {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
    // FORCE: a test that failed half-way may still hold connections.
    if (!name_.empty()) admin_execute(fmt::format("DROP DATABASE IF EXISTS {} WITH (FORCE)", name_));
  } catch (const std::exception& e) {
    ADD_FAILURE() << "cleaning up the scratch database failed: " << e.what();
  }
}

std::unique_ptr<storage::Database> ScratchDatabase::open(const storage::DatabaseOptions& opts) const {
  return storage::open_database(url_, opts);
}

void BackendTest::SetUp() {
  if (backend() == storage::Backend::Postgres) HERALD_REQUIRE_POSTGRES();
  scratch_ = std::make_unique<ScratchDatabase>(backend());
}

void BackendTest::TearDown() {
  db_.reset();  // close the pool before the database is dropped
  scratch_.reset();
}

storage::Database& BackendTest::db() {
  if (!db_) db_ = scratch_->open();
  return *db_;
}

std::string backend_test_name(const ::testing::TestParamInfo<storage::Backend>& info) {
  return std::string(storage::backend_name(info.param));
}

}  // namespace herald::test

// open_database(): URLs, reachability, and what describe() may show.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>
#include <vector>

#include "storage/database.hpp"
#include "support/test_databases.hpp"

namespace herald::storage {
namespace {

std::string message_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(OpenDatabase, RejectsBadUrls) {
  for (const std::string_view url :
       {"", "herald.db", "mysql://root@localhost/herald", "sqlite://", "sqlite://:memory:", "postgresql://[::1"}) {
    EXPECT_THROW(open_database(url), DbError) << url;
  }
}

TEST(OpenDatabase, InvalidPostgresUrlErrorHidesThePassword) {
  const auto message = message_of([] { open_database("postgresql://herald:hunter2@[::1/herald"); });
  EXPECT_NE(message.find("invalid PostgreSQL URL"), std::string::npos) << message;
  EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
}

TEST(OpenDatabase, UnreachablePostgresIsUnavailable) {
  // Port 1 is privileged and never a PostgreSQL server.
  const auto url = "postgresql://herald:hunter2@127.0.0.1:1/herald?connect_timeout=2";
  EXPECT_THROW(open_database(url), Unavailable);
  const auto message = message_of([&] { open_database(url); });
  EXPECT_NE(message.find("127.0.0.1"), std::string::npos) << message;
  EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
}

TEST(OpenDatabase, SqliteRelativePathCreatesParentDirectories) {
  test::ScratchDatabase scratch(Backend::Sqlite);
  const auto dir = std::filesystem::path(scratch.url().substr(std::string_view("sqlite://").size())).parent_path();
  const auto previous = std::filesystem::current_path();
  std::filesystem::current_path(dir);
  try {
    const auto db = open_database("sqlite://nested/data/herald.db");
    EXPECT_TRUE(std::filesystem::exists(dir / "nested/data/herald.db"));
    EXPECT_EQ(db->describe(), "sqlite://" + (dir / "nested/data/herald.db").string());
    EXPECT_EQ(db->backend(), Backend::Sqlite);
  } catch (...) {
    std::filesystem::current_path(previous);
    throw;
  }
  std::filesystem::current_path(previous);
}

TEST(OpenDatabase, SqliteFileOpenedByManyAtOnceWorksForAll) {
  // A new file turns to WAL on first open; several processes starting
  // together race for that, and every one of them must get a database.
  test::ScratchDatabase scratch(Backend::Sqlite);
  const auto dir = std::filesystem::path(scratch.url().substr(std::string_view("sqlite://").size())).parent_path();
  for (int round = 0; round < 25; ++round) {
    const std::string url = "sqlite://" + (dir / ("race-" + std::to_string(round) + ".db")).string();
    std::atomic<int> ok{0};
    std::vector<std::thread> openers;
    for (int t = 0; t < 6; ++t) {
      openers.emplace_back([&] {
        try {
          const auto db = open_database(url, {.pool_size = 1});
          auto conn = db->acquire();
          conn->execute("CREATE TABLE IF NOT EXISTS t (x INTEGER)");
          ok.fetch_add(1);
        } catch (const std::exception& e) {
          ADD_FAILURE() << "round " << round << ": " << e.what();
        }
      });
    }
    for (auto& t : openers) t.join();
    EXPECT_EQ(ok.load(), 6) << "round " << round;
  }
}

TEST(OpenDatabase, SqliteFileThatCannotBeOpenedIsUnavailable) {
  test::ScratchDatabase scratch(Backend::Sqlite);
  const auto dir = std::filesystem::path(scratch.url().substr(std::string_view("sqlite://").size())).parent_path();
  std::filesystem::create_directories(dir / "a_directory.db");
  EXPECT_THROW(open_database("sqlite://" + (dir / "a_directory.db").string()), Unavailable);
}

class DescribeTest : public test::BackendTest {};

TEST_P(DescribeTest, NeverShowsThePassword) {
  std::string url = scratch().url();
  if (backend() == Backend::Postgres) {
    // The test server trusts every local login, so any password connects.
    const auto at = url.find('@');
    ASSERT_NE(at, std::string::npos) << url;
    url.insert(at, ":s3cr3t-pa55");
  }
  const auto db = open_database(url);
  const auto described = db->describe();
  EXPECT_EQ(described.find("s3cr3t"), std::string::npos) << described;
  EXPECT_EQ(db->backend(), backend());
  if (backend() == Backend::Postgres) {
    EXPECT_NE(described.find(":***@"), std::string::npos) << described;
  } else {
    EXPECT_EQ(described, url);
  }
  EXPECT_EQ(db->acquire()->execute("SELECT 1"), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, DescribeTest, test::all_backends(), test::backend_test_name);

// PostgreSQL connection settings.
using PostgresSettingsTest = test::BackendTest;

TEST_P(PostgresSettingsTest, DefaultsYieldToTheUrl) {
  const auto application_name = [](Database& db) {
    std::string name;
    db.acquire()->execute("SELECT current_setting('application_name')", {}, [&](const Row& row) { name = row.str(0); });
    return name;
  };
  EXPECT_EQ(application_name(*open_database(scratch().url())), "herald");
  const auto sep = scratch().url().find('?') == std::string::npos ? "?" : "&";
  EXPECT_EQ(application_name(*open_database(scratch().url() + sep + "application_name=worker")), "worker");
}

INSTANTIATE_TEST_SUITE_P(Backends, PostgresSettingsTest, test::postgres_only(), test::backend_test_name);

}  // namespace
}  // namespace herald::storage

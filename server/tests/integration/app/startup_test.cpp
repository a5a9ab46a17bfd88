// Start-up refuses to run with a query missing from server/sql, and every
// query in server/sql is one the program runs.
#include <gtest/gtest.h>

#include "storage/queries.hpp"
#include "storage/query.hpp"
#include "support/test_server.hpp"

namespace herald::test {
namespace {

TEST(Startup, AQueryMissingFromServerSqlStopsStartUp) {
  const storage::Query missing{"tests.missing_query"};
  try {
    TestServer server;
    FAIL() << "the server started without query tests.missing_query";
  } catch (const storage::DbError& e) {
    EXPECT_NE(std::string(e.what()).find("tests.missing_query"), std::string::npos) << e.what();
  }
}

TEST(Startup, EveryQueryInServerSqlIsDeclaredByTheCodeThatRunsIt) {
  TestServer server;  // links and starts everything that declares queries
  auto declared = storage::declared_queries();
  for (auto backend : {storage::Backend::Sqlite, storage::Backend::Postgres}) {
    for (const auto& name : storage::QueryCatalog::for_backend(backend).names()) {
      EXPECT_TRUE(std::ranges::count(declared, name) > 0)
          << name << " (" << storage::backend_name(backend) << ") is in server/sql but no code runs it";
    }
  }
}

}  // namespace
}  // namespace herald::test

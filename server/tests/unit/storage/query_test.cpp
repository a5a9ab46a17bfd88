#include "storage/query.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace herald::storage {
namespace {

bool declared(std::string_view name) { return std::ranges::count(declared_queries(), name) > 0; }

TEST(Query, RegistersWhileItExists) {
  {
    const Query q{"tests.scoped_query"};
    EXPECT_TRUE(declared("tests.scoped_query"));
    EXPECT_EQ(q.name(), "tests.scoped_query");
  }
  EXPECT_FALSE(declared("tests.scoped_query"));
}

TEST(Query, ResolvesEachBackendsSql) {
  const Query ping{"health.ping"};
  EXPECT_EQ(ping.sql(Backend::Sqlite), "SELECT 1");
  EXPECT_EQ(ping.sql(Backend::Postgres), "SELECT 1");
  EXPECT_EQ(&ping.sql(Backend::Sqlite), &ping.sql(Backend::Sqlite));
}

TEST(Query, AMissingQueryIsAnErrorNamingIt) {
  const Query missing{"tests.not_in_server_sql"};
  EXPECT_THROW(missing.sql(Backend::Sqlite), DbError);
  try {
    check_queries(Backend::Postgres, {"health.ping", "tests.not_in_server_sql", "tests.also_missing"});
    FAIL();
  } catch (const DbError& e) {
    EXPECT_STREQ(e.what(), "queries missing from server/sql for postgres: tests.not_in_server_sql, tests.also_missing");
  }
  EXPECT_NO_THROW(check_queries(Backend::Sqlite, {"health.ping"}));
}

}  // namespace
}  // namespace herald::storage

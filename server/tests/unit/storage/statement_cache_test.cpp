#include "storage/statement_cache.hpp"

#include <gtest/gtest.h>

namespace herald::storage {
namespace {

TEST(StatementCache, FindsWhatWasInserted) {
  StatementCache<int> cache(4);
  EXPECT_EQ(cache.find("SELECT 1"), nullptr);
  cache.insert("SELECT 1", 1);
  ASSERT_NE(cache.find("SELECT 1"), nullptr);
  EXPECT_EQ(*cache.find("SELECT 1"), 1);
  EXPECT_EQ(cache.size(), 1U);
}

TEST(StatementCache, EvictsTheLeastRecentlyUsed) {
  StatementCache<int> cache(2);
  EXPECT_FALSE(cache.make_room());
  cache.insert("a", 1);
  EXPECT_FALSE(cache.make_room());
  cache.insert("b", 2);
  cache.find("a");  // "b" is now the oldest
  const auto evicted = cache.make_room();
  ASSERT_TRUE(evicted);
  EXPECT_EQ(*evicted, 2);
  cache.insert("c", 3);
  EXPECT_EQ(cache.find("b"), nullptr);
  EXPECT_NE(cache.find("a"), nullptr);
  EXPECT_NE(cache.find("c"), nullptr);
  EXPECT_EQ(cache.size(), 2U);
}

TEST(StatementCache, KeysOutliveTheCallersString) {
  StatementCache<int> cache(2);
  {
    std::string sql = "SELECT ?1";
    cache.insert(sql, 7);
    sql.assign("overwritten");
  }
  ASSERT_NE(cache.find("SELECT ?1"), nullptr);
  cache.erase("SELECT ?1");
  EXPECT_EQ(cache.find("SELECT ?1"), nullptr);
  EXPECT_EQ(cache.size(), 0U);
}

}  // namespace
}  // namespace herald::storage

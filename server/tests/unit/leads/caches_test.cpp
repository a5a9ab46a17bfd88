#include <gtest/gtest.h>

#include "leads/count_cache.hpp"
#include "leads/page_cache.hpp"

namespace herald::leads {
namespace {

std::shared_ptr<const std::string> body(std::size_t n, char c = 'x') {
  return std::make_shared<const std::string>(n, c);
}

TEST(PageCache, ServesAPageOnlyForItsVersion) {
  PageCache cache(1 << 20);
  cache.put("status=new|1", 7, body(100, 'a'));
  ASSERT_NE(cache.get("status=new|1", 7), nullptr);
  EXPECT_EQ(*cache.get("status=new|1", 7), std::string(100, 'a'));
  EXPECT_EQ(cache.get("status=new|1", 8), nullptr);  // a write happened
  EXPECT_EQ(cache.get("status=new|1", 7), nullptr);  // and the stale page is gone
  EXPECT_EQ(cache.get("status=new|2", 7), nullptr);
}

TEST(PageCache, StaysWithinItsBytesLeastRecentlyUsedOut) {
  PageCache cache(10000);
  cache.put("a", 1, body(2000));
  cache.put("b", 1, body(2000));
  cache.put("c", 1, body(2000));
  ASSERT_NE(cache.get("a", 1), nullptr);  // a is now the most recent
  cache.put("d", 1, body(2000));
  cache.put("e", 1, body(2000));
  EXPECT_NE(cache.get("a", 1), nullptr);
  EXPECT_EQ(cache.get("b", 1), nullptr);
  EXPECT_NE(cache.get("e", 1), nullptr);
  cache.put("huge", 1, body(5000));  // over a quarter of the budget: not kept
  EXPECT_EQ(cache.get("huge", 1), nullptr);
}

TEST(PageCache, ZeroBytesMeansOff) {
  PageCache cache(0);
  cache.put("a", 1, body(10));
  EXPECT_EQ(cache.get("a", 1), nullptr);
}

Versions at(std::int64_t rows, std::int64_t status = 0) { return Versions{.rows = rows, .status = status}; }

TEST(CountCache, CountsBelongToTheirVersions) {
  CountCache cache(2);
  cache.put("f", at(3), {100, false});
  ASSERT_TRUE(cache.get("f", at(3)));
  EXPECT_EQ(cache.get("f", at(3))->count, 100);
  EXPECT_EQ(cache.get("f", at(4)), std::nullopt);
  EXPECT_EQ(cache.get("f", at(3, 1)), std::nullopt);
  cache.put("f", at(2), {90, false});  // an older count never replaces a newer one
  EXPECT_EQ(cache.get("f", at(3))->count, 100);
  cache.put("f", at(3, 1), {10000, true});
  EXPECT_TRUE(cache.get("f", at(3, 1))->lower_bound);
  cache.put("g", at(3), {1, false});
  cache.put("h", at(3), {2, false});  // over capacity: starts over
  EXPECT_EQ(cache.get("h", at(3))->count, 2);
}

}  // namespace
}  // namespace herald::leads

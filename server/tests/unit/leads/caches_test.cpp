#include <gtest/gtest.h>

#include "leads/change_feed.hpp"
#include "leads/count_cache.hpp"
#include "leads/page_cache.hpp"

namespace herald::leads {
namespace {

std::shared_ptr<RenderedPage> page(std::size_t bytes, PageScope scope = {}) {
  auto p = std::make_shared<RenderedPage>();
  p->head = std::string(bytes, 'x');
  p->scope = std::move(scope);
  return p;
}

// A full page of the default order showing leads 100..149 of a status filter.
PageScope newest_first_status() {
  PageScope s;
  s.newest_first = true;
  s.lowest = 100;
  s.membership = membership_aspects(Depends{.status = true});
  for (std::int64_t id = 100; id < 150; ++id) s.ids.push_back(id);
  return s;
}

// A feed that knows the given changes after version 1.
struct Feed {
  ChangeFeed feed;
  explicit Feed(std::vector<Change> changes, std::size_t fetch_limit = 5000) : feed(100000, fetch_limit) {
    feed.catch_up(1, nullptr);  // starts here
    const std::int64_t now = changes.empty() ? 1 : changes.back().version;
    feed.catch_up(now, [&](std::int64_t after, std::size_t) {
      std::vector<Change> out;
      for (const auto& c : changes)
        if (c.version > after) out.push_back(c);
      return out;
    });
  }
};

TEST(ChangeFeed, AChangeMattersOnlyIfItCanReachThePage) {
  const PageScope p = newest_first_status();
  EXPECT_TRUE(leaves_unchanged(p, {2, 50, kChangedStatus}));    // below the page: nothing on it moves
  EXPECT_FALSE(leaves_unchanged(p, {2, 120, kChangedStatus}));  // on the page
  EXPECT_FALSE(leaves_unchanged(p, {2, 120, 0}));               // on the page, even a field no filter reads
  EXPECT_FALSE(leaves_unchanged(p, {2, 500, kChangedStatus}));  // above it: may enter or leave, the page shifts
  EXPECT_TRUE(leaves_unchanged(p, {2, 500, kChangedText}));     // above it, but the filter does not read names
  EXPECT_FALSE(leaves_unchanged(p, {2, 500, kChangedRows}));    // added or deleted: every filter
  EXPECT_FALSE(leaves_unchanged(p, {2, std::nullopt, 0}));      // too many to list
  PageScope partial = p;
  partial.lowest = 0;  // the last page: every match is on it
  EXPECT_FALSE(leaves_unchanged(partial, {2, 50, kChangedStatus}));
  EXPECT_TRUE(leaves_unchanged(partial, {2, 50, kChangedText}));
  PageScope cursor = p;
  cursor.below = 300;  // leads below 300 only
  EXPECT_TRUE(leaves_unchanged(cursor, {2, 500, kChangedStatus}));
  PageScope sorted = p;
  sorted.newest_first = false;  // another order depends on every lead
  EXPECT_FALSE(leaves_unchanged(sorted, {2, 50, kChangedText}));
}

TEST(ChangeFeed, KnowsWhatChangedBetweenTwoVersions) {
  Feed f({{2, 50, kChangedStatus}, {3, 60, kChangedStatus}, {4, 120, 0}});
  const PageScope p = newest_first_status();
  EXPECT_TRUE(f.feed.unchanged(p, 1, 3));
  EXPECT_FALSE(f.feed.unchanged(p, 1, 4));
  EXPECT_FALSE(f.feed.unchanged(p, 1, 9));  // not caught up that far
  EXPECT_FALSE(f.feed.unchanged(p, 0, 2));  // from before the feed began
  EXPECT_TRUE(f.feed.unchanged(p, 4, 4));
}

TEST(ChangeFeed, ForgetsWhenTooMuchChangedAtOnce) {
  std::vector<Change> many;
  for (std::int64_t v = 2; v < 12; ++v) many.push_back({v, 1, kChangedStatus});
  Feed f(many, 5);
  EXPECT_FALSE(f.feed.unchanged(newest_first_status(), 1, 11));
  EXPECT_TRUE(f.feed.unchanged(newest_first_status(), 11, 11));
}

TEST(PageCache, KeepsAPageAcrossChangesThatCannotTouchIt) {
  Feed f({{2, 50, kChangedStatus}, {3, 120, kChangedStatus}});
  PageCache cache(1 << 20);
  cache.put("status=new|1", 1, page(100, newest_first_status()));
  ASSERT_NE(cache.get("status=new|1", 1, f.feed), nullptr);
  ASSERT_NE(cache.get("status=new|1", 2, f.feed), nullptr);  // lead 50 is below the page
  EXPECT_EQ(cache.get("status=new|1", 3, f.feed), nullptr);  // lead 120 is on it
  EXPECT_EQ(cache.get("status=new|1", 2, f.feed), nullptr);  // and the stale page is gone
  EXPECT_EQ(cache.get("status=new|2", 1, f.feed), nullptr);
}

TEST(PageCache, StaysWithinItsBytesLeastRecentlyUsedOut) {
  Feed f({});
  PageCache cache(10000);
  cache.put("a", 1, page(2000));
  cache.put("b", 1, page(2000));
  cache.put("c", 1, page(2000));
  ASSERT_NE(cache.get("a", 1, f.feed), nullptr);  // a is now the most recent
  cache.put("d", 1, page(2000));
  cache.put("e", 1, page(2000));
  EXPECT_NE(cache.get("a", 1, f.feed), nullptr);
  EXPECT_EQ(cache.get("b", 1, f.feed), nullptr);
  EXPECT_NE(cache.get("e", 1, f.feed), nullptr);
  cache.put("huge", 1, page(5000));  // over a quarter of the budget: not kept
  EXPECT_EQ(cache.get("huge", 1, f.feed), nullptr);
}

TEST(PageCache, ZeroBytesMeansOff) {
  Feed f({});
  PageCache cache(0);
  cache.put("a", 1, page(10));
  EXPECT_EQ(cache.get("a", 1, f.feed), nullptr);
}

Versions at(std::int64_t rows, std::int64_t status = 0) { return Versions{.rows = rows, .status = status}; }

TEST(CountCache, CountsBelongToTheirVersions) {
  CountCache cache(2);
  cache.put("f", at(3), 100, {100, false});
  ASSERT_TRUE(cache.get("f", at(3)));
  EXPECT_EQ(cache.get("f", at(3))->count, 100);
  EXPECT_EQ(cache.get("f", at(4)), std::nullopt);
  EXPECT_EQ(cache.get("f", at(3, 1)), std::nullopt);
  cache.put("f", at(2), 90, {90, false});  // an older count never replaces a newer one
  EXPECT_EQ(cache.get("f", at(3))->count, 100);
  cache.put("g", at(3), 1, {1, false});
  cache.put("h", at(3), 2, {2, false});  // over capacity: starts over
  EXPECT_EQ(cache.get("h", at(3))->count, 2);
}

TEST(CountCache, AtLeastTheCapOutlivesFewerChangesThanItHasToSpare) {
  CountCache cache;
  // 10,003 found: "at least 10,000" holds while at most 3 leads changed.
  cache.put("f", at(5, 100), 10003, {10000, true});
  EXPECT_EQ(cache.get("f", at(5, 102))->count, 10000);
  EXPECT_TRUE(cache.get("f", at(5, 103))->lower_bound);
  EXPECT_EQ(cache.get("f", at(6, 103)), std::nullopt);  // four changes
  // An exact count holds for its versions only.
  cache.put("g", at(5, 100), 9000, {9000, false});
  EXPECT_EQ(cache.get("g", at(5, 101)), std::nullopt);
}

}  // namespace
}  // namespace herald::leads

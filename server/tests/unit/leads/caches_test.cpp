#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "leads/block_counts.hpp"
#include "leads/change_feed.hpp"
#include "leads/count_cache.hpp"
#include "leads/page_cache.hpp"
#include "leads/segment_list_cache.hpp"

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

TEST(SegmentListCache, APageServesItsStampAndOlderOnesNeverNewerOnes) {
  SegmentListCache cache(2);
  cache.put("1:50", {10, 3}, "at 10/3");
  EXPECT_EQ(cache.get("1:50", {10, 3}), "at 10/3");
  // A request that read older versions (before a write it did not see) takes the newer page.
  EXPECT_EQ(cache.get("1:50", {9, 3}), "at 10/3");
  // A lead changed, or a segment did: rendered again.
  EXPECT_EQ(cache.get("1:50", {11, 3}), std::nullopt);
  EXPECT_EQ(cache.get("1:50", {10, 4}), std::nullopt);
  EXPECT_EQ(cache.get("2:50", {10, 3}), std::nullopt);
  // A page rendered from older versions never replaces a newer one.
  cache.put("1:50", {9, 3}, "at 9/3");
  EXPECT_EQ(cache.get("1:50", {10, 3}), "at 10/3");
  cache.put("1:50", {12, 4}, "at 12/4");
  EXPECT_EQ(cache.get("1:50", {12, 4}), "at 12/4");
  // Over capacity: starts over.
  cache.put("2:50", {12, 4}, "page 2");
  cache.put("3:50", {12, 4}, "page 3");
  EXPECT_EQ(cache.get("3:50", {12, 4}), "page 3");
  EXPECT_EQ(cache.get("1:50", {12, 4}), std::nullopt);
}

TEST(SegmentListCache, OneRenderingOfAPageAtATime) {
  SegmentListCache cache;
  ASSERT_TRUE(cache.begin("1:50"));
  EXPECT_FALSE(cache.begin("1:50"));  // the others wait
  EXPECT_TRUE(cache.begin("2:50"));   // another page is rendered meanwhile
  std::atomic<bool> ended{false}, ended_before_wait_returned{false};
  std::thread waiter([&] {
    cache.wait("1:50", std::chrono::minutes(5));
    ended_before_wait_returned = ended.load();
  });
  std::this_thread::sleep_for(
      std::chrono::milliseconds(20));  // usually waiting by now; either way it must not return early
  cache.put("1:50", {1, 1}, "rendered");
  ended = true;
  cache.end("1:50");
  waiter.join();
  EXPECT_TRUE(ended_before_wait_returned);
  EXPECT_EQ(cache.get("1:50", {1, 1}), "rendered");
  EXPECT_TRUE(cache.begin("1:50"));
  cache.end("1:50");
  cache.end("2:50");
}

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

TEST(LeadBlockCounts, TheFeedNamesTheLeadsAFilterCanSeeChange) {
  Feed f({{2, 50, kChangedStatus}, {3, 60, kChangedText}, {4, 9000, kChangedStatus | kChangedTags}, {5, 70, 0}});
  const auto status = f.feed.changed(1, 5, kChangedRows | kChangedStatus);
  ASSERT_TRUE(status.has_value());
  ASSERT_EQ(status->size(), 2u);  // the text change and the one no filter reads are not its business
  EXPECT_EQ((*status)[0].lead_id, 50);
  EXPECT_EQ((*status)[1].version, 4);
  EXPECT_EQ((*status)[1].lead_id, 9000);
  EXPECT_EQ(f.feed.changed(2, 5, kChangedRows | kChangedStatus)->size(), 1u);
  EXPECT_TRUE(f.feed.changed(5, 5, kChangedRows | kChangedStatus)->empty());
  EXPECT_FALSE(f.feed.changed(0, 5, kChangedStatus).has_value());  // from before the feed began
  EXPECT_FALSE(f.feed.changed(1, 9, kChangedStatus).has_value());  // not caught up that far
}

TEST(LeadBlockCounts, LeadsAddedOrDeletedAreNamedUnlistedOnesAreNot) {
  Feed added({{2, 50, kChangedStatus}, {3, 80000, kChangedRows}});
  const auto rows = added.feed.changed(1, 3, kChangedRows | kChangedStatus);
  ASSERT_TRUE(rows.has_value());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_FALSE((*rows)[0].rows);
  EXPECT_TRUE((*rows)[1].rows);
  EXPECT_EQ((*rows)[1].lead_id, 80000);
  Feed many({{2, std::nullopt, kChangedStatus}});
  EXPECT_FALSE(many.feed.changed(1, 2, kChangedRows | kChangedStatus).has_value());  // too many to list
  EXPECT_TRUE(many.feed.changed(1, 2, kChangedRows | kChangedText)->empty());        // nothing a name filter reads
}

TEST(LeadBlockCounts, OnlyBlocksCountedBeforeAChangeAreStale) {
  BlockTotal t;
  EXPECT_FALSE(t.filled());
  t.reset({{0, 10}, {2, 5}, {7, 1}}, 10, 8 * kCountBlock - 1);
  EXPECT_TRUE(t.filled());
  EXPECT_EQ(t.total(), 16);
  EXPECT_EQ(t.verified_at(), 10);
  // Leads in blocks 0, 1 (empty so far), 2 and 5 changed after 10; 2 twice.
  const std::vector<ChangedLead> changes{{11, 3},
                                         {12, kCountBlock + 1},
                                         {12, 2 * kCountBlock},
                                         {13, 2 * kCountBlock + 9},
                                         {14, 5 * kCountBlock, true}};  // deleted
  const Stale stale = t.stale(changes);
  ASSERT_EQ(stale.runs.size(), 2u);  // runs of consecutive blocks
  EXPECT_EQ(stale.runs[0], std::make_pair(std::int64_t{0}, std::int64_t{2}));
  EXPECT_EQ(stale.runs[1], std::make_pair(std::int64_t{5}, std::int64_t{5}));
  EXPECT_EQ(stale.top, 8 * kCountBlock - 1);
  // Blocks 0-2 counted again at 13: 9, none, 6.
  t.replace(stale.runs[0], {{0, 9}, {2, 6}, {5, 100}}, 13);  // a block outside the run is ignored
  EXPECT_EQ(t.total(), 9 + 6 + 1);
  t.replace(stale.runs[1], {{5, 2}}, 14);
  EXPECT_EQ(t.total(), 18);
  t.verified(12, stale.top);
  // Counted at 13: a change at 13 is in; at 14 it is not, nor is block 7's, counted at 10.
  const auto again = t.stale({{13, 2 * kCountBlock}, {14, 1}, {14, 7 * kCountBlock}});
  ASSERT_EQ(again.runs.size(), 2u);
  EXPECT_EQ(again.runs[0], std::make_pair(std::int64_t{0}, std::int64_t{0}));
  EXPECT_EQ(again.runs[1], std::make_pair(std::int64_t{7}, std::int64_t{7}));
  t.reset({}, 20, 0);  // everything counted again: nothing matches
  EXPECT_EQ(t.total(), 0);
  EXPECT_TRUE(t.stale({}).runs.empty());
  t.forget();
  EXPECT_FALSE(t.filled());
}

TEST(LeadBlockCounts, LeadsAddedReachFromAboveTheHighestKnownIdToTheOneLogged) {
  BlockTotal t;
  t.reset({{0, 4}}, 10, kCountBlock + 5);  // leads up to id 4,101 (block 1)
  // An insert logged at its highest id, 3 blocks up: its leads are above 4,101.
  Stale s = t.stale({{11, 4 * kCountBlock + 2, true}});
  ASSERT_EQ(s.runs.size(), 1u);
  EXPECT_EQ(s.runs[0], std::make_pair(std::int64_t{1}, std::int64_t{4}));
  EXPECT_EQ(s.top, 4 * kCountBlock + 2);
  // Two inserts in a row, then a delete below them: the second starts above the first.
  s = t.stale({{11, kCountBlock + 9, true}, {12, 3 * kCountBlock, true}, {13, 7, true}});
  ASSERT_EQ(s.runs.size(), 1u);  // block 0 (the delete) and 1-3 (the inserts) in one run
  EXPECT_EQ(s.runs[0], std::make_pair(std::int64_t{0}, std::int64_t{3}));
  EXPECT_EQ(s.top, 3 * kCountBlock);
  EXPECT_TRUE(t.stale({{11, kCountBlock + 9, true}}).runs[0] == std::make_pair(std::int64_t{1}, std::int64_t{1}));
  t.replace(s.runs[0], {{0, 3}, {1, 2}, {3, 1}}, 13);
  t.verified(13, s.top);
  EXPECT_EQ(t.total(), 6);
  // The next insert starts above what those brought.
  s = t.stale({{14, 3 * kCountBlock + 1, true}});
  ASSERT_EQ(s.runs.size(), 1u);
  EXPECT_EQ(s.runs[0], std::make_pair(std::int64_t{3}, std::int64_t{3}));
}

TEST(LeadBlockCounts, TotalsAreKeptPerFilterAndBounded) {
  BlockTotals totals(2);
  auto a = totals.of("a");
  a->reset({{0, 3}}, 1, 10);
  EXPECT_EQ(totals.of("a")->total(), 3);
  EXPECT_FALSE(totals.of("b")->filled());
  EXPECT_FALSE(totals.of("c")->filled());  // full: started over
  EXPECT_FALSE(totals.of("a")->filled());
  EXPECT_EQ(a->total(), 3);  // a holder keeps its own
}

}  // namespace
}  // namespace herald::leads

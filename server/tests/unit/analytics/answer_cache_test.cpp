// The per-process answer cache: kept only for the stamp (the roll-up's
// watermark) it was computed at, dropped when a newer stamp is seen, bounded.
#include <gtest/gtest.h>

#include <thread>

#include "analytics/answer_cache.hpp"

namespace herald::analytics {
namespace {

std::shared_ptr<const int> value(int v) { return std::make_shared<const int>(v); }

TEST(AnalyticsAnswerCache, AnAnswerIsServedOnlyAtTheStampItWasComputedAt) {
  AnswerCache<int> cache(100);
  EXPECT_EQ(cache.get(5, "a"), nullptr);
  cache.put(5, "a", value(1));
  ASSERT_NE(cache.get(5, "a"), nullptr);
  EXPECT_EQ(*cache.get(5, "a"), 1);
  EXPECT_EQ(cache.get(5, "b"), nullptr);
  // The roll-up moved: what was kept is not served, and is dropped once the
  // newer stamp is kept.
  EXPECT_EQ(cache.get(6, "a"), nullptr);
  cache.put(6, "b", value(2));
  EXPECT_EQ(cache.get(5, "a"), nullptr);
  EXPECT_EQ(cache.get(6, "a"), nullptr);
  EXPECT_EQ(*cache.get(6, "b"), 2);
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.hits(), 3);
}

TEST(AnalyticsAnswerCache, AnAnswerFromAnOlderStampIsNotKept) {
  AnswerCache<int> cache(100);
  cache.put(9, "a", value(1));
  // A request that read watermark 8 before another read 9 finishes last.
  cache.put(8, "b", value(2));
  EXPECT_EQ(cache.get(8, "b"), nullptr);
  EXPECT_EQ(cache.get(9, "b"), nullptr);
  EXPECT_EQ(*cache.get(9, "a"), 1);
}

TEST(AnalyticsAnswerCache, ItKeepsAtMostItsWeight) {
  AnswerCache<int> cache(10);
  for (int i = 0; i < 5; ++i) cache.put(1, std::to_string(i), value(i), 2);
  EXPECT_EQ(cache.size(), 5u);
  cache.put(1, "5", value(5), 2);  // past 10: everything else goes
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(*cache.get(1, "5"), 5);
  cache.put(1, "big", value(6), 11);  // heavier than the whole cache: not kept
  EXPECT_EQ(cache.get(1, "big"), nullptr);
  EXPECT_EQ(cache.size(), 1u);
}

TEST(AnalyticsAnswerCache, ManyThreadsGetAndPutWithoutLosingTheStampRule) {
  AnswerCache<int> cache(1000);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&cache, t] {
      for (int i = 0; i < 2000; ++i) {
        const std::int64_t stamp = i / 100;
        const auto key = std::to_string(i % 7);
        if (auto v = cache.get(stamp, key)) {
          // Only ever the value put at this very stamp.
          if (*v != static_cast<int>(stamp)) std::abort();
        } else {
          cache.put(stamp, key, value(static_cast<int>(stamp)));
        }
        (void)t;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(*cache.get(19, "0"), 19);
}

}  // namespace
}  // namespace herald::analytics

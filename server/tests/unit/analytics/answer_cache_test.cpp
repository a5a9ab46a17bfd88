// The per-process answer cache: kept only for the stamp (the roll-up's
// watermark) it was computed at, dropped when a newer stamp is seen, bounded.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

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

// Waits (generously: the machine may be loaded) until `done` holds.
template <class F>
bool eventually(F done) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return done();
}

// A gate the computation waits at until the test opens it.
struct Gate {
  std::mutex m;
  std::condition_variable cv;
  bool open = false;
  void wait() {
    std::unique_lock lock(m);
    cv.wait(lock, [this] { return open; });
  }
  void release() {
    {
      std::lock_guard lock(m);
      open = true;
    }
    cv.notify_all();
  }
};

const auto one = [](const int&) { return std::size_t{1}; };

TEST(AnalyticsAnswerCache, RequestsForTheSameStampAndKeyShareOneComputation) {
  AnswerCache<int> cache(100);
  Gate gate;
  std::atomic<int> computed{0};
  auto compute = [&] {
    ++computed;
    gate.wait();
    return value(42);
  };
  std::vector<std::shared_ptr<const int>> got(8);
  std::vector<std::thread> threads;
  threads.emplace_back([&] { got[0] = cache.get_or_compute(7, "k", compute, one); });
  ASSERT_TRUE(eventually([&] { return cache.in_flight() == 1; }));
  for (int i = 1; i < 8; ++i) threads.emplace_back([&, i] { got[i] = cache.get_or_compute(7, "k", compute, one); });
  // Each of the seven has found the computation under way and waits for it.
  ASSERT_TRUE(eventually([&] { return cache.shared() == 7; }));
  gate.release();
  for (auto& t : threads) t.join();
  EXPECT_EQ(computed.load(), 1);
  for (const auto& g : got) {
    ASSERT_NE(g, nullptr);
    EXPECT_EQ(g.get(), got[0].get());  // the very same answer
  }
  EXPECT_EQ(cache.in_flight(), 0u);
  // Kept: the next call is a hit, not a computation.
  EXPECT_EQ(*cache.get_or_compute(
                7, "k", [] { return value(0); }, one),
            42);
  EXPECT_EQ(cache.hits(), 1);
}

TEST(AnalyticsAnswerCache, ANewerStampIsComputedAgainNotShared) {
  AnswerCache<int> cache(100);
  EXPECT_EQ(*cache.get_or_compute(
                1, "k", [] { return value(1); }, one),
            1);
  // The roll-up moved: the answer kept at 1 is not the answer at 2.
  EXPECT_EQ(*cache.get_or_compute(
                2, "k", [] { return value(2); }, one),
            2);
  EXPECT_EQ(*cache.get_or_compute(
                2, "k", [] { return value(3); }, one),
            2);
  EXPECT_EQ(cache.shared(), 0);
}

TEST(AnalyticsAnswerCache, AFailedComputationFailsItsWaitersAndIsNotKept) {
  AnswerCache<int> cache(100);
  Gate gate;
  auto failing = [&]() -> std::shared_ptr<const int> {
    gate.wait();
    throw std::runtime_error("database away");
  };
  std::atomic<int> failures{0};
  std::thread first([&] {
    try {
      cache.get_or_compute(3, "k", failing, one);
    } catch (const std::runtime_error&) {
      ++failures;
    }
  });
  ASSERT_TRUE(eventually([&] { return cache.in_flight() == 1; }));
  std::thread second([&] {
    try {
      cache.get_or_compute(
          3, "k", [] { return value(9); }, one);
    } catch (const std::runtime_error&) {
      ++failures;
    }
  });
  ASSERT_TRUE(eventually([&] { return cache.shared() == 1; }));
  gate.release();
  first.join();
  second.join();
  EXPECT_EQ(failures.load(), 2);
  EXPECT_EQ(cache.in_flight(), 0u);
  // Nothing kept: the next call computes.
  EXPECT_EQ(*cache.get_or_compute(
                3, "k", [] { return value(5); }, one),
            5);
}

}  // namespace
}  // namespace herald::analytics

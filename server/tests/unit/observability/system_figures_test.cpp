// The admin figures' pure part: minutes, per-minute rows, quantiles, users.
#include "observability/system_figures.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

namespace herald::observability {
namespace {

using namespace std::chrono_literals;

HttpTotals totals(std::uint64_t calls, std::uint64_t errors, std::chrono::nanoseconds each) {
  HttpTotals t;
  t.calls = calls;
  t.errors = errors;
  t.latency.buckets[latency_slot(each)] = calls;
  t.latency.sum_ns = calls * static_cast<std::uint64_t>(each.count());
  return t;
}

TEST(SystemFigures, MinutesAndDays) {
  const auto t = std::chrono::system_clock::time_point(std::chrono::seconds(1'780'000'000));  // 20:26:40 UTC
  EXPECT_EQ(minute_of(t), 1'780'000'000 / 60);
  EXPECT_EQ(day_start_minute(t), (1'780'000'000 / 86400) * 1440);
  EXPECT_EQ(day_start_minute(t) % kMinutesPerDay, 0);
  EXPECT_EQ(minute_of(t) - day_start_minute(t), 20 * 60 + 26);
}

TEST(SystemFigures, AccumulatorTurnsCumulativeCountersIntoMinutes) {
  MinuteAccumulator acc;
  acc.add(totals(10, 1, 2ms), 100);
  acc.add(totals(15, 1, 2ms), 100);
  auto rows = acc.pending();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].minute, 100);
  EXPECT_EQ(rows[0].calls, 15u);
  EXPECT_EQ(rows[0].errors, 1u);
  EXPECT_EQ(rows[0].latency.count(), 15u);
  acc.written(100);
  EXPECT_TRUE(acc.pending().empty());

  // The next minute gets only what grew since; the current minute's row is
  // rewritten whole (absolute counts), so a repeated write never adds twice.
  acc.add(totals(18, 3, 2ms), 100);
  rows = acc.pending();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].calls, 18u);
  acc.written(101);
  acc.add(totals(20, 3, 2ms), 101);
  rows = acc.pending();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].minute, 101);
  EXPECT_EQ(rows[0].calls, 2u);
  EXPECT_EQ(rows[0].errors, 0u);
}

TEST(SystemFigures, UnwrittenMinutesWaitAndTheOldestAreGivenUp) {
  MinuteAccumulator acc(3);
  for (std::int64_t m = 0; m < 5; ++m) acc.add(totals(static_cast<std::uint64_t>(m + 1), 0, 1ms), m);
  const auto rows = acc.pending();  // never written: the database was down
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows.front().minute, 2);
  EXPECT_EQ(rows.back().minute, 4);
  EXPECT_EQ(acc.dropped_rows(), 2u);
  // Nothing changed: no pending row, and no row for an idle minute.
  acc.written(5);
  acc.add(totals(5, 0, 1ms), 6);
  EXPECT_TRUE(acc.pending().empty());
}

TEST(SystemFigures, QuantileInterpolatesWithinTheBucket) {
  LatencyCounts l;
  EXPECT_EQ(latency_quantile(l, 0.95), 0.0);
  // 100 calls between 10 and 25 ms: p50 is half way, p95 near the top.
  l.buckets[latency_slot(20ms)] = 100;
  EXPECT_NEAR(latency_quantile(l, 0.5), 0.0175, 1e-9);
  EXPECT_NEAR(latency_quantile(l, 0.95), 0.02425, 1e-9);
  // 95 fast calls and 5 slow ones: p95 is still among the fast.
  LatencyCounts m;
  m.buckets[latency_slot(400us)] = 95;
  m.buckets[latency_slot(3s)] = 5;
  EXPECT_LE(latency_quantile(m, 0.95), 0.0005);
  EXPECT_GT(latency_quantile(m, 0.99), 2.5);
  // Past the last bound the answer is that bound.
  LatencyCounts slow;
  slow.buckets[kLatencyBounds.size()] = 10;
  EXPECT_EQ(latency_quantile(slow, 0.95), kLatencyBounds.back());
}

TEST(SystemFigures, FiguresFromSummaries) {
  TrafficSummary today{40, 0, {}};
  TrafficSummary day;
  day.calls = 200;
  day.errors = 5;
  day.latency.buckets[latency_slot(3ms)] = 180;
  day.latency.buckets[latency_slot(300ms)] = 20;
  day.latency.sum_ns = 180 * 3'000'000ull + 20 * 300'000'000ull;
  const SystemFigures f = compute_figures(today, day, 7);
  EXPECT_EQ(f.api_calls_today, 40u);
  EXPECT_EQ(f.api_calls_24h, 200u);
  EXPECT_DOUBLE_EQ(f.error_rate_24h, 0.025);
  EXPECT_DOUBLE_EQ(f.avg_response_ms_24h, 32.7);
  // The 190th call of 200 is half way into the 250–500 ms bucket.
  EXPECT_DOUBLE_EQ(f.p95_response_ms_24h, 375.0);
  EXPECT_EQ(f.active_users_24h, 7);
  const auto j = to_json(f);
  EXPECT_EQ(j["api_calls_today"], 40);
  EXPECT_EQ(j["error_rate_24h"], 0.025);
  EXPECT_EQ(j["avg_response_ms_24h"], 32.7);
  EXPECT_EQ(j["p95_response_ms_24h"], 375.0);

  const SystemFigures none = compute_figures({}, {}, 0);
  EXPECT_EQ(none.error_rate_24h, 0.0);
  EXPECT_EQ(none.p95_response_ms_24h, 0.0);
}

TEST(SystemFigures, ActiveUsersAreCollectedOnceEachAcrossThreads) {
  ActiveUsers users;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&users, t] {
      for (int i = 0; i < 10'000; ++i) users.seen(i % 50 + (t % 2) * 25);  // users 0..74
    });
  }
  for (auto& t : threads) t.join();
  auto seen = users.take();
  std::sort(seen.begin(), seen.end());
  ASSERT_EQ(seen.size(), 75u);
  EXPECT_EQ(seen.front(), 0);
  EXPECT_EQ(seen.back(), 74);
  EXPECT_TRUE(users.take().empty());
  // After a take, the same user on the same thread is collected again.
  users.seen(5);
  users.seen(5);
  EXPECT_EQ(users.take(), std::vector<std::int64_t>{5});
  users.restore({1, 2});
  EXPECT_EQ(users.take().size(), 2u);
}

}  // namespace
}  // namespace herald::observability

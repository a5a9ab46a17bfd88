// The admin figures' store and recorder on SQLite and PostgreSQL: rows of
// several API processes add up, users count once, rewrites never double.
#include "observability/system_store.hpp"

#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "observability/system_recorder.hpp"
#include "storage/migrations.hpp"
#include "support/test_databases.hpp"

namespace herald::observability {
namespace {

using namespace std::chrono_literals;

MinuteRow row(std::int64_t minute, std::uint64_t calls, std::uint64_t errors, std::chrono::nanoseconds each) {
  MinuteRow r;
  r.minute = minute;
  r.calls = calls;
  r.errors = errors;
  r.latency.buckets[latency_slot(each)] = calls;
  r.latency.sum_ns = calls * static_cast<std::uint64_t>(each.count());
  return r;
}

class SystemStoreTest : public test::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    storage::migrate(db());
    store_ = std::make_unique<SystemFiguresStore>(db());
  }
  SystemFiguresStore& store() { return *store_; }

 private:
  std::unique_ptr<SystemFiguresStore> store_;
};

TEST_P(SystemStoreTest, ProcessesAddUpAndRewritesDoNotDouble) {
  store().write("api-a", {row(100, 10, 1, 2ms), row(101, 4, 0, 2ms)}, {}, 101);
  store().write("api-b", {row(100, 5, 2, 40ms)}, {}, 100);
  // api-a writes minute 101 again with its grown absolute count.
  store().write("api-a", {row(101, 6, 0, 2ms)}, {}, 101);

  const TrafficSummary all = store().summary(100, 102);
  EXPECT_EQ(all.calls, 21u);
  EXPECT_EQ(all.errors, 3u);
  EXPECT_EQ(all.latency.count(), 21u);
  EXPECT_EQ(all.latency.buckets[latency_slot(2ms)], 16u);
  EXPECT_EQ(all.latency.buckets[latency_slot(40ms)], 5u);
  EXPECT_EQ(all.latency.sum_ns, 16 * 2'000'000ull + 5 * 40'000'000ull);

  const TrafficSummary first = store().summary(100, 101);
  EXPECT_EQ(first.calls, 15u);
  EXPECT_EQ(store().summary(102, 200).calls, 0u);

  const auto series = store().series(90, 110);
  ASSERT_EQ(series.size(), 2u);
  EXPECT_EQ(series[0].minute, 100);
  EXPECT_EQ(series[0].calls, 15u);
  EXPECT_EQ(series[0].errors, 3u);
  EXPECT_EQ(series[1].minute, 101);
  EXPECT_EQ(series[1].calls, 6u);
}

TEST_P(SystemStoreTest, SlowCallsLandInTheOpenEndedBucket) {
  store().write("api-a", {row(5, 2, 0, 30s)}, {}, 5);
  const TrafficSummary s = store().summary(0, 10);
  EXPECT_EQ(s.latency.buckets[kLatencyBounds.size()], 2u);
  EXPECT_EQ(s.latency.sum_ns, 60'000'000'000ull);
}

TEST_P(SystemStoreTest, UsersCountOnceAcrossProcessesAndAgeOut) {
  store().write("api-a", {}, {1, 2}, 1000);
  store().write("api-b", {}, {2, 3}, 1001);
  store().write("api-a", {}, {4}, 10);
  EXPECT_EQ(store().active_users(1000), 3);
  EXPECT_EQ(store().active_users(0), 4);
  // A late write of an older minute does not move a user back.
  store().write("api-c", {}, {3}, 5);
  EXPECT_EQ(store().active_users(1001), 2);

  store().prune(1000);
  EXPECT_EQ(store().active_users(0), 3);
}

TEST_P(SystemStoreTest, PruneForgetsOldMinutes) {
  store().write("api-a", {row(10, 1, 0, 1ms), row(20, 2, 0, 1ms)}, {}, 20);
  store().prune(15);
  EXPECT_EQ(store().summary(0, 100).calls, 2u);
  EXPECT_EQ(store().summary(0, 100).latency.count(), 2u);
}

// Two API processes, each with its own counters, recorder and connection
// pool, serve known traffic; the figures are the sums.
TEST_P(SystemStoreTest, TwoProcessesAddUpInTheFigures) {
  ManualClock clock;
  // Put the clock at 12:00 UTC of some day so "today" holds both minutes.
  const auto noon = std::chrono::sys_days{std::chrono::year{2026} / 12 / 1} + 12h;
  clock.advance(std::chrono::duration_cast<std::chrono::nanoseconds>(noon - clock.wall()));

  auto db_b = scratch().open();
  SystemFiguresStore store_b(*db_b);
  HttpMetrics http_a, http_b;
  ActiveUsers users_a, users_b;
  RecorderOptions opts;
  opts.interval = 1h;  // flushed by hand below
  opts.process = "api-a";
  auto rec_a = std::make_unique<SystemRecorder>(http_a, users_a, store(), clock, opts);
  opts.process = "api-b";
  auto rec_b = std::make_unique<SystemRecorder>(http_b, users_b, store_b, clock, opts);

  auto& leads_a = http_a.route("/api/leads", "GET");
  auto& leads_b = http_b.route("/api/leads", "GET");
  auto& live_b = http_b.route("/api/health/live", "GET", /*api_call=*/false);
  for (int i = 0; i < 90; ++i) leads_a.record(200, 4ms);
  for (int i = 0; i < 8; ++i) leads_a.record(500, 4ms);
  for (int i = 0; i < 100; ++i) live_b.record(200, 100us);  // probes are not API calls
  users_a.seen(1);
  users_a.seen(2);
  users_b.seen(2);
  ASSERT_TRUE(rec_a->flush());
  ASSERT_TRUE(rec_b->flush());

  clock.advance(1min);
  for (int i = 0; i < 2; ++i) leads_b.record(200, 300ms);
  users_b.seen(3);
  ASSERT_TRUE(rec_a->flush());
  ASSERT_TRUE(rec_b->flush());

  const SystemFigures f = read_figures(store(), clock.wall());
  EXPECT_EQ(f.api_calls_today, 100u);
  EXPECT_EQ(f.api_calls_24h, 100u);
  EXPECT_EQ(f.errors_24h, 8u);
  EXPECT_DOUBLE_EQ(f.error_rate_24h, 0.08);
  EXPECT_NEAR(f.avg_response_ms_24h, (98 * 4.0 + 2 * 300.0) / 100, 1e-6);
  // The 95th call of 100 is among the 4 ms ones (bucket 2.5–5 ms).
  EXPECT_GT(f.p95_response_ms_24h, 2.5);
  EXPECT_LE(f.p95_response_ms_24h, 5.0);
  EXPECT_EQ(f.active_users_24h, 3);

  // A flush with nothing new changes nothing; the destructors flush once more.
  ASSERT_TRUE(rec_a->flush());
  rec_a.reset();
  rec_b.reset();
  EXPECT_EQ(read_figures(store(), clock.wall()).api_calls_today, 100u);

  // A day later the calls have left the 24 h window, and "today" is a new day.
  clock.advance(24h);
  const SystemFigures later = read_figures(store(), clock.wall());
  EXPECT_EQ(later.api_calls_24h, 0u);
  EXPECT_EQ(later.api_calls_today, 0u);
  EXPECT_EQ(later.active_users_24h, 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, SystemStoreTest, test::all_backends(), test::backend_test_name);

}  // namespace
}  // namespace herald::observability

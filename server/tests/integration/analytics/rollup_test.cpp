// The roll-ups on both backends against the real event log
// (campaign_events through campaigns::Activity): incremental batches, a
// roll-up that crashes before its commit, and two rollers at once all leave
// exactly what a recomputation from the raw events gives — hourly, daily
// (each day the sum of its hours) and per link.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <thread>

#include "analytics/fold.hpp"
#include "analytics/retention.hpp"
#include "analytics/rollup.hpp"
#include "analytics/service.hpp"
#include "campaigns/activity.hpp"
#include "core/clock.hpp"
#include "storage/migrations.hpp"
#include "support/test_databases.hpp"

namespace herald::test {
namespace {

using analytics::Counts;

constexpr std::int64_t kT0 = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

class RollupTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFailure()) return;
    storage::migrate(db());
    feed_ = std::make_unique<campaigns::ActivityFeed>(db());
  }
  void TearDown() override {
    feed_.reset();
    BackendTest::TearDown();
  }

  analytics::Rollup roller(std::size_t batch) {
    return analytics::Rollup(db(), *feed_, clock_, analytics::RollupOptions{batch, std::chrono::milliseconds(0)});
  }

  // A synthetic stream: sends, opens (some through proxies), clicks on a few
  // links, unsubscribes and replies over three campaigns and five days.
  void insert_events(int n, unsigned seed) {
    std::mt19937 rng(seed);
    auto conn = db().acquire();
    storage::Transaction tx(*conn, storage::TxMode::Write);
    const auto sql =
        sql_for(backend(),
                "INSERT INTO campaign_events (campaign_id, lead_id, type, occurred_at, user_agent, ip, url) "
                "VALUES ($1, $2, $3, $4, $5, $6, $7)");
    static const char* kTypes[] = {"delivered", "delivered", "delivered", "bounce", "rejected",    "open",
                                   "open",      "open",      "click",     "click",  "unsubscribe", "reply"};
    for (int i = 0; i < n; ++i) {
      const std::int64_t campaign = 1 + static_cast<std::int64_t>(rng() % 3);
      const std::int64_t lead = 1 + static_cast<std::int64_t>(rng() % 40);
      const std::string type = kTypes[rng() % 12];
      const std::int64_t at = kT0 + static_cast<std::int64_t>(rng() % (120 * 3600)) * 1000;
      const std::string ua = rng() % 4 == 0 ? "Mozilla/5.0" : "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0";
      const std::string url = "https://example.org/" + std::to_string(rng() % 4);
      conn->execute(sql,
                    {campaign, lead, std::string_view(type), at, std::string_view(ua), std::string_view("203.0.113.8"),
                     type == "click" ? storage::Param(std::string_view(url)) : storage::Param(nullptr)});
    }
    tx.commit();
  }

  struct State {
    std::map<std::pair<std::int64_t, std::int64_t>, Counts> hours;
    std::map<std::pair<std::int64_t, std::int64_t>, Counts> days;
    std::map<std::pair<std::int64_t, std::string>, std::pair<std::int64_t, std::int64_t>> links;
  };

  // What the roll-up tables hold.
  State stored() {
    State s;
    auto conn = db().acquire();
    conn->execute(
        "SELECT campaign_id, hour, sent, delivered, bounced, rejected, opens, human_opens, opened, "
        "human_opened, clicks, clicked, unsubscribed, replied FROM analytics_hourly",
        {}, [&](const storage::Row& r) {
          Counts c{r.integer(2), r.integer(3), r.integer(4),  r.integer(5),  r.integer(6),  r.integer(7),
                   r.integer(8), r.integer(9), r.integer(10), r.integer(11), r.integer(12), r.integer(13)};
          s.hours[{r.integer(0), r.integer(1)}] = c;
        });
    conn->execute(
        "SELECT campaign_id, day, sent, delivered, bounced, rejected, opens, human_opens, opened, "
        "human_opened, clicks, clicked, unsubscribed, replied FROM analytics_daily",
        {}, [&](const storage::Row& r) {
          Counts c{r.integer(2), r.integer(3), r.integer(4),  r.integer(5),  r.integer(6),  r.integer(7),
                   r.integer(8), r.integer(9), r.integer(10), r.integer(11), r.integer(12), r.integer(13)};
          s.days[{r.integer(0), r.integer(1)}] = c;
        });
    conn->execute("SELECT campaign_id, url, clicks, unique_clicks FROM analytics_links", {},
                  [&](const storage::Row& r) {
                    s.links[{r.integer(0), r.str(1)}] = {r.integer(2), r.integer(3)};
                  });
    return s;
  }

  // A recomputation from every raw event at once.
  State recomputed() {
    auto f = analytics::fold(feed_->events_after(0, 1'000'000));
    for (const auto& c : f.firsts) analytics::count_first(f, c);
    analytics::add_totals(f);
    State s;
    for (const auto& [k, v] : f.hours)
      if (!v.empty()) s.hours[k] = v;
    for (const auto& [k, v] : f.links) s.links[k] = {v.clicks, v.unique_clicks};
    s.days = analytics::days_of(f);
    return s;
  }

  void expect_equal(const State& a, const State& b) {
    EXPECT_EQ(a.hours.size(), b.hours.size());
    for (const auto& [k, v] : b.hours) {
      auto it = a.hours.find(k);
      ASSERT_NE(it, a.hours.end()) << "campaign " << k.first << " hour " << k.second;
      EXPECT_EQ(it->second, v) << "campaign " << k.first << " hour " << k.second;
    }
    EXPECT_EQ(a.links, b.links);
    EXPECT_EQ(a.days, b.days);
    // Each stored day is the sum of its stored hours.
    std::map<std::pair<std::int64_t, std::int64_t>, Counts> summed;
    for (const auto& [k, v] : a.hours) summed[{k.first, k.second / 24}] += v;
    EXPECT_EQ(a.days, summed);
    EXPECT_FALSE(a.days.empty());
  }

  SystemClock clock_;
  std::unique_ptr<campaigns::ActivityFeed> feed_;
};

TEST_P(RollupTest, IncrementalBatchesEqualARecomputation) {
  insert_events(1500, 1);
  auto r = roller(200);
  EXPECT_EQ(r.run(), 1500u);
  EXPECT_EQ(r.watermark(), feed_->last_event_id());
  // More events later: only they are read, and the result still matches.
  insert_events(700, 2);
  EXPECT_EQ(r.run(), 700u);
  EXPECT_EQ(r.run(), 0u);
  expect_equal(stored(), recomputed());
  // Campaign 0 is the sum of the others.
  const auto s = stored();
  Counts all, parts;
  for (const auto& [k, v] : s.hours) (k.first == 0 ? all : parts) += v;
  EXPECT_EQ(all, parts);
  EXPECT_GT(all.sent, 0);
  EXPECT_GT(all.human_opened, 0);
  EXPECT_LT(all.human_opened, all.opened + 1);
}

TEST_P(RollupTest, ARollupKilledBeforeItsCommitLeavesNothingAndTheNextOneRedoesIt) {
  insert_events(900, 3);
  auto r = roller(250);
  EXPECT_EQ(r.run_once(), 250u);
  int batches = 0;
  r.before_commit = [&] {
    if (++batches == 1) throw std::runtime_error("killed mid-roll-up");
  };
  EXPECT_THROW(r.run_once(), std::runtime_error);
  EXPECT_EQ(r.watermark(), 250);  // the batch's writes went with the transaction
  r.before_commit = {};
  EXPECT_EQ(r.run(), 650u);
  expect_equal(stored(), recomputed());
}

TEST_P(RollupTest, TwoRollersAtOnceCountEveryEventOnce) {
  insert_events(2000, 4);
  auto a = roller(100);
  auto b = roller(100);
  std::thread ta([&] {
    for (int i = 0; i < 40; ++i) a.run_once();
  });
  std::thread tb([&] {
    for (int i = 0; i < 40; ++i) b.run_once();
  });
  ta.join();
  tb.join();
  a.run();
  EXPECT_EQ(a.watermark(), feed_->last_event_id());
  expect_equal(stored(), recomputed());
}

std::int64_t raw_events(storage::Database& db) {
  std::int64_t n = 0;
  auto conn = db.acquire();
  conn->execute("SELECT count(*) FROM campaign_events", {}, [&](const storage::Row& r) { n = r.integer(0); });
  return n;
}

// Retention deletes old raw events the roll-ups hold (below the watermark),
// in bounded batches, and leaves the roll-ups as they were: rolling up the
// rest afterwards gives what a recomputation over every event gave before
// anything was deleted.
// A process's copy of a campaign's hours (HourMirror) against the table after
// every roll-up batch: it reads only the rows the batches since its stamp
// changed, and an event that arrives late for a day long past (a reply or a
// bounce dated months back) is in the very next answer — no day is assumed
// closed.
TEST_P(RollupTest, TheHourCopyFollowsEveryBatchAndLateEventsIntoPastDays) {
  analytics::Store store;
  analytics::HourMirror mirror(1'000'000), other(1'000'000);
  const std::int64_t h0 = kT0 / 3'600'000;
  auto check = [&](analytics::HourMirror& m, std::int64_t watermark) {
    const auto s = stored();
    auto conn = db().acquire();
    for (std::int64_t campaign = 0; campaign <= 3; ++campaign) {
      const auto table = m.at(*conn, store, campaign, watermark);
      for (std::int64_t a = h0 - 800; a < h0 + 130; a += 13)
        for (std::int64_t b = a; b < h0 + 130; b += 11) {
          Counts want;
          for (const auto& [k, v] : s.hours)
            if (k.first == campaign && k.second >= a && k.second < b) want += v;
          ASSERT_EQ(table->sum(a, b), want) << "campaign " << campaign << " hours " << a << "-" << b;
        }
    }
  };
  insert_events(600, 11);
  auto r = roller(150);
  while (r.run_once() > 0) check(mirror, r.watermark());
  // Each row read when first seen and again after each batch that changed it.
  const auto full = mirror.rows_read();
  EXPECT_GE(static_cast<std::size_t>(full), stored().hours.size());

  // Late: a reply dated 30 days before the stream, to campaign 2, from a lead
  // not counted as replied before.
  {
    auto conn = db().acquire();
    conn->execute(
        sql_for(backend(),
                "INSERT INTO campaign_events (campaign_id, lead_id, type, occurred_at) VALUES (2, 1000, 'reply', $1)"),
        {kT0 - 30 * 86'400'000LL});
  }
  EXPECT_EQ(r.run(), 1u);
  check(mirror, r.watermark());
  // Only the late hour, of campaign 2 and of campaign 0, was read again.
  EXPECT_EQ(mirror.rows_read(), full + 2);
  {
    auto conn = db().acquire();
    EXPECT_EQ(mirror.at(*conn, store, 2, r.watermark())->sum(h0 - 30 * 24, h0 - 29 * 24).replied, 1);
    EXPECT_EQ(mirror.at(*conn, store, 0, r.watermark())->sum(h0 - 30 * 24, h0 - 29 * 24).replied, 1);
  }
  // Another process that starts now reads every row once and agrees.
  check(other, r.watermark());
  EXPECT_EQ(static_cast<std::size_t>(other.rows_read()), stored().hours.size());
}

TEST_P(RollupTest, RetentionDeletesOnlyRolledUpOldEventsAndKeepsTheRollups) {
  insert_events(1200, 5);
  const State expected = recomputed();
  auto r = roller(300);
  const auto last = feed_->last_event_id();
  EXPECT_EQ(r.run_once(), 300u);
  EXPECT_EQ(r.run_once(), 300u);
  const State before = stored();
  // 600 events rolled up; the 599 below the watermark may go.

  ManualClock clock;  // a year and a month after the events
  clock.advance(std::chrono::milliseconds(kT0) + std::chrono::hours(24 * 400));
  EXPECT_EQ(analytics::Retention(db(), *feed_, clock, 0, 250).run(), 0u);    // 0 days: kept for good
  EXPECT_EQ(analytics::Retention(db(), *feed_, clock, 500, 250).run(), 0u);  // not old enough
  analytics::Retention keep30(db(), *feed_, clock, 30, 250);
  EXPECT_EQ(keep30.run_once(), 250u);  // one bounded batch
  EXPECT_EQ(keep30.run(), 599u - 250u);
  EXPECT_EQ(raw_events(db()), 1200 - 599);  // the event at the watermark and those not rolled up stay
  EXPECT_EQ(feed_->last_event_id(), last);
  expect_equal(stored(), before);

  EXPECT_EQ(r.run(), 600u);
  expect_equal(stored(), expected);
  EXPECT_EQ(keep30.run(), 600u);
  EXPECT_EQ(raw_events(db()), 1);
  expect_equal(stored(), expected);
}

INSTANTIATE_TEST_SUITE_P(Backends, RollupTest, all_backends(), backend_test_name);

}  // namespace
}  // namespace herald::test

// A campaign's hours as prefix sums: any run of hours summed in two look-ups,
// equal to adding the rows up; a change replaces its hours' values.
#include "analytics/hours.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>

namespace herald::analytics {
namespace {

Counts counts(std::int64_t v) {
  Counts c;
  c.sent = v;
  c.delivered = v + 1;
  c.opened = 2 * v;
  c.replied = v % 3;
  return c;
}

// The sum of `rows` over [a, b), the long way.
Counts brute(const std::map<std::int64_t, Counts>& rows, std::int64_t a, std::int64_t b) {
  Counts out;
  for (const auto& [h, c] : rows)
    if (h >= a && h < b) out += c;
  return out;
}

TEST(AnalyticsHourTable, AnEmptyTableSumsToNothing) {
  const HourTable t;
  EXPECT_EQ(t.sum(0, 1000), Counts{});
  EXPECT_EQ(t.sum(5, 6, 0), 0);
  EXPECT_EQ(t.hours(), 0u);
  EXPECT_EQ(t.with({}).hours(), 0u);
}

TEST(AnalyticsHourTable, AnyRunSumsWhatItsRowsHold) {
  std::map<std::int64_t, Counts> rows{
      {490896, counts(5)}, {490897, counts(7)}, {490920, counts(1)}, {491000, counts(9)}};
  const auto t = HourTable{}.with(HourTable::Rows(rows.begin(), rows.end()));
  EXPECT_EQ(t.first_hour(), 490896);
  EXPECT_EQ(t.hours(), 105u);  // 490896 … 491000, the gaps hold nothing
  for (std::int64_t a = 490890; a < 491010; a += 7)
    for (std::int64_t b = a; b < 491010; b += 5) {
      ASSERT_EQ(t.sum(a, b), brute(rows, a, b)) << a << " " << b;
      ASSERT_EQ(t.sum(a, b, 6), brute(rows, a, b).opened);
    }
  EXPECT_EQ(t.sum({490896, 490898}).sent, 12);
  EXPECT_EQ(t.sum(491001, 492000), Counts{});  // past the span
  EXPECT_EQ(t.sum(490000, 490896), Counts{});  // before it
  EXPECT_EQ(t.sum(490900, 490899), Counts{});  // an empty run
}

TEST(AnalyticsHourTable, AChangeReplacesItsHoursAndWidensTheSpan) {
  std::map<std::int64_t, Counts> rows{{100, counts(1)}, {110, counts(2)}};
  const auto t0 = HourTable{}.with(HourTable::Rows(rows.begin(), rows.end()));
  // A roll-up batch changed hour 110 (now 5) and added hours 90 and 130.
  const HourTable::Rows change{{130, counts(4)}, {110, counts(5)}, {90, counts(3)}};
  const auto t1 = t0.with(change);
  for (const auto& [h, c] : change) rows[h] = c;
  for (std::int64_t a = 80; a < 140; ++a)
    for (std::int64_t b = a; b < 140; b += 3) ASSERT_EQ(t1.sum(a, b), brute(rows, a, b)) << a << " " << b;
  EXPECT_EQ(t1.first_hour(), 90);
  EXPECT_EQ(t1.hours(), 41u);
  // The table it was built from is unchanged (readers may still hold it).
  EXPECT_EQ(t0.sum(0, 200).sent, 3);
}

TEST(AnalyticsHourTable, RandomChangesMatchTheRowsAddedUp) {
  std::mt19937_64 rng(7);
  std::map<std::int64_t, Counts> rows;
  HourTable t;
  for (int round = 0; round < 30; ++round) {
    HourTable::Rows change;
    std::map<std::int64_t, bool> once;
    for (int i = 0; i < 20; ++i) {
      const auto h = static_cast<std::int64_t>(rng() % 2000) - 1000;  // hours before 1970 too
      if (!once.emplace(h, true).second) continue;
      change.emplace_back(h, counts(static_cast<std::int64_t>(rng() % 50)));
    }
    t = t.with(change);
    for (const auto& [h, c] : change) rows[h] = c;
    for (int q = 0; q < 50; ++q) {
      auto a = static_cast<std::int64_t>(rng() % 2400) - 1200, b = static_cast<std::int64_t>(rng() % 2400) - 1200;
      if (a > b) std::swap(a, b);
      ASSERT_EQ(t.sum(a, b), brute(rows, a, b));
      ASSERT_EQ(t.sum(a, b, 11), brute(rows, a, b).replied);
    }
  }
}

TEST(AnalyticsHourTable, CounterFollowsTheMetricsOrder) {
  Counts c{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  for (int i = 0; i < static_cast<int>(kMetrics.size()); ++i) EXPECT_EQ(counter(c, i), metric_of(c, kMetrics[i]));
  EXPECT_EQ(counter(c, 12), 0);
}

}  // namespace
}  // namespace herald::analytics

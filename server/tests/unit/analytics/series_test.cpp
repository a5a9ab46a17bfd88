// Time series in a time zone: a day in America/New_York is not a UTC day,
// and DST change days have 23 and 25 hours.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "analytics/series.hpp"
#include "core/errors.hpp"
#include "core/time.hpp"

namespace herald::analytics {
namespace {

ZoneDirectory& zones() {
  static ZoneDirectory z;
  return z;
}

TimePoint at(const char* s) { return *parse_rfc3339(s); }

std::int64_t hour(const char* s) {
  return std::chrono::duration_cast<std::chrono::hours>(at(s).time_since_epoch()).count();
}

// One delivered message per listed UTC hour.
std::vector<std::pair<std::int64_t, Counts>> sends(std::initializer_list<const char*> hours) {
  std::vector<std::pair<std::int64_t, Counts>> rows;
  for (auto h : hours) {
    Counts c;
    c.sent = c.delivered = 1;
    rows.emplace_back(hour(h), c);
  }
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return rows;
}

TEST(AnalyticsSeries, ADayInNewYorkIsNotAUtcDay) {
  auto ny = zones().find("America/New_York");
  ASSERT_TRUE(ny);
  // 03:00Z on the 15th is 22:00 on the 14th in New York (EST, -05:00).
  const auto rows = sends({"2026-01-15T03:00:00Z", "2026-01-15T12:00:00Z", "2026-01-16T04:59:00Z"});
  const Period p{at("2026-01-14T05:00:00Z"), at("2026-01-17T05:00:00Z")};
  const auto local = points(buckets(Interval::Day, *ny, p), rows, "sent");
  ASSERT_EQ(local.size(), 3u);
  EXPECT_EQ(local[0].t, "2026-01-14T00:00:00-05:00");
  EXPECT_EQ(local[0].value, 1);
  EXPECT_EQ(local[1].t, "2026-01-15T00:00:00-05:00");
  EXPECT_EQ(local[1].value, 2);
  EXPECT_EQ(local[2].value, 0);

  const Period u{at("2026-01-14T00:00:00Z"), at("2026-01-17T00:00:00Z")};
  const auto utc = points(buckets(Interval::Day, Zone::utc(), u), rows, "sent");
  ASSERT_EQ(utc.size(), 3u);
  EXPECT_EQ(utc[0].t, "2026-01-14T00:00:00+00:00");
  EXPECT_EQ(utc[0].value, 0);
  EXPECT_EQ(utc[1].value, 2);
  EXPECT_EQ(utc[2].value, 1);
}

TEST(AnalyticsSeries, SpringForwardDayHas23HoursAndFallBackDay25) {
  auto ny = zones().find("America/New_York");
  ASSERT_TRUE(ny);
  // 2026-03-08: clocks go from 02:00 EST to 03:00 EDT.
  auto b = buckets(Interval::Day, *ny, {at("2026-03-08T05:00:00Z"), at("2026-03-10T04:00:00Z")});
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0].t, "2026-03-08T00:00:00-05:00");
  EXPECT_EQ(b[0].end - b[0].start, 23 * 3600);
  EXPECT_EQ(b[1].t, "2026-03-09T00:00:00-04:00");
  EXPECT_EQ(b[1].end - b[1].start, 24 * 3600);
  // 2026-11-01: clocks go back from 02:00 EDT to 01:00 EST.
  b = buckets(Interval::Day, *ny, {at("2026-11-01T04:00:00Z"), at("2026-11-02T05:00:00Z")});
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].t, "2026-11-01T00:00:00-04:00");
  EXPECT_EQ(b[0].end - b[0].start, 25 * 3600);
  // The hour after the change's last EDT hour and the first EST hour share a wall clock.
  const auto hours = buckets(Interval::Hour, *ny, {at("2026-11-01T05:00:00Z"), at("2026-11-01T07:00:00Z")});
  ASSERT_EQ(hours.size(), 2u);
  EXPECT_EQ(hours[0].t, "2026-11-01T01:00:00-04:00");
  EXPECT_EQ(hours[1].t, "2026-11-01T01:00:00-05:00");
  // A send at 23:30 EST on the 1st (04:30Z on the 2nd) is the 1st's.
  const auto p = points(b, sends({"2026-11-01T04:00:00Z", "2026-11-02T04:30:00Z", "2026-11-02T05:00:00Z"}), "sent");
  EXPECT_EQ(p[0].value, 2);
}

TEST(AnalyticsSeries, HourSeriesCoverThePeriodWithZeros) {
  const auto b = buckets(Interval::Hour, Zone::utc(), {at("2026-01-01T00:30:00Z"), at("2026-01-01T03:00:00Z")});
  ASSERT_EQ(b.size(), 3u);
  EXPECT_EQ(b[0].t, "2026-01-01T00:00:00+00:00");
  const auto p = points(b, sends({"2026-01-01T01:00:00Z"}), "sent");
  EXPECT_EQ(p[0].value, 0);
  EXPECT_EQ(p[1].value, 1);
  EXPECT_EQ(p[2].value, 0);
  EXPECT_EQ(hours_of(b).first, hour("2026-01-01T00:00:00Z"));
  EXPECT_EQ(hours_of(b).last, hour("2026-01-01T03:00:00Z"));
}

TEST(AnalyticsSeries, HalfHourZonesLabelTheirOffset) {
  auto india = zones().find("Asia/Kolkata");
  ASSERT_TRUE(india);
  EXPECT_EQ(local_rfc3339(0, 19800), "1970-01-01T05:30:00+05:30");
  EXPECT_EQ(local_rfc3339(0, -12600), "1969-12-31T20:30:00-03:30");
}

TEST(AnalyticsTypes, PeriodsAreCheckedAndNamed) {
  const auto now = at("2026-06-01T00:00:00Z");
  const auto p =
      parse_period(std::nullopt, std::nullopt, now, std::chrono::hours(24 * 30), std::chrono::hours(24 * 3660));
  EXPECT_EQ(p.to, now);
  EXPECT_EQ(p.to - p.from, std::chrono::hours(24 * 30));
  const auto prev = previous_of(p);
  EXPECT_EQ(prev.to, p.from);
  EXPECT_EQ(prev.to - prev.from, p.to - p.from);
  auto field_of = [&](std::optional<std::string> f, std::optional<std::string> t) -> std::string {
    try {
      parse_period(f, t, now, std::chrono::hours(24), std::chrono::hours(24 * 10));
    } catch (const ValidationError& e) {
      return e.errors().empty() ? "?" : e.errors().front().field;
    }
    return "";
  };
  EXPECT_EQ(field_of("yesterday", std::nullopt), "from");
  EXPECT_EQ(field_of(std::nullopt, "2026-13-01"), "to");
  EXPECT_EQ(field_of("2026-05-02", "2026-05-01"), "from");
  EXPECT_EQ(field_of("2026-01-01", "2026-05-01"), "from");  // longer than 10 days
  EXPECT_EQ(field_of("2026-05-01", "2026-05-02"), "");
}

TEST(AnalyticsTypes, CsvFieldsAreQuotedAndFormulasDefused) {
  EXPECT_EQ(csv_field("https://example.org/a"), "https://example.org/a");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
}

TEST(AnalyticsTypes, OverviewJsonHasTheSpecFields) {
  Overview o;
  o.period = {at("2026-05-01"), at("2026-05-08")};
  o.previous = previous_of(o.period);
  o.current.sent = 4;
  o.current.delivered = 3;
  o.current.opened = 2;
  const auto j = to_json(o);
  for (auto k : {"from", "to", "leads", "campaigns_active", "sent", "delivered", "opened", "clicked", "replied",
                 "bounced", "unsubscribed", "rates", "previous"})
    EXPECT_TRUE(j.contains(k)) << k;
  for (auto k : {"delivery", "open", "click", "reply", "bounce", "unsubscribe"})
    EXPECT_TRUE(j["rates"].contains(k)) << k;
  EXPECT_DOUBLE_EQ(j["rates"]["open"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(j["rates"]["delivery"].get<double>(), 0.75);
  EXPECT_TRUE(j["previous"].contains("rates"));
  EXPECT_TRUE(j["leads"].contains("total"));
  EXPECT_TRUE(j["leads"].contains("new"));
  const auto csv = to_csv(o);
  EXPECT_NE(csv.find("metric,current,previous\r\n"), std::string::npos);
  EXPECT_NE(csv.find("sent,4,0\r\n"), std::string::npos);
  EXPECT_NE(csv.find("open_rate,0.500000,0.000000\r\n"), std::string::npos);
}

// Random hourly counts over ~40 days, their daily sums, and runs between
// random bounds: range_sums from days plus edge hours equals the plain sum of
// the hours, for any bounds — UTC midnights, New York's 04:00/05:00, late hours.
TEST(AnalyticsRangeSums, DaysPlusEdgeHoursEqualTheSumOfTheHours) {
  std::mt19937 rng(7);
  const std::int64_t h0 = hour("2026-03-01T00:00:00Z");
  std::map<std::int64_t, Counts> hourly;
  for (std::int64_t h = h0; h < h0 + 40 * 24; ++h) {
    if (rng() % 3 == 0) continue;  // empty hours have no row
    Counts c;
    c.sent = static_cast<std::int64_t>(rng() % 50);
    c.opened = static_cast<std::int64_t>(rng() % 20) + 1;
    c.replied = static_cast<std::int64_t>(rng() % 3);
    hourly[h] = c;
  }
  std::map<std::int64_t, Counts> daily;
  for (const auto& [h, c] : hourly) daily[day_of_hour(h)] += c;
  auto brute = [&](std::int64_t a, std::int64_t b) {
    Counts out;
    for (auto it = hourly.lower_bound(a); it != hourly.end() && it->first < b; ++it) out += it->second;
    return out;
  };
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<std::int64_t> bounds;
    std::int64_t b = h0 - 30 + static_cast<std::int64_t>(rng() % 200);
    const int n = 1 + static_cast<int>(rng() % 12);
    bounds.push_back(b);
    for (int i = 0; i < n; ++i) bounds.push_back(b += static_cast<std::int64_t>(rng() % 100));
    const auto reads = reads_for(bounds);
    Rows days, hours;
    for (const auto& [d, c] : daily)
      if (d >= reads.first_day && d < reads.last_day) days.emplace_back(d, c);
    for (const auto& [h, c] : hourly) {
      const auto k = h - day_of_hour(h) * 24;
      if (h >= reads.hours.first && h < reads.hours.last && (k < reads.below || k >= reads.from))
        hours.emplace_back(h, c);
    }
    const auto sums = range_sums(bounds, reads, days, hours);
    ASSERT_EQ(sums.size(), bounds.size() - 1);
    for (std::size_t i = 0; i + 1 < bounds.size(); ++i)
      EXPECT_EQ(sums[i], brute(bounds[i], bounds[i + 1])) << "trial " << trial << " run " << i;
  }
}

TEST(AnalyticsRangeSums, AYearOfNewYorkDaysReadsAFewHoursADayAndUtcDaysNone) {
  auto ny = zones().find("America/New_York");
  ASSERT_TRUE(ny);
  const Period year{at("2026-01-01T00:00:00Z"), at("2027-01-01T00:00:00Z")};
  const auto local = reads_for(bounds_of(buckets(Interval::Day, *ny, year)));
  // Bounds at 04:00 (EDT) and 05:00 (EST) UTC: the hours 0–4 of each day.
  EXPECT_EQ(local.below, 5);
  EXPECT_EQ(local.from, 24);
  EXPECT_TRUE(local.needs_hours());
  const auto utc = reads_for(bounds_of(buckets(Interval::Day, Zone::utc(), year)));
  EXPECT_FALSE(utc.needs_hours());
  EXPECT_EQ(utc.last_day - utc.first_day, 366);
  // A period ending at 18:00 UTC takes the 6 hours after it from its day.
  const auto edge = reads_for({hour("2026-02-01T00:00:00Z"), hour("2026-02-10T18:00:00Z")});
  EXPECT_EQ(edge.below, 0);
  EXPECT_EQ(edge.from, 18);
}

}  // namespace
}  // namespace herald::analytics

// Time series in a time zone: a day in America/New_York is not a UTC day,
// and DST change days have 23 and 25 hours.
#include <gtest/gtest.h>

#include <cstdio>
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

// One metric's column summed over a year of New York days (23 hours on
// 2026-03-08, 25 on 2026-11-01) equals the plain sum of each local day's
// hours, and what the same sums over every counter give for that metric.
TEST(AnalyticsRangeSums, OneMetricsValuesOverAYearOfNewYorkDaysIncludingDstDays) {
  auto ny = zones().find("America/New_York");
  ASSERT_TRUE(ny);
  std::mt19937 rng(11);
  const Period year{at("2026-01-01T00:00:00Z"), at("2027-01-01T00:00:00Z")};
  const auto b = buckets(Interval::Day, *ny, year);
  const auto bounds = bounds_of(b);
  const auto reads = reads_for(bounds);
  std::map<std::int64_t, Counts> hourly;
  for (std::int64_t h = reads.hours.first; h < reads.hours.last; ++h) {
    if (rng() % 4 == 0) continue;
    Counts c;
    c.opened = static_cast<std::int64_t>(rng() % 100);
    c.sent = static_cast<std::int64_t>(rng() % 7);
    hourly[h] = c;
  }
  std::map<std::int64_t, Counts> daily;
  for (const auto& [h, c] : hourly) daily[day_of_hour(h)] += c;
  Rows days, hours;
  Values day_values, hour_values;
  for (const auto& [d, c] : daily) {
    days.emplace_back(d, c);
    day_values.emplace_back(d, c.opened);
  }
  for (const auto& [h, c] : hourly) {
    const auto k = h - day_of_hour(h) * 24;
    if (k < reads.below || k >= reads.from) {
      hours.emplace_back(h, c);
      hour_values.emplace_back(h, c.opened);
    }
  }
  const auto one = range_sums(bounds, reads, day_values, hour_values);
  const auto all = range_sums(bounds, reads, days, hours);
  ASSERT_EQ(one.size(), b.size());
  ASSERT_EQ(all.size(), b.size());
  int short_days = 0, long_days = 0;
  for (std::size_t i = 0; i < b.size(); ++i) {
    std::int64_t brute = 0;
    for (auto it = hourly.lower_bound(bounds[i]); it != hourly.end() && it->first < bounds[i + 1]; ++it)
      brute += it->second.opened;
    EXPECT_EQ(one[i], brute) << b[i].t;
    EXPECT_EQ(all[i].opened, one[i]) << b[i].t;
    const auto length = bounds[i + 1] - bounds[i];
    if (length == 23) {
      ++short_days;
      EXPECT_EQ(b[i].t, "2026-03-08T00:00:00-05:00");
    }
    if (length == 25) {
      ++long_days;
      EXPECT_EQ(b[i].t, "2026-11-01T00:00:00-04:00");
    }
  }
  EXPECT_EQ(short_days, 1);
  EXPECT_EQ(long_days, 1);
}

TEST(AnalyticsSeries, OneMetricsHourValuesGiveTheSamePointsAsItsCounts) {
  auto ny = zones().find("America/New_York");
  ASSERT_TRUE(ny);
  const auto rows = sends({"2026-03-08T06:00:00Z", "2026-03-08T06:30:00Z", "2026-03-08T07:00:00Z",
                           "2026-03-09T03:00:00Z", "2026-03-09T04:00:00Z"});
  Values values;
  for (const auto& [h, c] : rows) {
    if (!values.empty() && values.back().first == h)
      values.back().second += c.sent;
    else
      values.emplace_back(h, c.sent);
  }
  const Period p{at("2026-03-08T00:00:00Z"), at("2026-03-10T00:00:00Z")};
  for (auto interval : {Interval::Hour, Interval::Day}) {
    const auto b = buckets(interval, *ny, p);
    const auto a = points(b, rows, "sent");
    const auto v = points(b, values);
    ASSERT_EQ(a.size(), v.size());
    std::int64_t total = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i].t, v[i].t);
      EXPECT_EQ(a[i].value, v[i].value) << a[i].t;
      total += v[i].value;
    }
    EXPECT_EQ(total, 5);
  }
}

// The labels, written digit by digit, against the printf form they replaced.
TEST(AnalyticsSeries, LabelsMatchThePrintfForm) {
  auto reference = [](std::int64_t utc, std::int64_t off) {
    const std::chrono::sys_seconds local{std::chrono::seconds{utc + off}};
    const auto day = std::chrono::floor<std::chrono::days>(local);
    const std::chrono::year_month_day ymd{day};
    const std::chrono::hh_mm_ss hms{local - day};
    const auto a = off < 0 ? -off : off;
    char buf[96];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ld%c%02lld:%02lld", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<long>(hms.hours().count()), static_cast<long>(hms.minutes().count()),
                  static_cast<long>(hms.seconds().count()), off < 0 ? '-' : '+', static_cast<long long>(a / 3600),
                  static_cast<long long>((a % 3600) / 60));
    return std::string(buf);
  };
  std::mt19937_64 rng(3);
  const std::int64_t offsets[] = {0, -18000, -14400, 19800, 20700, -34200, 37800, 50400, -43200, 3600};
  for (int i = 0; i < 2000; ++i) {
    const auto utc = static_cast<std::int64_t>(rng() % 4'000'000'000ULL);  // 1970 … 2096
    const auto off = offsets[i % 10];
    EXPECT_EQ(local_rfc3339(utc, off), reference(utc, off));
  }
  EXPECT_EQ(local_rfc3339(0, -34200), "1969-12-31T14:30:00-09:30");
  EXPECT_EQ(local_rfc3339(1798761599, 0), "2026-12-31T23:59:59+00:00");
}

TEST(AnalyticsTypes, SeriesJsonTextIsTheJsonDocument) {
  auto ny = zones().find("America/New_York");
  ASSERT_TRUE(ny);
  Series s{"opened", Interval::Day, "America/New_York", {}};
  const auto b = buckets(Interval::Day, *ny, {at("2026-03-07T00:00:00Z"), at("2026-03-10T00:00:00Z")});
  std::int64_t v = -2;
  for (const auto& bucket : b) s.points.push_back({bucket.t, v++ * 1'000'000'007});
  EXPECT_EQ(to_json_text(s), to_json(s).dump());
  // Anything that needs escaping is escaped.
  Series odd{"sent", Interval::Hour, "A\"b\\c", {{"x\"y\n", 1}, {"", 0}}};
  EXPECT_EQ(to_json_text(odd), to_json(odd).dump());
  EXPECT_EQ(nlohmann::json::parse(to_json_text(odd))["tz"], "A\"b\\c");
  Series empty{"sent", Interval::Day, "UTC", {}};
  EXPECT_EQ(to_json_text(empty), to_json(empty).dump());
}

TEST(AnalyticsTypes, MetricIndexIsTheCountersOrder) {
  for (std::size_t i = 0; i < kMetrics.size(); ++i) EXPECT_EQ(metric_index(kMetrics[i]), static_cast<int>(i));
  EXPECT_EQ(metric_index("sent"), 0);
  EXPECT_EQ(metric_index("opened"), 6);
  EXPECT_EQ(metric_index("replied"), 11);
  EXPECT_EQ(metric_index("nope"), -1);
  Counts c{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  for (auto m : kMetrics) EXPECT_EQ(metric_of(c, m), metric_index(m) + 1) << m;
}

// An overview's period off UTC midnights needs the hours of its bounds' days
// only: those days' whole hours, given to range_sums, give the plain sums.
TEST(AnalyticsRangeSums, TheBoundsOwnDaysHoursAreEnoughForAPeriod) {
  const auto a = hour("2025-03-09T07:00:00Z"), b = hour("2026-03-09T07:00:00Z"), c = hour("2026-06-01T19:00:00Z");
  EXPECT_EQ(edge_days({a, b}), (std::vector<std::int64_t>{day_of_hour(a), day_of_hour(b)}));
  EXPECT_EQ(edge_days({a, a + 1, hour("2026-01-01T00:00:00Z")}), (std::vector<std::int64_t>{day_of_hour(a)}));
  EXPECT_TRUE(edge_days({hour("2026-01-01T00:00:00Z"), hour("2026-02-01T00:00:00Z")}).empty());
  std::mt19937 rng(5);
  std::map<std::int64_t, Counts> hourly;
  for (std::int64_t h = a - 48; h < c + 48; ++h) {
    if (rng() % 5 == 0) continue;
    Counts k;
    k.clicks = static_cast<std::int64_t>(rng() % 9);
    hourly[h] = k;
  }
  std::map<std::int64_t, Counts> daily;
  for (const auto& [h, k] : hourly) daily[day_of_hour(h)] += k;
  for (const std::vector<std::int64_t>& bounds :
       {std::vector<std::int64_t>{a, b}, std::vector<std::int64_t>{a, c}, std::vector<std::int64_t>{b, b + 3, c}}) {
    const auto reads = reads_for(bounds);
    Rows days, hours;
    for (const auto& [d, k] : daily)
      if (d >= reads.first_day && d < reads.last_day) days.emplace_back(d, k);
    for (const auto d : edge_days(bounds))
      for (auto it = hourly.lower_bound(d * 24); it != hourly.end() && it->first < d * 24 + 24; ++it)
        hours.emplace_back(it->first, it->second);
    const auto sums = range_sums(bounds, reads, days, hours);
    for (std::size_t i = 0; i + 1 < bounds.size(); ++i) {
      Counts brute;
      for (auto it = hourly.lower_bound(bounds[i]); it != hourly.end() && it->first < bounds[i + 1]; ++it)
        brute += it->second;
      EXPECT_EQ(sums[i], brute) << i;
    }
  }
}

}  // namespace
}  // namespace herald::analytics

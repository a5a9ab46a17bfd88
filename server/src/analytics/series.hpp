// Time series from the hourly roll-ups, in a time zone. Pure.
//
// Roll-ups are kept per UTC hour. An hour series has one point per UTC hour
// of the period, labelled with its start on the zone's clock (a DST change
// day has 23 or 25 points). A day series has one point per local calendar
// day: the UTC hours from that local midnight to the next (23, 24 or 25 of
// them). For zones whose offset is not a whole number of hours (Asia/Kolkata,
// +05:30) a day holds the UTC hours that start within it, so its edges are
// off by the odd half hour.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "analytics/types.hpp"
#include "core/timezone.hpp"

namespace herald::analytics {

// "2026-03-08T00:00:00-05:00": the instant on a clock `offset` seconds east of UTC.
std::string local_rfc3339(std::int64_t utc_seconds, std::int64_t offset_seconds);

// The UTC instant (seconds) of local midnight starting day `local_day` (days since 1970-01-01 on the zone's clock).
std::int64_t local_midnight(const Zone& zone, std::int64_t local_day);

// The buckets of a series: each [start, end) in UTC seconds and its label.
struct Bucket {
  std::int64_t start = 0, end = 0;
  std::string t;
};
std::vector<Bucket> buckets(Interval interval, const Zone& zone, const Period& period);

// The hours the buckets cover (what to read from the roll-ups).
HourRange hours_of(const std::vector<Bucket>& b);

// Sums `rows` (hour, counts) into the buckets, for one metric.
std::vector<Point> points(const std::vector<Bucket>& b, const std::vector<std::pair<std::int64_t, Counts>>& rows,
                          std::string_view metric);
// The same from one metric's rows (hour, value).
std::vector<Point> points(const std::vector<Bucket>& b, const std::vector<std::pair<std::int64_t, std::int64_t>>& rows);

// Sums over runs of hours from the daily roll-up and few hourly rows.
//
// `bounds` are hours B0 ≤ B1 ≤ … ≤ Bn; run i is the hours [Bi, Bi+1). With
// S(B) the sum of the hours from the first bound's UTC midnight up to B, run
// i is S(Bi+1) − S(Bi), and S(B) for B = 24·d + k (k the hour of day) is the
// days before d plus the hours [24·d, B) when k ≤ 12, or the days up to and
// including d minus the hours [B, 24·d + 24) when k > 12. So a run costs its
// days plus at most 12 hours at each bound, whatever its length: a year is
// 365 daily rows, and a year of days in America/New_York (bounds at 04:00
// or 05:00 UTC) 366 daily rows plus 5 hours a day — the days telescope.
// Exact because each daily row is the sum of its day's hourly rows (the
// roll-up writes both in one transaction).
using Rows = std::vector<std::pair<std::int64_t, Counts>>;          // (day or hour, counts), ascending
using Values = std::vector<std::pair<std::int64_t, std::int64_t>>;  // (day or hour, one metric), ascending

struct RangeReads {
  std::int64_t first_day = 0, last_day = 0;  // daily rows [first_day, last_day)
  HourRange hours;                           // hourly rows in [first, last) ...
  std::int64_t below = 0, from = 24;         // ... whose hour of day is < below or ≥ from
  bool needs_hours() const { return below > 0 || from < 24; }
};
RangeReads reads_for(const std::vector<std::int64_t>& bounds);
// V: Counts (every counter) or std::int64_t (one metric's column).
template <class V>
std::vector<V> range_sums(const std::vector<std::int64_t>& bounds, const RangeReads& reads,
                          const std::vector<std::pair<std::int64_t, V>>& days,
                          const std::vector<std::pair<std::int64_t, V>>& hours);
extern template std::vector<Counts> range_sums(const std::vector<std::int64_t>&, const RangeReads&, const Rows&,
                                               const Rows&);
extern template std::vector<std::int64_t> range_sums(const std::vector<std::int64_t>&, const RangeReads&, const Values&,
                                                     const Values&);

// The UTC days holding a bound that is not a UTC midnight, ascending, each
// once: the only days whose hours range_sums reads. With few bounds (an
// overview's period) reading these days' hours is cheaper than the edge hours
// of every day between (`reads_for`'s hour-of-day filter over the whole span).
std::vector<std::int64_t> edge_days(const std::vector<std::int64_t>& bounds);

// The bounds of buckets as hours: an hour belongs to the bucket its start falls in.
std::vector<std::int64_t> bounds_of(const std::vector<Bucket>& b);
// The UTC day (epoch days) an hour falls in.
std::int64_t day_of_hour(std::int64_t hour);

}  // namespace herald::analytics

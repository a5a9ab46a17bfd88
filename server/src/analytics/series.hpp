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

}  // namespace herald::analytics

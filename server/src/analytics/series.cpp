#include "analytics/series.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace herald::analytics {
namespace {

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

std::int64_t offset(const Zone& z, std::int64_t s) {
  return z.offset_at(std::chrono::sys_seconds{std::chrono::seconds{s}});
}

std::int64_t seconds_of(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}
std::int64_t ceil_seconds(TimePoint t) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  return floor_div(ms + 999, 1000);
}

}  // namespace

std::string local_rfc3339(std::int64_t utc_seconds, std::int64_t off) {
  const std::chrono::sys_seconds local{std::chrono::seconds{utc_seconds + off}};
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{local - day};
  const char sign = off < 0 ? '-' : '+';
  const auto a = off < 0 ? -off : off;
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ld%c%02lld:%02lld", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long>(hms.hours().count()), static_cast<long>(hms.minutes().count()),
                static_cast<long>(hms.seconds().count()), sign, static_cast<long long>(a / 3600),
                static_cast<long long>((a % 3600) / 60));
  return buf;
}

std::int64_t local_midnight(const Zone& zone, std::int64_t local_day) {
  const std::int64_t wall = local_day * 86400;
  // The offset in force at that instant decides it; two tries settle a DST change.
  std::int64_t u = wall - offset(zone, wall);
  u = wall - offset(zone, u);
  return u;
}

std::vector<Bucket> buckets(Interval interval, const Zone& zone, const Period& period) {
  std::vector<Bucket> out;
  const std::int64_t from = seconds_of(period.from), to = ceil_seconds(period.to);
  if (interval == Interval::Hour) {
    for (std::int64_t h = floor_div(from, 3600); h * 3600 < to; ++h)
      out.push_back({h * 3600, h * 3600 + 3600, local_rfc3339(h * 3600, offset(zone, h * 3600))});
    return out;
  }
  std::int64_t day = floor_div(from + offset(zone, from), 86400);
  for (std::int64_t start = local_midnight(zone, day); start < to; ++day) {
    const std::int64_t end = local_midnight(zone, day + 1);
    out.push_back({start, end, local_rfc3339(start, offset(zone, start))});
    start = end;
  }
  return out;
}

HourRange hours_of(const std::vector<Bucket>& b) {
  if (b.empty()) return {};
  return {floor_div(b.front().start, 3600), floor_div(b.back().end + 3599, 3600)};
}

std::vector<Point> points(const std::vector<Bucket>& b, const std::vector<std::pair<std::int64_t, Counts>>& rows,
                          std::string_view metric) {
  std::vector<Point> out;
  out.reserve(b.size());
  auto it = rows.begin();
  for (const auto& bucket : b) {
    Point p{bucket.t, 0};
    // An hour belongs to the bucket its start falls in.
    while (it != rows.end() && it->first * 3600 < bucket.start) ++it;
    while (it != rows.end() && it->first * 3600 < bucket.end) {
      p.value += metric_of(it->second, metric);
      ++it;
    }
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace herald::analytics

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

namespace {

// `v` as `width` digits (v ≥ 0, at most `width` digits).
char* put_digits(char* out, std::int64_t v, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  return out + width;
}

}  // namespace

std::string local_rfc3339(std::int64_t utc_seconds, std::int64_t off) {
  const std::chrono::sys_seconds local{std::chrono::seconds{utc_seconds + off}};
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const std::chrono::year_month_day ymd{day};
  const std::int64_t secs = (local - day).count();
  const int year = static_cast<int>(ymd.year());
  if (year < 0 || year > 9999) {
    // Outside what four digits hold (never a roll-up's hour): the long way.
    char buf[96];
    std::snprintf(
        buf, sizeof buf, "%04d-%02u-%02uT%02lld:%02lld:%02lld%c%02lld:%02lld", year, static_cast<unsigned>(ymd.month()),
        static_cast<unsigned>(ymd.day()), static_cast<long long>(secs / 3600), static_cast<long long>(secs / 60 % 60),
        static_cast<long long>(secs % 60), off < 0 ? '-' : '+', static_cast<long long>((off < 0 ? -off : off) / 3600),
        static_cast<long long>(((off < 0 ? -off : off) % 3600) / 60));
    return buf;
  }
  // "YYYY-MM-DDTHH:MM:SS+HH:MM": 25 characters, written in place.
  std::string out(25, '0');
  char* p = out.data();
  p = put_digits(p, year, 4);
  *p++ = '-';
  p = put_digits(p, static_cast<unsigned>(ymd.month()), 2);
  *p++ = '-';
  p = put_digits(p, static_cast<unsigned>(ymd.day()), 2);
  *p++ = 'T';
  p = put_digits(p, secs / 3600, 2);
  *p++ = ':';
  p = put_digits(p, secs / 60 % 60, 2);
  *p++ = ':';
  p = put_digits(p, secs % 60, 2);
  *p++ = off < 0 ? '-' : '+';
  const auto a = off < 0 ? -off : off;
  p = put_digits(p, a / 3600 % 100, 2);
  *p++ = ':';
  put_digits(p, (a % 3600) / 60, 2);
  return out;
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

namespace {

// Sums rows (hour, V) into the buckets: an hour belongs to the bucket its start falls in.
template <class Row, class Value>
std::vector<Point> bucket_points(const std::vector<Bucket>& b, const std::vector<Row>& rows, Value value) {
  std::vector<Point> out;
  out.reserve(b.size());
  auto it = rows.begin();
  for (const auto& bucket : b) {
    Point p{bucket.t, 0};
    while (it != rows.end() && it->first * 3600 < bucket.start) ++it;
    while (it != rows.end() && it->first * 3600 < bucket.end) {
      p.value += value(it->second);
      ++it;
    }
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace

std::vector<Point> points(const std::vector<Bucket>& b, const std::vector<std::pair<std::int64_t, Counts>>& rows,
                          std::string_view metric) {
  return bucket_points(b, rows, [&](const Counts& c) { return metric_of(c, metric); });
}

std::vector<Point> points(const std::vector<Bucket>& b, const Values& rows) {
  return bucket_points(b, rows, [](std::int64_t v) { return v; });
}

std::int64_t day_of_hour(std::int64_t hour) { return floor_div(hour, 24); }

std::vector<std::int64_t> bounds_of(const std::vector<Bucket>& b) {
  std::vector<std::int64_t> out;
  if (b.empty()) return out;
  out.reserve(b.size() + 1);
  for (const auto& bucket : b) out.push_back(floor_div(bucket.start + 3599, 3600));
  out.push_back(floor_div(b.back().end + 3599, 3600));
  return out;
}

std::vector<std::int64_t> edge_days(const std::vector<std::int64_t>& bounds) {
  std::vector<std::int64_t> out;
  for (const auto b : bounds)
    if (b != day_of_hour(b) * 24) out.push_back(day_of_hour(b));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

RangeReads reads_for(const std::vector<std::int64_t>& bounds) {
  RangeReads r;
  if (bounds.empty()) return r;
  r.first_day = day_of_hour(bounds.front());
  r.last_day = day_of_hour(bounds.back()) + 1;
  r.hours = {r.first_day * 24, r.last_day * 24};
  for (const auto b : bounds) {
    const auto k = b - day_of_hour(b) * 24;
    if (k == 0) continue;
    if (k <= 12)
      r.below = std::max(r.below, k);
    else
      r.from = std::min(r.from, k);
  }
  return r;
}

namespace {

// The sum of `hours` rows in [a, b).
template <class V>
V hour_sum(const std::vector<std::pair<std::int64_t, V>>& hours, std::int64_t a, std::int64_t b) {
  V out{};
  auto it =
      std::lower_bound(hours.begin(), hours.end(), a, [](const auto& row, std::int64_t h) { return row.first < h; });
  for (; it != hours.end() && it->first < b; ++it) out += it->second;
  return out;
}

}  // namespace

template <class V>
std::vector<V> range_sums(const std::vector<std::int64_t>& bounds, const RangeReads& reads,
                          const std::vector<std::pair<std::int64_t, V>>& days,
                          const std::vector<std::pair<std::int64_t, V>>& hours) {
  std::vector<V> out;
  if (bounds.size() < 2) return out;
  // prefix[j]: the days [first_day, first_day + j).
  std::vector<V> prefix(static_cast<std::size_t>(reads.last_day - reads.first_day) + 1, V{});
  auto it = days.begin();
  for (std::size_t j = 1; j < prefix.size(); ++j) {
    prefix[j] = prefix[j - 1];
    const auto day = reads.first_day + static_cast<std::int64_t>(j) - 1;
    while (it != days.end() && it->first < day) ++it;
    if (it != days.end() && it->first == day) prefix[j] += it->second;
  }
  auto s = [&](std::int64_t b) {
    const auto d = day_of_hour(b);
    const auto k = b - d * 24;
    const auto j = static_cast<std::size_t>(d - reads.first_day);
    if (k == 0) return prefix[j];
    if (k <= 12) {
      V c = prefix[j];
      c += hour_sum(hours, d * 24, b);
      return c;
    }
    V c = prefix[j + 1];
    c -= hour_sum(hours, b, d * 24 + 24);
    return c;
  };
  out.reserve(bounds.size() - 1);
  V prev = s(bounds.front());
  for (std::size_t i = 1; i < bounds.size(); ++i) {
    V cur = s(bounds[i]);
    V run = cur;
    run -= prev;
    out.push_back(run);
    prev = cur;
  }
  return out;
}

template std::vector<Counts> range_sums(const std::vector<std::int64_t>&, const RangeReads&, const Rows&, const Rows&);
template std::vector<std::int64_t> range_sums(const std::vector<std::int64_t>&, const RangeReads&, const Values&,
                                              const Values&);

}  // namespace herald::analytics

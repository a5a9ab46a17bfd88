#include "campaigns/schedule.hpp"

#include <algorithm>

namespace herald::campaigns {

std::optional<int> parse_local_time(std::string_view s) {
  if (s.size() != 5 || s[2] != ':') return std::nullopt;
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (!digit(s[0]) || !digit(s[1]) || !digit(s[3]) || !digit(s[4])) return std::nullopt;
  const int h = (s[0] - '0') * 10 + (s[1] - '0');
  const int m = (s[3] - '0') * 10 + (s[4] - '0');
  if (h > 23 || m > 59) return std::nullopt;
  return h * 60 + m;
}

SysSeconds next_local_time(const Zone& zone, int minutes, SysSeconds not_before) {
  using std::chrono::days;
  using std::chrono::seconds;
  // The local calendar day of `not_before`, and the days around it: the first
  // candidate instant at or after not_before wins.
  const auto local_now = not_before + seconds(zone.offset_at(not_before));
  const auto day = std::chrono::floor<days>(local_now);
  for (int d = -1; d <= 2; ++d) {
    // The wall-clock time as if it were UTC, then the instants that show it.
    const SysSeconds wall{(day + days(d) + std::chrono::minutes(minutes)).time_since_epoch()};
    const std::int64_t before = zone.offset_at(wall - days(1));
    const std::int64_t after = zone.offset_at(wall + days(1));
    std::optional<SysSeconds> best;
    for (std::int64_t off : {before, after}) {
      const auto u = wall - seconds(off);
      if (zone.offset_at(u) == off && (!best || u < *best)) best = u;
    }
    // In a gap (the clock jumps over this time): the same time on the new clock.
    const SysSeconds utc = best ? *best : wall - seconds(before);
    if (utc >= not_before) return utc;
  }
  return not_before;  // unreachable: a day always has the time
}

SysSeconds next_weekly_time(const Zone& zone, int day, int hour, SysSeconds not_before) {
  using std::chrono::days;
  auto from = not_before;
  for (int i = 0; i < 8; ++i) {
    const auto t = next_local_time(zone, hour * 60, from);
    const auto local = t + std::chrono::seconds(zone.offset_at(t));
    const std::chrono::weekday wd{std::chrono::floor<days>(local)};
    if (static_cast<int>(wd.iso_encoding()) - 1 == day) return t;
    from = t + std::chrono::hours(1);
  }
  return not_before;  // unreachable: a week has every weekday
}

}  // namespace herald::campaigns

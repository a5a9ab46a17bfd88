#include "analytics/hours.hpp"

#include <algorithm>

namespace herald::analytics {

std::int64_t counter(const Counts& c, int metric) {
  switch (metric) {
    case 0:
      return c.sent;
    case 1:
      return c.delivered;
    case 2:
      return c.bounced;
    case 3:
      return c.rejected;
    case 4:
      return c.opens;
    case 5:
      return c.human_opens;
    case 6:
      return c.opened;
    case 7:
      return c.human_opened;
    case 8:
      return c.clicks;
    case 9:
      return c.clicked;
    case 10:
      return c.unsubscribed;
    case 11:
      return c.replied;
    default:
      return 0;
  }
}

std::size_t HourTable::at(std::int64_t hour) const {
  const auto n = static_cast<std::int64_t>(hours());
  return static_cast<std::size_t>(std::clamp<std::int64_t>(hour - first_, 0, n));
}

Counts HourTable::value(std::int64_t hour) const {
  if (hour < first_ || hour >= first_ + static_cast<std::int64_t>(hours())) return {};
  const auto i = static_cast<std::size_t>(hour - first_);
  Counts v = prefix_[i + 1];
  v -= prefix_[i];
  return v;
}

HourTable HourTable::with(const Rows& rows) const {
  if (rows.empty()) return *this;
  Rows changes = rows;
  std::sort(changes.begin(), changes.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  std::int64_t lo = changes.front().first, hi = changes.back().first + 1;
  if (hours() > 0) {
    lo = std::min(lo, first_);
    hi = std::max(hi, first_ + static_cast<std::int64_t>(hours()));
  }
  HourTable out;
  out.first_ = lo;
  out.prefix_.resize(static_cast<std::size_t>(hi - lo) + 1);
  auto it = changes.begin();
  for (std::int64_t h = lo; h < hi; ++h) {
    const auto i = static_cast<std::size_t>(h - lo);
    Counts v;
    if (it != changes.end() && it->first == h) {
      v = it->second;
      ++it;
    } else {
      v = value(h);
    }
    out.prefix_[i + 1] = out.prefix_[i];
    out.prefix_[i + 1] += v;
  }
  return out;
}

Counts HourTable::sum(std::int64_t a, std::int64_t b) const {
  if (b <= a || hours() == 0) return {};
  Counts out = prefix_[at(b)];
  out -= prefix_[at(a)];
  return out;
}

std::int64_t HourTable::sum(std::int64_t a, std::int64_t b, int metric) const {
  if (b <= a || hours() == 0) return 0;
  return counter(prefix_[at(b)], metric) - counter(prefix_[at(a)], metric);
}

}  // namespace herald::analytics

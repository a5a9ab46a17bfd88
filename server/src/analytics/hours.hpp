// A campaign's hourly roll-up rows in memory, as prefix sums over a dense run
// of hours: the sum of any run of hours [a, b) is two look-ups, so a period,
// and every bucket of a series, costs the same whatever its length. Pure;
// immutable once built (a change builds a new table).
//
// The service keeps one per campaign asked about (HourMirror, service.hpp),
// stamped with the roll-up's watermark, and brings it up to date by reading
// only the hourly rows whose stamp (the watermark of the batch that last
// changed them, 0017_analytics_hourly_stamp.sql) is past the one it kept.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "analytics/types.hpp"

namespace herald::analytics {

class HourTable {
 public:
  using Rows = std::vector<std::pair<std::int64_t, Counts>>;  // (hour, counts), any order, each hour once

  // This table with each of `rows` as its hour's value (replacing what the
  // hour held; hours outside the span widen it).
  HourTable with(const Rows& rows) const;

  // The sum of the hours [a, b); hours outside the span hold nothing.
  Counts sum(std::int64_t a, std::int64_t b) const;
  Counts sum(HourRange h) const { return sum(h.first, h.last); }
  // One counter (its position in kMetrics) over [a, b).
  std::int64_t sum(std::int64_t a, std::int64_t b, int metric) const;

  // Hours held, from the first to the last with anything (what it weighs).
  std::size_t hours() const noexcept { return prefix_.empty() ? 0 : prefix_.size() - 1; }
  std::int64_t first_hour() const noexcept { return first_; }

 private:
  Counts value(std::int64_t hour) const;
  std::size_t at(std::int64_t hour) const;  // hour clamped into the span, as an index into prefix_

  std::int64_t first_ = 0;
  std::vector<Counts> prefix_;  // prefix_[i]: the hours [first_, first_ + i)
};

// Counter `metric` (its position in kMetrics) of `c`.
std::int64_t counter(const Counts& c, int metric);

}  // namespace herald::analytics

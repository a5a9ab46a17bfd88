// SQL access for the roll-ups (server/sql/common/analytics.sql).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "analytics/types.hpp"
#include "storage/database.hpp"

namespace herald::analytics {

class Store {
 public:
  std::int64_t watermark(storage::Connection& c) const;
  // False when the watermark is no longer `from` (another roller moved it).
  bool advance(storage::Connection& c, std::int64_t from, std::int64_t to, std::int64_t now_ms) const;
  // True when (campaign, lead, kind) was not counted before (and now is).
  bool first(storage::Connection& c, std::int64_t campaign, std::int64_t lead, std::string_view kind) const;
  void add_hour(storage::Connection& c, std::int64_t campaign, std::int64_t hour, const Counts& d) const;
  void add_day(storage::Connection& c, std::int64_t campaign, std::int64_t day, const Counts& d) const;
  void add_link(storage::Connection& c, std::int64_t campaign, std::string_view url, std::int64_t clicks,
                std::int64_t unique_clicks) const;

  using Rows = std::vector<std::pair<std::int64_t, Counts>>;
  // Days [first, last), hours in a range, and the hours of a range whose hour of day is < below or ≥ from.
  Rows days(storage::Connection& c, std::int64_t campaign, std::int64_t first, std::int64_t last) const;
  Rows hours(storage::Connection& c, std::int64_t campaign, HourRange h) const;
  Rows edge_hours(storage::Connection& c, std::int64_t campaign, HourRange h, std::int64_t below,
                  std::int64_t from) const;
  std::optional<HourRange> span(storage::Connection& c, std::int64_t campaign) const;
  std::vector<LinkClicks> top_links(storage::Connection& c, std::int64_t campaign, std::int64_t limit) const;
};

}  // namespace herald::analytics

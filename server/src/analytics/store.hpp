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
  void add_link(storage::Connection& c, std::int64_t campaign, std::string_view url, std::int64_t clicks,
                std::int64_t unique_clicks) const;

  Counts totals(storage::Connection& c, std::int64_t campaign, HourRange h) const;
  std::vector<std::pair<std::int64_t, Counts>> hours(storage::Connection& c, std::int64_t campaign, HourRange h) const;
  std::optional<HourRange> span(storage::Connection& c, std::int64_t campaign) const;
  std::vector<LinkClicks> top_links(storage::Connection& c, std::int64_t campaign, std::int64_t limit) const;
};

}  // namespace herald::analytics

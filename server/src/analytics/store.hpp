// SQL access for the roll-ups (server/sql/common/analytics.sql).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analytics/fold.hpp"
#include "analytics/types.hpp"
#include "storage/database.hpp"

namespace herald::analytics {

class Store {
 public:
  std::int64_t watermark(storage::Connection& c) const;
  // False when the watermark is no longer `from` (another roller moved it).
  bool advance(storage::Connection& c, std::int64_t from, std::int64_t to, std::int64_t now_ms) const;
  // The batch's candidates in one statement: for each, whether it was not
  // counted before (and now is). Each (campaign, lead, kind) at most once.
  std::vector<bool> firsts(storage::Connection& c, const std::vector<FirstCandidate>& candidates) const;
  using Additions = std::map<std::pair<std::int64_t, std::int64_t>, Counts>;
  // Each in one statement: (campaign, hour) or (campaign, day) → counts added
  // (empty ones skipped); (campaign, url) → clicks and unique clicks added.
  // `stamp`: the batch's new watermark, kept on every hourly row it changes.
  void add_hours(storage::Connection& c, const Additions& hours, std::int64_t stamp) const;
  void add_days(storage::Connection& c, const Additions& days) const;
  void add_links(storage::Connection& c, const std::map<std::pair<std::int64_t, std::string>, LinkDelta>& links) const;

  using Rows = std::vector<std::pair<std::int64_t, Counts>>;
  // Days [first, last), hours in a range, and the hours of a range whose hour of day is < below or ≥ from.
  Rows days(storage::Connection& c, std::int64_t campaign, std::int64_t first, std::int64_t last) const;
  Rows hours(storage::Connection& c, std::int64_t campaign, HourRange h) const;
  Rows edge_hours(storage::Connection& c, std::int64_t campaign, HourRange h, std::int64_t below,
                  std::int64_t from) const;
  // The campaign's hourly rows changed by roll-up batches past `since` (every row for -1), in no order.
  Rows hours_changed(storage::Connection& c, std::int64_t campaign, std::int64_t since) const;
  std::optional<HourRange> span(storage::Connection& c, std::int64_t campaign) const;
  std::vector<LinkClicks> top_links(storage::Connection& c, std::int64_t campaign, std::int64_t limit) const;
};

}  // namespace herald::analytics

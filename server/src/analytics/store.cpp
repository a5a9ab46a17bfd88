#include "analytics/store.hpp"

#include <algorithm>
#include <tuple>

#include <nlohmann/json.hpp>

#include "storage/query.hpp"

namespace herald::analytics {
namespace {

const storage::Query kWatermark{"analytics.watermark"};
const storage::Query kAdvance{"analytics.advance"};
const storage::Query kFirstBatch{"analytics.first_batch"};
const storage::Query kAddHours{"analytics.add_hours"};
const storage::Query kAddDays{"analytics.add_days"};
const storage::Query kAddLinks{"analytics.add_links"};
const storage::Query kDays{"analytics.days"};
const storage::Query kHours{"analytics.hours"};
const storage::Query kEdgeHours{"analytics.edge_hours"};
const storage::Query kHoursChanged{"analytics.hours_changed"};
const storage::Query kSpan{"analytics.span"};
const storage::Query kTopLinks{"analytics.top_links"};

Counts counts_at(const storage::Row& r, int at) {
  Counts c;
  c.sent = r.integer(at);
  c.delivered = r.integer(at + 1);
  c.bounced = r.integer(at + 2);
  c.rejected = r.integer(at + 3);
  c.opens = r.integer(at + 4);
  c.human_opens = r.integer(at + 5);
  c.opened = r.integer(at + 6);
  c.human_opened = r.integer(at + 7);
  c.clicks = r.integer(at + 8);
  c.clicked = r.integer(at + 9);
  c.unsubscribed = r.integer(at + 10);
  c.replied = r.integer(at + 11);
  return c;
}

// [campaign, key, the 12 counters] per non-empty entry.
std::string additions_json(const Store::Additions& rows) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [key, d] : rows) {
    if (d.empty()) continue;
    out.push_back({key.first, key.second, d.sent, d.delivered, d.bounced, d.rejected, d.opens, d.human_opens, d.opened,
                   d.human_opened, d.clicks, d.clicked, d.unsubscribed, d.replied});
  }
  return out.empty() ? std::string() : out.dump();
}

}  // namespace

std::vector<bool> Store::firsts(storage::Connection& c, const std::vector<FirstCandidate>& candidates) const {
  std::vector<bool> out(candidates.size(), false);
  if (candidates.empty()) return out;
  nlohmann::json in = nlohmann::json::array();
  std::map<std::tuple<std::int64_t, std::int64_t, std::string>, std::size_t> at;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const auto& k = candidates[i];
    in.push_back({{"c", k.campaign_id}, {"l", k.lead_id}, {"k", k.kind}});
    at.emplace(std::tuple{k.campaign_id, k.lead_id, k.kind}, i);
  }
  const auto text = in.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  c.execute(kFirstBatch, {std::string_view(text)}, [&](const storage::Row& r) {
    auto it = at.find(std::tuple{r.integer(0), r.integer(1), r.str(2)});
    if (it != at.end()) out[it->second] = true;
  });
  return out;
}

void Store::add_hours(storage::Connection& c, const Additions& hours, std::int64_t stamp) const {
  const auto text = additions_json(hours);
  if (!text.empty()) c.execute(kAddHours, {std::string_view(text), stamp});
}

void Store::add_days(storage::Connection& c, const Additions& days) const {
  const auto text = additions_json(days);
  if (!text.empty()) c.execute(kAddDays, {std::string_view(text)});
}

void Store::add_links(storage::Connection& c,
                      const std::map<std::pair<std::int64_t, std::string>, LinkDelta>& links) const {
  if (links.empty()) return;
  nlohmann::json in = nlohmann::json::array();
  for (const auto& [key, d] : links)
    in.push_back({{"c", key.first}, {"u", key.second}, {"n", d.clicks}, {"q", d.unique_clicks}});
  const auto text = in.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  c.execute(kAddLinks, {std::string_view(text)});
}

std::int64_t Store::watermark(storage::Connection& c) const {
  std::int64_t out = 0;
  c.execute(kWatermark, {}, [&](const storage::Row& r) { out = r.integer(0); });
  return out;
}

bool Store::advance(storage::Connection& c, std::int64_t from, std::int64_t to, std::int64_t now_ms) const {
  return c.execute(kAdvance, {from, to, now_ms}) > 0;
}

Store::Rows Store::days(storage::Connection& c, std::int64_t campaign, std::int64_t first, std::int64_t last) const {
  Rows out;
  c.execute(kDays, {campaign, first, last},
            [&](const storage::Row& r) { out.emplace_back(r.integer(0), counts_at(r, 1)); });
  return out;
}

Store::Rows Store::hours(storage::Connection& c, std::int64_t campaign, HourRange h) const {
  Rows out;
  c.execute(kHours, {campaign, h.first, h.last},
            [&](const storage::Row& r) { out.emplace_back(r.integer(0), counts_at(r, 1)); });
  return out;
}

Store::Rows Store::edge_hours(storage::Connection& c, std::int64_t campaign, HourRange h, std::int64_t below,
                              std::int64_t from) const {
  Rows out;
  c.execute(kEdgeHours, {campaign, h.first, h.last, below, from},
            [&](const storage::Row& r) { out.emplace_back(r.integer(0), counts_at(r, 1)); });
  return out;
}

Store::Rows Store::hours_changed(storage::Connection& c, std::int64_t campaign, std::int64_t since) const {
  Rows out;
  c.execute(kHoursChanged, {campaign, since},
            [&](const storage::Row& r) { out.emplace_back(r.integer(0), counts_at(r, 1)); });
  return out;
}

std::optional<HourRange> Store::span(storage::Connection& c, std::int64_t campaign) const {
  std::optional<HourRange> out;
  c.execute(kSpan, {campaign}, [&](const storage::Row& r) {
    if (!r.is_null(0)) out = HourRange{r.integer(0), r.integer(1) + 1};
  });
  return out;
}

std::vector<LinkClicks> Store::top_links(storage::Connection& c, std::int64_t campaign, std::int64_t limit) const {
  std::vector<LinkClicks> out;
  c.execute(kTopLinks, {campaign, limit}, [&](const storage::Row& r) {
    out.push_back({r.str(0), r.integer(1), r.integer(2)});
  });
  return out;
}

}  // namespace herald::analytics

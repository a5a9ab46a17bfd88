#include "analytics/store.hpp"

#include "storage/query.hpp"

namespace herald::analytics {
namespace {

const storage::Query kWatermark{"analytics.watermark"};
const storage::Query kAdvance{"analytics.advance"};
const storage::Query kFirst{"analytics.first"};
const storage::Query kAddHour{"analytics.add_hour"};
const storage::Query kAddLink{"analytics.add_link"};
const storage::Query kAddDay{"analytics.add_day"};
const storage::Query kDays{"analytics.days"};
const storage::Query kHours{"analytics.hours"};
const storage::Query kEdgeHours{"analytics.edge_hours"};
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

}  // namespace

std::int64_t Store::watermark(storage::Connection& c) const {
  std::int64_t out = 0;
  c.execute(kWatermark, {}, [&](const storage::Row& r) { out = r.integer(0); });
  return out;
}

bool Store::advance(storage::Connection& c, std::int64_t from, std::int64_t to, std::int64_t now_ms) const {
  return c.execute(kAdvance, {from, to, now_ms}) > 0;
}

bool Store::first(storage::Connection& c, std::int64_t campaign, std::int64_t lead, std::string_view kind) const {
  return c.execute(kFirst, {campaign, lead, kind}) > 0;
}

void Store::add_hour(storage::Connection& c, std::int64_t campaign, std::int64_t hour, const Counts& d) const {
  c.execute(kAddHour, {campaign, hour, d.sent, d.delivered, d.bounced, d.rejected, d.opens, d.human_opens, d.opened,
                       d.human_opened, d.clicks, d.clicked, d.unsubscribed, d.replied});
}

void Store::add_day(storage::Connection& c, std::int64_t campaign, std::int64_t day, const Counts& d) const {
  c.execute(kAddDay, {campaign, day, d.sent, d.delivered, d.bounced, d.rejected, d.opens, d.human_opens, d.opened,
                      d.human_opened, d.clicks, d.clicked, d.unsubscribed, d.replied});
}

void Store::add_link(storage::Connection& c, std::int64_t campaign, std::string_view url, std::int64_t clicks,
                     std::int64_t unique_clicks) const {
  c.execute(kAddLink, {campaign, url, clicks, unique_clicks});
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

#include "analytics/fold.hpp"

#include <set>
#include <tuple>

#include "analytics/prefetch.hpp"

namespace herald::analytics {

std::int64_t hour_of(std::int64_t ms) { return ms >= 0 ? ms / kHourMs : -((-ms + kHourMs - 1) / kHourMs); }

Fold fold(const std::vector<campaigns::ActivityEvent>& events) {
  Fold f;
  std::set<std::tuple<std::int64_t, std::int64_t, std::string>> seen;
  auto candidate = [&](const campaigns::ActivityEvent& e, std::string kind, std::int64_t hour) {
    if (seen.emplace(e.campaign_id, e.lead_id, kind).second)
      f.firsts.push_back({e.campaign_id, e.lead_id, std::move(kind), hour});
  };
  for (const auto& e : events) {
    f.last_id = std::max(f.last_id, e.id);
    const auto hour = hour_of(e.occurred_at);
    auto& c = f.hours[{e.campaign_id, hour}];
    if (e.type == "delivered") {
      ++c.sent;
      ++c.delivered;
    } else if (e.type == "bounce") {
      ++c.sent;
      ++c.bounced;
    } else if (e.type == "rejected") {
      ++c.sent;
      ++c.rejected;
    } else if (e.type == "open") {
      ++c.opens;
      candidate(e, "open", hour);
      if (!is_prefetch(e.user_agent, e.ip)) {
        ++c.human_opens;
        candidate(e, "human_open", hour);
      }
    } else if (e.type == "click") {
      // A click is an open too (the pixel may have been blocked), by a person.
      ++c.clicks;
      candidate(e, "click", hour);
      candidate(e, "open", hour);
      candidate(e, "human_open", hour);
      if (e.url) {
        ++f.links[{e.campaign_id, *e.url}].clicks;
        candidate(e, "link:" + *e.url, hour);
      }
    } else if (e.type == "unsubscribe") {
      candidate(e, "unsubscribe", hour);
    } else if (e.type == "reply") {
      candidate(e, "reply", hour);
    } else if (e.type == "bounce_hard") {
      // Reported by mail after the message was accepted (already counted
      // sent and delivered): bounced once per lead; soft bounces count nothing.
      candidate(e, "bounce", hour);
    }
  }
  return f;
}

void count_first(Fold& f, const FirstCandidate& c) {
  auto& h = f.hours[{c.campaign_id, c.hour}];
  if (c.kind == "open") {
    ++h.opened;
  } else if (c.kind == "human_open") {
    ++h.human_opened;
  } else if (c.kind == "click") {
    ++h.clicked;
  } else if (c.kind == "unsubscribe") {
    ++h.unsubscribed;
  } else if (c.kind == "reply") {
    ++h.replied;
  } else if (c.kind == "bounce") {
    ++h.bounced;
  } else if (c.kind.starts_with("link:")) {
    ++f.links[{c.campaign_id, c.kind.substr(5)}].unique_clicks;
  }
}

void add_totals(Fold& f) {
  std::map<std::int64_t, Counts> totals;
  for (const auto& [key, counts] : f.hours)
    if (key.first != 0) totals[key.second] += counts;
  for (const auto& [hour, counts] : totals) f.hours[{0, hour}] += counts;
}

std::map<std::pair<std::int64_t, std::int64_t>, Counts> days_of(const Fold& f) {
  std::map<std::pair<std::int64_t, std::int64_t>, Counts> out;
  for (const auto& [key, counts] : f.hours)
    if (!counts.empty()) out[{key.first, key.second >= 0 ? key.second / 24 : -((-key.second + 23) / 24)}] += counts;
  return out;
}

}  // namespace herald::analytics

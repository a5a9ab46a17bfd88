#include "analytics/types.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "core/errors.hpp"
#include "core/time.hpp"

namespace herald::analytics {
namespace {

std::int64_t epoch_ms(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

double ratio(std::int64_t n, std::int64_t d) { return d > 0 ? static_cast<double>(n) / static_cast<double>(d) : 0.0; }

nlohmann::json rates_json(const Rates& r) {
  return {{"delivery", r.delivery}, {"open", r.open},     {"click", r.click},
          {"reply", r.reply},       {"bounce", r.bounce}, {"unsubscribe", r.unsubscribe}};
}

// The counts every report shows, by the SPEC's names, plus the extras.
void put_counts(nlohmann::json& j, const Counts& c) {
  j["sent"] = c.sent;
  j["delivered"] = c.delivered;
  j["opened"] = c.opened;
  j["clicked"] = c.clicked;
  j["replied"] = c.replied;
  j["bounced"] = c.bounced;
  j["unsubscribed"] = c.unsubscribed;
  j["rejected"] = c.rejected;
  j["human_opened"] = c.human_opened;
  j["opens"] = c.opens;
  j["human_opens"] = c.human_opens;
  j["clicks"] = c.clicks;
  j["rates"] = rates_json(rates_of(c));
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6f", v);
  return buf;
}

TimePoint parse_bound(const std::string& value, const char* field) {
  auto t = parse_rfc3339(value);
  if (!t) throw ValidationError(field, "must be an RFC 3339 UTC time (2026-01-31T00:00:00Z) or a date (2026-01-31)");
  return *t;
}

}  // namespace

Counts& Counts::operator+=(const Counts& o) {
  sent += o.sent;
  delivered += o.delivered;
  bounced += o.bounced;
  rejected += o.rejected;
  opens += o.opens;
  human_opens += o.human_opens;
  opened += o.opened;
  human_opened += o.human_opened;
  clicks += o.clicks;
  clicked += o.clicked;
  unsubscribed += o.unsubscribed;
  replied += o.replied;
  return *this;
}

Counts& Counts::operator-=(const Counts& o) {
  sent -= o.sent;
  delivered -= o.delivered;
  bounced -= o.bounced;
  rejected -= o.rejected;
  opens -= o.opens;
  human_opens -= o.human_opens;
  opened -= o.opened;
  human_opened -= o.human_opened;
  clicks -= o.clicks;
  clicked -= o.clicked;
  unsubscribed -= o.unsubscribed;
  replied -= o.replied;
  return *this;
}

Rates rates_of(const Counts& c) {
  Rates r;
  r.delivery = ratio(c.delivered, c.sent);
  r.open = ratio(c.opened, c.sent);
  r.click = ratio(c.clicked, c.sent);
  r.reply = ratio(c.replied, c.sent);
  r.bounce = ratio(c.bounced, c.sent);
  r.unsubscribe = ratio(c.unsubscribed, c.sent);
  return r;
}

bool is_metric(std::string_view name) { return std::find(kMetrics.begin(), kMetrics.end(), name) != kMetrics.end(); }

int metric_index(std::string_view name) {
  const auto it = std::find(kMetrics.begin(), kMetrics.end(), name);
  return it == kMetrics.end() ? -1 : static_cast<int>(it - kMetrics.begin());
}

std::int64_t metric_of(const Counts& c, std::string_view m) {
  if (m == "sent") return c.sent;
  if (m == "delivered") return c.delivered;
  if (m == "bounced") return c.bounced;
  if (m == "rejected") return c.rejected;
  if (m == "opens") return c.opens;
  if (m == "human_opens") return c.human_opens;
  if (m == "opened") return c.opened;
  if (m == "human_opened") return c.human_opened;
  if (m == "clicks") return c.clicks;
  if (m == "clicked") return c.clicked;
  if (m == "unsubscribed") return c.unsubscribed;
  if (m == "replied") return c.replied;
  return 0;
}

std::string_view to_string(Interval i) { return i == Interval::Hour ? "hour" : "day"; }

Period parse_period(const std::optional<std::string>& from, const std::optional<std::string>& to, TimePoint now,
                    std::chrono::hours default_span, std::chrono::hours max_span) {
  Period p;
  p.to = to ? parse_bound(*to, "to") : now;
  p.from = from ? parse_bound(*from, "from") : p.to - default_span;
  if (p.from >= p.to) throw ValidationError("from", "must be before to");
  if (p.to - p.from > max_span)
    throw ValidationError("from", "the period is longer than " + std::to_string(max_span.count() / 24) + " days");
  return p;
}

HourRange hours_of(const Period& p) {
  return {floor_div(epoch_ms(p.from), kHourMs), floor_div(epoch_ms(p.to) + kHourMs - 1, kHourMs)};
}

Period previous_of(const Period& p) { return {p.from - (p.to - p.from), p.from}; }

nlohmann::json to_json(const Overview& o) {
  nlohmann::json j;
  j["from"] = rfc3339(o.period.from);
  j["to"] = rfc3339(o.period.to);
  j["leads"] = {{"total", o.leads_total}, {"new", o.leads_new}};
  j["campaigns_active"] = o.campaigns_active;
  put_counts(j, o.current);
  nlohmann::json prev;
  prev["from"] = rfc3339(o.previous.from);
  prev["to"] = rfc3339(o.previous.to);
  prev["leads"] = {{"new", o.previous_leads_new}};
  put_counts(prev, o.before);
  j["previous"] = std::move(prev);
  return j;
}

std::string to_csv(const Overview& o) {
  std::string out = "metric,current,previous\r\n";
  auto row = [&](std::string_view name, const std::string& a, const std::string& b) {
    out += name;
    out += ',';
    out += a;
    out += ',';
    out += b;
    out += "\r\n";
  };
  row("leads_new", std::to_string(o.leads_new), std::to_string(o.previous_leads_new));
  for (auto m : kMetrics) row(m, std::to_string(metric_of(o.current, m)), std::to_string(metric_of(o.before, m)));
  const auto a = rates_of(o.current), b = rates_of(o.before);
  row("delivery_rate", number(a.delivery), number(b.delivery));
  row("open_rate", number(a.open), number(b.open));
  row("click_rate", number(a.click), number(b.click));
  row("reply_rate", number(a.reply), number(b.reply));
  row("bounce_rate", number(a.bounce), number(b.bounce));
  row("unsubscribe_rate", number(a.unsubscribe), number(b.unsubscribe));
  return out;
}

nlohmann::json to_json(const Series& s) {
  nlohmann::json points = nlohmann::json::array();
  for (const auto& p : s.points) points.push_back({{"t", p.t}, {"value", p.value}});
  return {{"metric", s.metric}, {"interval", to_string(s.interval)}, {"tz", s.tz}, {"points", std::move(points)}};
}

std::string to_json_text(const Series& s) {
  // nlohmann's object keys are sorted: interval, metric, points, tz; t, value.
  auto quoted = [](std::string_view v) {
    return nlohmann::json(std::string(v)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  };
  std::string out;
  out.reserve(96 + s.points.size() * 48);
  out += "{\"interval\":";
  out += quoted(to_string(s.interval));
  out += ",\"metric\":";
  out += quoted(s.metric);
  out += ",\"points\":[";
  char num[24];
  for (std::size_t i = 0; i < s.points.size(); ++i) {
    const auto& p = s.points[i];
    out += i == 0 ? "{\"t\":" : ",{\"t\":";
    // Labels are RFC 3339 times: as they are, unless something would need escaping.
    const bool plain = std::all_of(p.t.begin(), p.t.end(), [](char c) {
      return c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7f;
    });
    if (plain) {
      out += '"';
      out += p.t;
      out += '"';
    } else {
      out += quoted(p.t);
    }
    out += ",\"value\":";
    const auto r = std::to_chars(num, num + sizeof num, p.value);
    out.append(num, r.ptr);
    out += '}';
  }
  out += "],\"tz\":";
  out += quoted(s.tz);
  out += '}';
  return out;
}

std::string to_csv(const Series& s) {
  std::string out = "t," + csv_field(s.metric) + "\r\n";
  for (const auto& p : s.points) out += p.t + "," + std::to_string(p.value) + "\r\n";
  return out;
}

nlohmann::json to_json(const CampaignReport& r) {
  nlohmann::json funnel;
  put_counts(funnel, r.funnel);
  auto rates = funnel["rates"];
  funnel.erase("rates");
  nlohmann::json links = nlohmann::json::array();
  for (const auto& l : r.top_links)
    links.push_back({{"url", l.url}, {"clicks", l.clicks}, {"unique_clicks", l.unique_clicks}});
  nlohmann::json points = nlohmann::json::array();
  for (std::size_t i = 0; i < r.sent.points.size(); ++i) {
    points.push_back({{"t", r.sent.points[i].t},
                      {"sent", r.sent.points[i].value},
                      {"opened", i < r.opened.points.size() ? r.opened.points[i].value : 0},
                      {"clicked", i < r.clicked.points.size() ? r.clicked.points[i].value : 0}});
  }
  return {{"campaign_id", r.campaign_id},
          {"name", r.name},
          {"funnel", std::move(funnel)},
          {"rates", std::move(rates)},
          {"top_links", std::move(links)},
          {"timeseries", {{"interval", to_string(r.sent.interval)}, {"tz", r.sent.tz}, {"points", std::move(points)}}}};
}

std::string to_csv(const CampaignReport& r) {
  std::string out = "kind,name,value,unique\r\n";
  for (auto m : kMetrics) out += "funnel," + std::string(m) + "," + std::to_string(metric_of(r.funnel, m)) + ",\r\n";
  for (const auto& l : r.top_links)
    out += "link," + csv_field(l.url) + "," + std::to_string(l.clicks) + "," + std::to_string(l.unique_clicks) + "\r\n";
  return out;
}

std::string csv_field(std::string_view s) {
  std::string v(s);
  if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@')) v.insert(v.begin(), '\'');
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace herald::analytics

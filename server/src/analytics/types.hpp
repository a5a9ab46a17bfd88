// Analytics' request and response types, their parsers and writers (JSON
// and CSV). Pure: no I/O.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace herald::analytics {

using TimePoint = std::chrono::system_clock::time_point;

inline constexpr std::int64_t kHourMs = 3'600'000;

// The counters of one bucket (a campaign's hour, a period, a campaign).
// sent = delivered + bounced + rejected. opened, human_opened, clicked,
// unsubscribed and replied count each (campaign, lead) once; opens,
// human_opens and clicks count every event.
struct Counts {
  std::int64_t sent = 0, delivered = 0, bounced = 0, rejected = 0, opens = 0, human_opens = 0, opened = 0,
               human_opened = 0, clicks = 0, clicked = 0, unsubscribed = 0, replied = 0;

  Counts& operator+=(const Counts& o);
  Counts& operator-=(const Counts& o);
  bool operator==(const Counts&) const = default;
  bool empty() const { return *this == Counts{}; }
};

// Fractions 0–1 of sent (0 when nothing was sent).
struct Rates {
  double delivery = 0, open = 0, click = 0, reply = 0, bounce = 0, unsubscribe = 0;
};
Rates rates_of(const Counts& c);

// The metrics a time series can show (the Counts fields by name).
inline constexpr std::array<std::string_view, 12> kMetrics = {"sent",   "delivered",   "bounced",      "rejected",
                                                              "opens",  "human_opens", "opened",       "human_opened",
                                                              "clicks", "clicked",     "unsubscribed", "replied"};
bool is_metric(std::string_view name);
std::int64_t metric_of(const Counts& c, std::string_view name);
// The metric's position in kMetrics (= its column's among the roll-ups' counters), -1 when unknown.
int metric_index(std::string_view name);

enum class Interval { Hour, Day };
std::string_view to_string(Interval i);

struct Period {
  TimePoint from, to;  // [from, to)
};

// ?from&to: RFC 3339 UTC or YYYY-MM-DD; to defaults to now, from to `to`
// minus `default_span`. ValidationError naming "from" or "to" when malformed,
// from ≥ to, or the span is longer than `max_span`.
Period parse_period(const std::optional<std::string>& from, const std::optional<std::string>& to, TimePoint now,
                    std::chrono::hours default_span, std::chrono::hours max_span);

// The hours (epoch ms / 3,600,000) a period touches: [first, last).
struct HourRange {
  std::int64_t first = 0, last = 0;
};
HourRange hours_of(const Period& p);

// The same length just before.
Period previous_of(const Period& p);

struct Overview {
  Period period, previous;
  std::int64_t leads_total = 0, leads_new = 0, previous_leads_new = 0;
  std::int64_t campaigns_active = 0;
  Counts current, before;
};
nlohmann::json to_json(const Overview& o);
std::string to_csv(const Overview& o);

struct Point {
  std::string t;  // RFC 3339 with the zone's offset at the bucket's start
  std::int64_t value = 0;
};
struct Series {
  std::string metric;
  Interval interval = Interval::Day;
  std::string tz;
  std::vector<Point> points;
};
nlohmann::json to_json(const Series& s);
// The same document as to_json(s).dump(), written directly (a year by day is
// 366 points: no JSON tree built and torn down per request).
std::string to_json_text(const Series& s);
std::string to_csv(const Series& s);

struct LinkClicks {
  std::string url;
  std::int64_t clicks = 0, unique_clicks = 0;
};

// A campaign's funnel, its most clicked links and its time series.
struct CampaignReport {
  std::int64_t campaign_id = 0;
  std::string name;
  Counts funnel;
  std::vector<LinkClicks> top_links;
  Series sent, opened, clicked;  // one interval and zone
};
nlohmann::json to_json(const CampaignReport& r);
std::string to_csv(const CampaignReport& r);

// A CSV field, quoted when it must be (RFC 4180), and a formula-looking
// value (=, +, -, @ first) prefixed with ' so spreadsheets show it as text.
std::string csv_field(std::string_view s);

}  // namespace herald::analytics

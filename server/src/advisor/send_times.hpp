// Send-time advice's pure parts (GET /api/ai/send-times and the campaigns'
// "send at best time" schedule): a 7×24 histogram of engagement (opens and
// replies) by local day of week and hour, the best hour in it, and which
// level of history to trust (the lead's own, its segment's, everyone's).
// No I/O: the service (send_time_service.hpp) reads the events.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "core/timezone.hpp"

namespace herald::advisor {

// A level needs at least this many opens and replies to be used.
inline constexpr std::int64_t kMinSendTimeEvents = 5;
// With no events at all: Tuesday 10:00.
inline constexpr int kDefaultSendDay = 1;
inline constexpr int kDefaultSendHour = 10;

// counts[day][hour]; day 0 is Monday.
using SendHistogram = std::array<std::array<std::int64_t, 24>, 7>;

struct BestTime {
  int day = kDefaultSendDay;  // 0 = Monday … 6 = Sunday
  int hour = kDefaultSendHour;
  bool operator==(const BestTime&) const = default;
};

enum class SendTimeLevel { Lead, Segment, Global };
std::string_view to_string(SendTimeLevel level) noexcept;

// Whether an event type counts as engagement for send times (open, reply).
bool is_engagement(std::string_view type) noexcept;

// The local day of week (Monday = 0) and hour of an instant (epoch ms) in a zone.
BestTime local_slot(const Zone& zone, std::int64_t at_ms);

void add_event(SendHistogram& h, const Zone& zone, std::int64_t at_ms);
std::int64_t total(const SendHistogram& h) noexcept;

// The slot with the most events. Ties: the one whose neighbouring hours
// (the hour before and after, wrapping round the week) hold more, then the
// earliest in the week from Monday 00:00. An empty histogram gives the
// default (Tuesday 10:00).
BestTime best_of(const SendHistogram& h) noexcept;

// The narrowest level with at least kMinSendTimeEvents events: the lead's
// own (when a lead is asked about), the segment's (when there is one), else
// global. `lead_events`/`segment_events` are negative when not asked.
SendTimeLevel choose_level(std::int64_t lead_events, std::int64_t segment_events) noexcept;

struct SendTimeAdvice {
  SendTimeLevel level = SendTimeLevel::Global;
  std::int64_t events = 0;  // in the histogram used
  BestTime best;
  std::string tz = "UTC";
  SendHistogram histogram{};
};
// {level, events, best: {day, hour}, tz, histogram (7 arrays of 24), min_events}
nlohmann::json to_json(const SendTimeAdvice& a);

}  // namespace herald::advisor

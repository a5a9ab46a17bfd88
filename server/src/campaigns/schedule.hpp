// When each recipient of a campaign is due. A campaign starts now, at
// `scheduled_at`, or "at this local time in each lead's time zone": then each
// lead's message waits for the next HH:MM on the lead's clock (the
// campaign's time zone for leads without one) at or after the start.
//
// Time zones are core/timezone.hpp's (the system's tz database).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/timezone.hpp"

namespace herald::campaigns {

using SysSeconds = std::chrono::sys_seconds;

using herald::Zone;
using herald::ZoneDirectory;

// "HH:MM" (00:00–23:59) → minutes after midnight; nullopt when malformed.
std::optional<int> parse_local_time(std::string_view hhmm);

// The first instant at or after `not_before` at which the zone's clock shows
// `minutes` after midnight. A local time that a DST change skips is taken on
// the new clock (02:30 on a spring-forward night sends at 03:30).
SysSeconds next_local_time(const Zone& zone, int minutes, SysSeconds not_before);

// The first instant at or after `not_before` at which the zone's clock shows
// `hour`:00 on weekday `day` (Monday = 0): within the next 7 days.
SysSeconds next_weekly_time(const Zone& zone, int day, int hour, SysSeconds not_before);

}  // namespace herald::campaigns

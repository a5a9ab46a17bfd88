// When each recipient of a campaign is due. A campaign starts now, at
// `scheduled_at`, or "at this local time in each lead's time zone": then each
// lead's message waits for the next HH:MM on the lead's clock (the
// campaign's time zone for leads without one) at or after the start.
//
// Time zones come from the system's tz database (TZif files under
// /usr/share/zoneinfo). The parsing and the arithmetic are pure; only
// ZoneDirectory reads files.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace herald::campaigns {

using SysSeconds = std::chrono::sys_seconds;

// A zone's UTC offsets over time (from a TZif file's 64-bit data).
class Zone {
 public:
  // Throws std::invalid_argument for data that is not TZif.
  static Zone parse(std::string_view tzif);
  static Zone utc();

  // Seconds east of UTC at instant `t`.
  std::int64_t offset_at(SysSeconds t) const;

 private:
  std::vector<std::int64_t> transitions_;  // UTC seconds, ascending
  std::vector<std::int64_t> offsets_;      // offsets_[i] applies from transitions_[i]
  std::int64_t initial_ = 0;               // before the first transition
};

// "HH:MM" (00:00–23:59) → minutes after midnight; nullopt when malformed.
std::optional<int> parse_local_time(std::string_view hhmm);

// The first instant at or after `not_before` at which the zone's clock shows
// `minutes` after midnight. A local time that a DST change skips is taken on
// the new clock (02:30 on a spring-forward night sends at 03:30).
SysSeconds next_local_time(const Zone& zone, int minutes, SysSeconds not_before);

// Zones by IANA name, read once from the tz database and kept. Thread-safe.
class ZoneDirectory {
 public:
  explicit ZoneDirectory(std::string root = "/usr/share/zoneinfo");
  // nullptr when the name is not a zone (or not a safe path).
  std::shared_ptr<const Zone> find(std::string_view name);

 private:
  std::string root_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const Zone>, std::less<>> zones_;
};

}  // namespace herald::campaigns

// Time zones from the system's tz database (TZif files under
// /usr/share/zoneinfo, Debian's tzdata): a zone's UTC offsets over time.
// Parsing and arithmetic are pure; only ZoneDirectory reads files. Used by
// campaigns (local send times) and analytics (days in a time zone).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace herald {

// A zone's UTC offsets over time (from a TZif file's 64-bit data).
class Zone {
 public:
  // Throws std::invalid_argument for data that is not TZif.
  static Zone parse(std::string_view tzif);
  static Zone utc();

  // Seconds east of UTC at instant `t`.
  std::int64_t offset_at(std::chrono::sys_seconds t) const;

 private:
  std::vector<std::int64_t> transitions_;  // UTC seconds, ascending
  std::vector<std::int64_t> offsets_;      // offsets_[i] applies from transitions_[i]
  std::int64_t initial_ = 0;               // before the first transition
};

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

}  // namespace herald

// The log line's timestamp, "YYYY-MM-DDTHH:MM:SS.mmmZ" (UTC, milliseconds),
// written by calendar arithmetic into a caller's buffer: no gmtime (glibc's
// takes a process-wide lock, which every request's access-log line
// contended for), no format string, no allocation. Pure.
#pragma once

#include <array>
#include <chrono>
#include <string_view>

namespace herald {

using UtcStamp = std::array<char, 24>;

UtcStamp utc_stamp_ms(std::chrono::system_clock::time_point t) noexcept;

inline std::string_view view(const UtcStamp& s) noexcept { return {s.data(), s.size()}; }

}  // namespace herald

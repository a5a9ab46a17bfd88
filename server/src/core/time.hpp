// RFC 3339 UTC timestamps ("2026-11-25T12:00:00.123Z"): the storage format
// on both backends (lexicographic order = chronological order) and the API's.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace herald {

std::string rfc3339(std::chrono::system_clock::time_point t);
// Accepts "YYYY-MM-DDTHH:MM:SS[.fff]Z" and "YYYY-MM-DD" (midnight UTC).
std::optional<std::chrono::system_clock::time_point> parse_rfc3339(std::string_view s);
std::int64_t unix_seconds(std::chrono::system_clock::time_point t);

}  // namespace herald

// Job ids: 26 characters of Crockford base32 holding a 48-bit millisecond
// timestamp and 80 random bits (the ULID layout), so ids sort by creation
// time on both backends and need no coordination between processes.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace herald::jobs {

inline constexpr std::size_t kJobIdLength = 26;

// Pure: the caller supplies the time and the random bytes.
std::string make_job_id(std::int64_t unix_ms, const std::array<std::uint8_t, 10>& random);
// A new id from the system clock and a per-thread generator.
std::string new_job_id();
// True for 26 characters of the id alphabet (what make_job_id produces).
bool is_valid_job_id(std::string_view id) noexcept;
// The creation time encoded in an id.
std::int64_t job_id_millis(std::string_view id) noexcept;

}  // namespace herald::jobs

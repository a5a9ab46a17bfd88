// Small string helpers shared across domains.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace herald {

std::string_view trim(std::string_view s) noexcept;
std::vector<std::string_view> split(std::string_view s, char sep);
bool iequals_ascii(std::string_view a, std::string_view b) noexcept;
std::string to_lower_ascii(std::string_view s);
// Lower-case hex of bytes.
std::string to_hex(std::string_view bytes);
// True when s is well-formed UTF-8 (no overlong forms, surrogates or values past U+10FFFF).
bool valid_utf8(std::string_view s) noexcept;
// Well-formed UTF-8 without NUL: what any text column stores as it is.
bool is_text(std::string_view s) noexcept;
// s with every NUL byte and every byte that is not part of well-formed UTF-8
// replaced by U+FFFD: text any database column accepts, for records (audit,
// logs) that must keep what arrived rather than refuse it.
std::string storable_text(std::string_view s);

}  // namespace herald

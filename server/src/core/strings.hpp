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

}  // namespace herald

// Who is calling: set by the authoriser before a protected handler runs.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace herald::http {

struct Principal {
  std::int64_t user_id = 0;
  std::string email;
  std::string role;
  std::vector<std::string> permissions;  // sorted
  std::string session_id;                // empty for API keys
  std::optional<std::int64_t> api_key_id;

  bool has(std::string_view permission) const {
    return std::binary_search(permissions.begin(), permissions.end(), permission,
                              [](std::string_view a, std::string_view b) { return a < b; });
  }
};

}  // namespace herald::http

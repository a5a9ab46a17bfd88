// X-Request-ID: echo a sane client value, else generate one.
#pragma once

#include <string>
#include <string_view>

namespace herald::http {

// At most 128 characters of [A-Za-z0-9._-], not empty.
bool is_sane_request_id(std::string_view id) noexcept;
// 32 lower-case hex characters from a per-thread generator seeded from the OS.
std::string generate_request_id();
// The client's id when sane, else a fresh one.
std::string resolve_request_id(std::string_view client_value);

}  // namespace herald::http

// RFC 9457 problem documents: the single mapper from errors to responses.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "core/errors.hpp"
#include "http/types.hpp"

namespace herald::http {

inline constexpr std::string_view kProblemContentType = "application/problem+json";

// A problem response for any herald::Error (status, title, detail, errors[], headers).
Response problem(const Error& error, std::string_view instance = {});

// A problem response built from parts.
Response problem(int status, std::string_view title, std::string_view detail, std::string_view type_slug = {},
                 std::string_view instance = {});
// The same with extension members (RFC 9457 §3.2), e.g. {"event_id": …}.
Response problem(int status, std::string_view title, std::string_view detail, std::string_view type_slug,
                 const nlohmann::json& extensions);

}  // namespace herald::http

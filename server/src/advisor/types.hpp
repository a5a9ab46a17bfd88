// Request types of the built-in AI tools, with their strict parsers (every
// bad field is a 422 naming it).
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "advisor/analysis.hpp"

namespace herald::advisor {

inline constexpr std::size_t kMaxSubject = 998;      // an RFC 5322 line
inline constexpr std::size_t kMaxPart = 512 * 1024;  // an HTML or text part

// POST /api/ai/analyze {subject, html and/or text}.
MessageParts parse_analyze_request(const nlohmann::json& body);

}  // namespace herald::advisor

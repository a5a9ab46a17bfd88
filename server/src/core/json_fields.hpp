// The one allow-list check for JSON request objects. Every parser of a
// request body calls it, so a key the endpoint does not know (a typo, a field
// of another endpoint, a field that cannot be changed there) is a 422 naming
// that key instead of being silently ignored.
#pragma once

#include <initializer_list>
#include <span>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "core/errors.hpp"

namespace herald {

using FieldNames = std::span<const std::string_view>;

inline constexpr std::string_view kUnknownField = "is not a known field";

// Throws ValidationError{"body", "must be a JSON object"} unless `body` is an
// object; then adds `message` for every key of it outside `allowed` to `errors`.
void check_fields(const nlohmann::json& body, FieldNames allowed, ValidationError& errors,
                  std::string_view message = kUnknownField);
void check_fields(const nlohmann::json& body, std::initializer_list<std::string_view> allowed, ValidationError& errors,
                  std::string_view message = kUnknownField);

// The same, throwing the 422 at once when a key is unknown.
void require_fields(const nlohmann::json& body, std::initializer_list<std::string_view> allowed,
                    std::string_view message = kUnknownField);

}  // namespace herald

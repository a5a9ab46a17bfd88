#include "core/json_fields.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace herald {

void check_fields(const nlohmann::json& body, FieldNames allowed, ValidationError& errors, std::string_view message) {
  if (!body.is_object()) throw ValidationError("body", "must be a JSON object");
  for (const auto& item : body.items()) {
    if (std::find(allowed.begin(), allowed.end(), item.key()) == allowed.end())
      errors.with_field(item.key(), std::string(message));
  }
}

void check_fields(const nlohmann::json& body, std::initializer_list<std::string_view> allowed, ValidationError& errors,
                  std::string_view message) {
  check_fields(body, FieldNames(allowed.begin(), allowed.size()), errors, message);
}

void require_fields(const nlohmann::json& body, std::initializer_list<std::string_view> allowed,
                    std::string_view message) {
  ValidationError errors;
  check_fields(body, allowed, errors, message);
  if (!errors.empty()) throw errors;
}

}  // namespace herald

#include "advisor/types.hpp"

#include <nlohmann/json.hpp>

#include "core/errors.hpp"
#include "core/json_fields.hpp"

namespace herald::advisor {
namespace {

void read_text(const nlohmann::json& body, const char* field, std::size_t max, std::string& out,
               ValidationError& errors) {
  if (!body.contains(field) || body[field].is_null()) return;
  const auto& v = body[field];
  if (!v.is_string()) {
    errors.with_field(field, "must be a string");
  } else if (v.get_ref<const std::string&>().size() > max) {
    errors.with_field(field, "must be at most " + std::to_string(max) + " bytes");
  } else {
    out = v.get<std::string>();
  }
}

}  // namespace

MessageParts parse_analyze_request(const nlohmann::json& body) {
  ValidationError errors;
  check_fields(body, {"subject", "html", "text"}, errors);
  MessageParts parts;
  if (!body.contains("subject")) errors.with_field("subject", "is required");
  read_text(body, "subject", kMaxSubject, parts.subject, errors);
  read_text(body, "html", kMaxPart, parts.html, errors);
  read_text(body, "text", kMaxPart, parts.text, errors);
  if (errors.empty() && parts.html.empty() && parts.text.empty())
    errors.with_field("html", "html or text is required: the message body to check");
  if (!errors.empty()) throw errors;
  return parts;
}

}  // namespace herald::advisor

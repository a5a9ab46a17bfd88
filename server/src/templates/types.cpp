#include "templates/types.hpp"

#include <algorithm>

#include "core/email.hpp"
#include "core/errors.hpp"
#include "core/json_fields.hpp"
#include "core/strings.hpp"

namespace herald::templates {
namespace {

// Reads an optional text member into `out`; null reads as "" when allowed.
void read_text(const nlohmann::json& body, const char* key, std::size_t max, bool multiline, bool null_is_empty,
               std::optional<std::string>& out, ValidationError& errors) {
  if (!body.contains(key)) return;
  const auto& v = body[key];
  if (v.is_null() && null_is_empty) {
    out = std::string();
    return;
  }
  if (!v.is_string()) {
    errors.with_field(key, "must be a string");
    return;
  }
  const auto& s = v.get_ref<const std::string&>();
  if (s.size() > max) {
    errors.with_field(key, "must be at most " + std::to_string(max) + " bytes");
  } else if (!is_text(s)) {
    errors.with_field(key, "must be UTF-8 text");
  } else if (!multiline && s.find_first_of("\r\n") != std::string::npos) {
    errors.with_field(key, "must be one line");
  } else {
    out = s;
  }
}

std::optional<std::int64_t> read_lead_id(const nlohmann::json& body, ValidationError& errors) {
  if (!body.contains("lead_id") || body["lead_id"].is_null()) return std::nullopt;
  const auto& v = body["lead_id"];
  if (!v.is_number_integer() || v.get<std::int64_t>() < 1) {
    errors.with_field("lead_id", "must be a positive integer (a lead's id)");
    return std::nullopt;
  }
  return v.get<std::int64_t>();
}

}  // namespace

nlohmann::json to_json(const Template& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"subject", t.subject},
          {"html", t.html},
          {"text", t.text},
          {"text_generated", t.text_generated},
          {"version", t.version},
          {"created_at", t.created_at},
          {"updated_at", t.updated_at}};
}

TemplateInput parse_template_input(const nlohmann::json& body, bool creating) {
  ValidationError errors;
  check_fields(body, {"name", "subject", "html", "text"}, errors);
  TemplateInput in;
  read_text(body, "name", kMaxName, false, false, in.name, errors);
  read_text(body, "subject", kMaxSubject, false, false, in.subject, errors);
  read_text(body, "html", kMaxBody, true, false, in.html, errors);
  read_text(body, "text", kMaxBody, true, true, in.text, errors);
  if (in.name) {
    in.name = std::string(trim(*in.name));
    if (in.name->empty()) errors.with_field("name", "must not be empty");
  }
  if (in.subject && trim(*in.subject).empty()) errors.with_field("subject", "must not be empty");
  if (in.html && trim(*in.html).empty()) errors.with_field("html", "must not be empty");
  if (creating) {
    for (const char* key : {"name", "subject", "html"}) {
      if (!body.contains(key)) errors.with_field(key, "is required");
    }
  } else if (errors.empty() && body.empty()) {
    errors.with_field("body", "names no field to change (name, subject, html, text)");
  }
  if (!errors.empty()) throw errors;
  return in;
}

PreviewRequest parse_preview_request(const nlohmann::json& body) {
  ValidationError errors;
  check_fields(body, {"lead_id"}, errors);
  PreviewRequest out{read_lead_id(body, errors)};
  if (!errors.empty()) throw errors;
  return out;
}

DraftPreviewRequest parse_draft_preview_request(const nlohmann::json& body) {
  ValidationError errors;
  check_fields(body, {"subject", "html", "text", "lead_id"}, errors);
  std::optional<std::string> subject, html, text;
  read_text(body, "subject", kMaxSubject, false, false, subject, errors);
  read_text(body, "html", kMaxBody, true, false, html, errors);
  read_text(body, "text", kMaxBody, true, true, text, errors);
  auto lead_id = read_lead_id(body, errors);
  if (!body.contains("subject")) errors.with_field("subject", "is required");
  if (!body.contains("html")) errors.with_field("html", "is required");
  if (!errors.empty()) throw errors;
  return {*subject, *html, text.value_or(""), lead_id};
}

TestRequest parse_test_request(const nlohmann::json& body) {
  ValidationError errors;
  check_fields(body, {"emails", "lead_id"}, errors);
  TestRequest out;
  out.lead_id = read_lead_id(body, errors);
  if (!body.contains("emails")) {
    errors.with_field("emails", "is required: a list of 1 to 10 addresses");
  } else if (const auto& list = body["emails"]; !list.is_array() || list.empty() || list.size() > kMaxTestAddresses) {
    errors.with_field("emails", "must be a list of 1 to 10 addresses");
  } else {
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string field = "emails[" + std::to_string(i) + "]";
      if (!list[i].is_string()) {
        errors.with_field(field, "must be a string");
        continue;
      }
      auto check = check_email(list[i].get<std::string>());
      if (!check.ok()) {
        errors.with_field(field, check.problem);
        continue;
      }
      if (std::find(out.emails.begin(), out.emails.end(), check.address) == out.emails.end())
        out.emails.push_back(check.address);
    }
  }
  if (!errors.empty()) throw errors;
  return out;
}

}  // namespace herald::templates

#include "leads/types.hpp"

#include <algorithm>

#include "core/email.hpp"
#include "core/errors.hpp"
#include "core/json_fields.hpp"
#include "core/strings.hpp"
#include "leads/json_writer.hpp"

namespace herald::leads {
namespace {

constexpr std::array<std::string_view, 15> kFields = {"email", "first_name", "last_name", "company",       "title",
                                                      "phone", "website",    "country",   "timezone",      "status",
                                                      "score", "owner_id",   "tags",      "custom_fields", "source"};

bool known_field(std::string_view key) { return std::find(kFields.begin(), kFields.end(), key) != kFields.end(); }

std::optional<std::string> problem_for(std::string_view field, std::string_view value) {
  if (field == "phone") return phone_problem(value);
  if (field == "website") return website_problem(value);
  if (field == "timezone") return timezone_problem(value);
  if (field == "first_name" || field == "last_name") return text_problem(value, kMaxName);
  if (field == "country") return text_problem(value, kMaxCountry);
  if (field == "source") return text_problem(value, kMaxSource);
  return text_problem(value, kMaxText);
}

// A plain text field: string (trimmed) or, for PATCH, null meaning "clear".
std::optional<std::string> text_field(const nlohmann::json& body, const char* name, ValidationError& errors) {
  if (!body.contains(name)) return std::nullopt;
  const auto& v = body[name];
  if (v.is_null()) return std::string();
  if (!v.is_string()) {
    errors.with_field(name, "must be a string");
    return std::nullopt;
  }
  std::string s(trim(v.get_ref<const std::string&>()));
  if (auto p = problem_for(name, s)) {
    errors.with_field(name, *p);
    return std::nullopt;
  }
  return s;
}

std::optional<std::string> email_field(const nlohmann::json& body, ValidationError& errors, bool required) {
  if (!body.contains("email") || body["email"].is_null()) {
    if (required) errors.with_field("email", "is required");
    return std::nullopt;
  }
  if (!body["email"].is_string()) {
    errors.with_field("email", "must be a string");
    return std::nullopt;
  }
  auto checked = check_email(body["email"].get_ref<const std::string&>());
  if (!checked.ok()) {
    errors.with_field("email", checked.problem);
    return std::nullopt;
  }
  return std::move(checked.address);
}

std::optional<std::string> status_field(const nlohmann::json& body, ValidationError& errors) {
  if (!body.contains("status")) return std::nullopt;
  const auto& v = body["status"];
  if (!v.is_string() || !is_status(v.get_ref<const std::string&>())) {
    errors.with_field("status",
                      "must be one of new, contacted, replied, interested, not_interested, converted, "
                      "unsubscribed, bounced");
    return std::nullopt;
  }
  return v.get<std::string>();
}

std::optional<std::int64_t> score_field(const nlohmann::json& body, ValidationError& errors) {
  if (!body.contains("score")) return std::nullopt;
  const auto& v = body["score"];
  if (!v.is_number_integer() || v.get<std::int64_t>() < kMinScore || v.get<std::int64_t>() > kMaxScore) {
    errors.with_field("score", "must be a whole number from 0 to 100");
    return std::nullopt;
  }
  return v.get<std::int64_t>();
}

// owner_id: a positive integer, or null (unassigned). Whether the user exists
// is the service's check.
std::optional<std::optional<std::int64_t>> owner_field(const nlohmann::json& body, ValidationError& errors) {
  if (!body.contains("owner_id")) return std::nullopt;
  const auto& v = body["owner_id"];
  if (v.is_null()) return std::optional<std::int64_t>();
  if (!v.is_number_integer() || v.get<std::int64_t>() <= 0) {
    errors.with_field("owner_id", "must be a user id or null");
    return std::nullopt;
  }
  return std::optional<std::int64_t>(v.get<std::int64_t>());
}

std::optional<std::vector<std::string>> tags_field(const nlohmann::json& body, ValidationError& errors) {
  if (!body.contains("tags")) return std::nullopt;
  const auto& v = body["tags"];
  if (v.is_null()) return std::vector<std::string>();
  if (!v.is_array()) {
    errors.with_field("tags", "must be an array of strings");
    return std::nullopt;
  }
  std::vector<std::string> tags;
  for (const auto& t : v) {
    if (!t.is_string()) {
      errors.with_field("tags", "must be an array of strings");
      return std::nullopt;
    }
    std::string tag(trim(t.get_ref<const std::string&>()));
    if (auto p = tag_problem(tag)) {
      errors.with_field("tags", *p);
      return std::nullopt;
    }
    merge_tags(tags, {tag});
  }
  if (tags.size() > kMaxTags) {
    errors.with_field("tags", "at most 50 tags");
    return std::nullopt;
  }
  return tags;
}

std::string to_text(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::strict); }

}  // namespace

bool is_status(std::string_view s) noexcept {
  return std::find(kStatuses.begin(), kStatuses.end(), s) != kStatuses.end();
}

LeadView view_of(const Lead& l) {
  LeadView v;
  v.id = l.id;
  v.email = l.email;
  v.first_name = l.first_name;
  v.last_name = l.last_name;
  v.company = l.company;
  v.title = l.title;
  v.phone = l.phone;
  v.website = l.website;
  v.country = l.country;
  v.timezone = l.timezone;
  v.status = l.status;
  v.score = l.score;
  v.owner_id = l.owner_id;
  v.tags_json = l.tags_json;
  v.custom_fields_json = l.custom_fields_json;
  v.source = l.source;
  v.created_at = l.created_at;
  v.updated_at = l.updated_at;
  if (l.last_contacted_at) v.last_contacted_at = *l.last_contacted_at;
  if (l.last_activity_at) v.last_activity_at = *l.last_activity_at;
  v.score_reasons_json = l.score_reasons_json;
  return v;
}

void append_json(std::string& out, const LeadView& l) {
  JsonWriter w(out);
  w.begin_object();
  w.literal_key("\"id\":").number(l.id);
  w.literal_key("\"email\":").string(l.email);
  w.literal_key("\"first_name\":").string(l.first_name);
  w.literal_key("\"last_name\":").string(l.last_name);
  w.literal_key("\"company\":").string(l.company);
  w.literal_key("\"title\":").string(l.title);
  w.literal_key("\"phone\":").string(l.phone);
  w.literal_key("\"website\":").string(l.website);
  w.literal_key("\"country\":").string(l.country);
  w.literal_key("\"timezone\":").string(l.timezone);
  w.literal_key("\"status\":").string(l.status);
  w.literal_key("\"score\":").number(l.score);
  w.literal_key("\"score_reasons\":").raw(l.score_reasons_json.empty() ? std::string_view("[]") : l.score_reasons_json);
  w.literal_key("\"owner_id\":");
  if (l.owner_id)
    w.number(*l.owner_id);
  else
    w.null();
  w.literal_key("\"tags\":").raw(l.tags_json);
  w.literal_key("\"custom_fields\":").raw(l.custom_fields_json);
  w.literal_key("\"source\":").string(l.source);
  w.literal_key("\"created_at\":").string(l.created_at);
  w.literal_key("\"updated_at\":").string(l.updated_at);
  w.literal_key("\"last_contacted_at\":");
  if (l.last_contacted_at)
    w.string(*l.last_contacted_at);
  else
    w.null();
  w.literal_key("\"last_activity_at\":");
  if (l.last_activity_at)
    w.string(*l.last_activity_at);
  else
    w.null();
  w.end_object();
}

void append_json(std::string& out, const Lead& l) { append_json(out, view_of(l)); }

nlohmann::json to_json(const Lead& lead) {
  std::string text;
  append_json(text, lead);
  return nlohmann::json::parse(text);
}

LeadInput parse_lead_create(const nlohmann::json& body) {
  ValidationError errors;
  check_fields(body, kFields, errors, "is not a lead field");
  LeadInput in;
  if (auto e = email_field(body, errors, true)) in.email = *e;
  static const std::array<std::pair<const char*, std::string LeadInput::*>, 8> texts = {{
      {"first_name", &LeadInput::first_name},
      {"last_name", &LeadInput::last_name},
      {"company", &LeadInput::company},
      {"title", &LeadInput::title},
      {"phone", &LeadInput::phone},
      {"website", &LeadInput::website},
      {"country", &LeadInput::country},
      {"timezone", &LeadInput::timezone},
  }};
  for (const auto& [name, member] : texts) {
    if (auto v = text_field(body, name, errors)) in.*member = *v;
  }
  if (auto v = text_field(body, "source", errors)) in.source = *v;
  if (auto v = status_field(body, errors)) in.status = *v;
  if (auto v = score_field(body, errors)) in.score = *v;
  if (auto v = owner_field(body, errors)) in.owner_id = *v;
  if (auto v = tags_field(body, errors)) in.tags = *v;
  if (body.contains("custom_fields") && !body["custom_fields"].is_null()) {
    const auto& cf = body["custom_fields"];
    if (auto p = custom_fields_problem(cf)) {
      errors.with_field("custom_fields", *p);
    } else {
      for (auto& [k, v] : cf.items()) {
        if (!v.is_null()) in.custom_fields[k] = v;
      }
    }
  }
  if (!errors.empty()) throw errors;
  return in;
}

LeadPatch parse_lead_patch(const nlohmann::json& body) {
  ValidationError errors;
  LeadPatch p;
  check_fields(body, kFields, errors, "is not a lead field that can be changed");
  for (auto& [key, _] : body.items()) {
    if (known_field(key)) p.changed.push_back(key);
  }
  if (body.contains("email")) {
    if (body["email"].is_null()) {
      errors.with_field("email", "cannot be removed");
    } else {
      p.email = email_field(body, errors, true);
    }
  }
  static const std::array<std::pair<const char*, std::optional<std::string> LeadPatch::*>, 9> texts = {{
      {"first_name", &LeadPatch::first_name},
      {"last_name", &LeadPatch::last_name},
      {"company", &LeadPatch::company},
      {"title", &LeadPatch::title},
      {"phone", &LeadPatch::phone},
      {"website", &LeadPatch::website},
      {"country", &LeadPatch::country},
      {"timezone", &LeadPatch::timezone},
      {"source", &LeadPatch::source},
  }};
  for (const auto& [name, member] : texts) p.*member = text_field(body, name, errors);
  p.status = status_field(body, errors);
  p.score = score_field(body, errors);
  p.owner_id = owner_field(body, errors);
  p.tags = tags_field(body, errors);
  if (body.contains("custom_fields")) {
    const auto& cf = body["custom_fields"];
    if (cf.is_null()) {
      p.custom_fields = nullptr;  // remove every custom field
    } else if (auto problem = custom_fields_problem(cf)) {
      errors.with_field("custom_fields", *problem);
    } else {
      p.custom_fields = cf;
    }
  }
  if (!errors.empty()) throw errors;
  return p;
}

void apply_patch(Lead& l, const LeadPatch& p) {
  if (p.email) l.email = *p.email;
  if (p.first_name) l.first_name = *p.first_name;
  if (p.last_name) l.last_name = *p.last_name;
  if (p.company) l.company = *p.company;
  if (p.title) l.title = *p.title;
  if (p.phone) l.phone = *p.phone;
  if (p.website) l.website = *p.website;
  if (p.country) l.country = *p.country;
  if (p.timezone) l.timezone = *p.timezone;
  if (p.source) l.source = *p.source;
  if (p.status) l.status = *p.status;
  if (p.score) l.score = *p.score;
  if (p.owner_id) l.owner_id = *p.owner_id;
  if (p.tags) l.tags_json = tags_to_json(*p.tags);
  if (p.custom_fields) {
    nlohmann::json merged = nlohmann::json::object();
    if (!p.custom_fields->is_null()) {
      merged = nlohmann::json::parse(l.custom_fields_json, nullptr, false);
      if (!merged.is_object()) merged = nlohmann::json::object();
      for (auto& [k, v] : p.custom_fields->items()) {
        if (v.is_null()) {
          merged.erase(k);
        } else {
          merged[k] = v;
        }
      }
    }
    if (auto problem = custom_fields_problem(merged)) throw ValidationError("custom_fields", *problem);
    l.custom_fields_json = to_text(merged);
  }
}

// ---- validators -----------------------------------------------------------

std::optional<std::string> normalise_email(std::string_view email) { return canonical_email(email); }

std::string_view email_domain(std::string_view email) {
  auto at = email.rfind('@');
  return at == std::string_view::npos ? std::string_view{} : email.substr(at + 1);
}

std::optional<std::string> text_problem(std::string_view value, std::size_t max, bool multiline) {
  if (value.size() > max) return "must be at most " + std::to_string(max) + " bytes";
  if (!valid_utf8(value)) return "is not valid UTF-8";
  for (unsigned char c : value) {
    if (multiline && (c == '\n' || c == '\r' || c == '\t')) continue;
    if (c < 0x20 || c == 0x7f) return "must not contain control characters";
  }
  return std::nullopt;
}

std::optional<std::string> phone_problem(std::string_view value) {
  if (value.size() > kMaxPhone) return "must be at most 50 characters";
  for (char c : value) {
    if (!((c >= '0' && c <= '9') || c == '+' || c == '-' || c == ' ' || c == '(' || c == ')' || c == '.' || c == '/' ||
          c == 'x' || c == 'X' || c == '#' || c == '*'))
      return "may contain only digits, spaces and + - ( ) . / x # *";
  }
  return std::nullopt;
}

std::optional<std::string> website_problem(std::string_view value) {
  if (auto p = text_problem(value, kMaxWebsite)) return p;
  if (value.find_first_of(" \t\"<>\\") != std::string_view::npos) return "is not a valid web address";
  auto lower = to_lower_ascii(value);
  if (lower.find("://") != std::string::npos && !lower.starts_with("http://") && !lower.starts_with("https://"))
    return "must be an http or https address";
  return std::nullopt;
}

std::optional<std::string> timezone_problem(std::string_view value) {
  if (value.empty()) return std::nullopt;
  if (value.size() > kMaxTimezone) return "must be at most 64 characters";
  for (char c : value) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' || c == '_' ||
          c == '-' || c == '+'))
      return "must be an IANA time zone name such as Europe/Berlin";
  }
  if (value.front() == '/' || value.back() == '/') return "must be an IANA time zone name such as Europe/Berlin";
  return std::nullopt;
}

std::optional<std::string> tag_problem(std::string_view tag) {
  if (tag.empty()) return "tags must not be empty";
  if (tag.size() > kMaxTag) return "tags must be at most 64 bytes";
  if (tag.find_first_of(",;") != std::string_view::npos) return "tags must not contain ',' or ';'";
  if (auto p = text_problem(tag, kMaxTag)) return "tags " + *p;
  return std::nullopt;
}

bool valid_custom_key(std::string_view key) noexcept {
  if (key.empty() || key.size() > kMaxCustomKey) return false;
  for (char c : key) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

std::optional<std::string> custom_fields_problem(const nlohmann::json& fields) {
  if (!fields.is_object()) return "must be a JSON object";
  if (fields.size() > kMaxCustomKeys) return "at most 50 custom fields";
  for (auto& [k, v] : fields.items()) {
    if (!valid_custom_key(k)) return "key '" + k.substr(0, 64) + "' must be 1-64 letters, digits or '_'";
    if (v.is_string()) {
      if (auto p = text_problem(v.get_ref<const std::string&>(), kMaxCustomString, true)) return "'" + k + "' " + *p;
    } else if (!v.is_number() && !v.is_boolean() && !v.is_null()) {
      return "'" + k + "' must be a string, number or boolean";
    }
  }
  if (to_text(fields).size() > kMaxCustomBytes) return "must be at most 8 KiB when serialised";
  return std::nullopt;
}

void merge_tags(std::vector<std::string>& into, const std::vector<std::string>& add) {
  for (const auto& t : add) {
    if (std::find(into.begin(), into.end(), t) == into.end()) into.push_back(t);
  }
}

std::string tags_to_json(const std::vector<std::string>& tags) {
  std::string out;
  JsonWriter w(out);
  w.begin_array();
  for (const auto& t : tags) w.string(t);
  w.end_array();
  return out;
}

std::vector<std::string> tags_from_json(std::string_view text) {
  std::vector<std::string> out;
  auto doc = nlohmann::json::parse(text, nullptr, false);
  if (!doc.is_array()) return out;
  for (const auto& t : doc) {
    if (t.is_string()) out.push_back(t.get<std::string>());
  }
  return out;
}

}  // namespace herald::leads

#include "settings/types.hpp"

#include <fmt/format.h>

#include <set>

#include "core/email.hpp"
#include "core/errors.hpp"
#include "core/json_fields.hpp"
#include "core/strings.hpp"

namespace herald::settings {
namespace {

using nlohmann::json;

bool is_domain_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'; }

// A one-line text of at most `max` bytes, or a field error.
std::optional<std::string> read_line(const json& v, const std::string& field, std::size_t max,
                                     ValidationError& errors) {
  if (!v.is_string()) {
    errors.with_field(field, "must be a string");
    return std::nullopt;
  }
  auto s = std::string(trim(v.get_ref<const std::string&>()));
  if (s.size() > max) {
    errors.with_field(field, fmt::format("must be at most {} bytes", max));
  } else if (!is_text(s) || s.find_first_of("\r\n") != std::string::npos || first_invisible(s)) {
    errors.with_field(field, "must be one line of visible text");
  } else {
    return s;
  }
  return std::nullopt;
}

// "" stays "" (not set); anything else must be an address.
std::optional<std::string> read_email(const json& v, const std::string& field, ValidationError& errors) {
  if (v.is_null()) return std::string();
  auto s = read_line(v, field, kMaxEmailLength, errors);
  if (!s || s->empty()) return s;
  auto check = check_email(*s);
  if (!check.ok()) {
    errors.with_field(field, check.problem);
    return std::nullopt;
  }
  return check.address;
}

bool read_bool(const json& body, const char* key, const std::string& prefix, bool& out, ValidationError& errors) {
  if (!body.contains(key)) return false;
  if (!body[key].is_boolean()) {
    errors.with_field(prefix + key, "must be true or false");
    return false;
  }
  out = body[key].get<bool>();
  return true;
}

void apply_sender(Sender& s, const json& body, ValidationError& errors) {
  if (!body.is_object()) {
    errors.with_field("sender", "must be an object {from_name, from_email, reply_to}");
    return;
  }
  for (auto& [key, _] : body.items()) {
    if (key != "from_name" && key != "from_email" && key != "reply_to") {
      errors.with_field("sender." + key, std::string(kUnknownField));
    }
  }
  if (body.contains("from_name")) {
    if (body["from_name"].is_null()) {
      s.from_name.clear();
    } else if (auto v = read_line(body["from_name"], "sender.from_name", 200, errors)) {
      s.from_name = *v;
    }
  }
  if (body.contains("from_email")) {
    if (auto v = read_email(body["from_email"], "sender.from_email", errors)) s.from_email = *v;
  }
  if (body.contains("reply_to")) {
    if (auto v = read_email(body["reply_to"], "sender.reply_to", errors)) s.reply_to = *v;
  }
}

void apply_tracking(Tracking& t, const json& body, ValidationError& errors) {
  if (!body.is_object()) {
    errors.with_field("tracking", "must be an object {track_opens, track_clicks}");
    return;
  }
  for (auto& [key, _] : body.items()) {
    if (key != "track_opens" && key != "track_clicks") errors.with_field("tracking." + key, std::string(kUnknownField));
  }
  read_bool(body, "track_opens", "tracking.", t.track_opens, errors);
  read_bool(body, "track_clicks", "tracking.", t.track_clicks, errors);
}

std::vector<DomainLimit> parse_limits(const json& body, ValidationError& errors) {
  std::vector<DomainLimit> out;
  if (!body.is_array()) {
    errors.with_field("domain_limits", "must be an array of {domain, per_minute}");
    return out;
  }
  if (body.size() > kMaxDomainLimits) {
    errors.with_field("domain_limits", fmt::format("must have at most {} entries", kMaxDomainLimits));
    return out;
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < body.size(); ++i) {
    const auto at = fmt::format("domain_limits[{}]", i);
    const auto& item = body[i];
    if (!item.is_object()) {
      errors.with_field(at, "must be an object {domain, per_minute}");
      continue;
    }
    for (auto& [key, _] : item.items()) {
      if (key != "domain" && key != "per_minute") errors.with_field(at + "." + key, std::string(kUnknownField));
    }
    DomainLimit limit;
    bool ok = true;
    if (!item.contains("domain") || !item["domain"].is_string()) {
      errors.with_field(at + ".domain", "is required: a recipient domain such as gmail.com");
      ok = false;
    } else if (auto d = normalise_domain(item["domain"].get<std::string>())) {
      limit.domain = *d;
      if (!seen.insert(*d).second) {
        errors.with_field(at + ".domain", "appears twice");
        ok = false;
      }
    } else {
      errors.with_field(at + ".domain", "is not a domain name");
      ok = false;
    }
    if (!item.contains("per_minute") || !item["per_minute"].is_number_integer() ||
        item["per_minute"].get<std::int64_t>() < 1 || item["per_minute"].get<std::int64_t>() > kMaxPerMinute) {
      errors.with_field(at + ".per_minute", fmt::format("must be an integer from 1 to {}", kMaxPerMinute));
      ok = false;
    } else {
      limit.per_minute = static_cast<int>(item["per_minute"].get<std::int64_t>());
    }
    if (ok) out.push_back(std::move(limit));
  }
  return out;
}

}  // namespace

json to_json(const MailSettings& s) {
  json limits = json::array();
  for (const auto& l : s.domain_limits) limits.push_back({{"domain", l.domain}, {"per_minute", l.per_minute}});
  return {{"sender",
           {{"from_name", s.sender.from_name}, {"from_email", s.sender.from_email}, {"reply_to", s.sender.reply_to}}},
          {"tracking", {{"track_opens", s.tracking.track_opens}, {"track_clicks", s.tracking.track_clicks}}},
          {"domain_limits", std::move(limits)}};
}

MailSettings mail_settings_from_json(const json& doc) {
  MailSettings s;
  if (!doc.is_object()) return s;
  if (auto it = doc.find("sender"); it != doc.end() && it->is_object()) {
    s.sender.from_name = it->value("from_name", "");
    s.sender.from_email = it->value("from_email", "");
    s.sender.reply_to = it->value("reply_to", "");
  }
  if (auto it = doc.find("tracking"); it != doc.end() && it->is_object()) {
    s.tracking.track_opens = it->value("track_opens", true);
    s.tracking.track_clicks = it->value("track_clicks", true);
  }
  if (auto it = doc.find("domain_limits"); it != doc.end() && it->is_array()) {
    for (const auto& l : *it) {
      if (l.is_object()) s.domain_limits.push_back({l.value("domain", ""), l.value("per_minute", 0)});
    }
  }
  return s;
}

MailSettings apply_patch(const MailSettings& current, const json& body) {
  ValidationError errors;
  if (!body.is_object()) throw ValidationError("body", "must be a JSON object");
  MailSettings next = current;
  for (auto& [key, _] : body.items()) {
    if (key == "smtp") {
      errors.with_field("smtp", "is read-only: the SMTP transport comes from HERALD_SMTP_URL");
    } else if (key == "public_url") {
      errors.with_field("public_url", "is read-only: set HERALD_PUBLIC_URL");
    } else if (key != "sender" && key != "tracking" && key != "domain_limits" && key != "ai" && key != "inbound") {
      errors.with_field(key, std::string(kUnknownField));
    }
  }
  if (body.contains("sender")) apply_sender(next.sender, body["sender"], errors);
  if (body.contains("tracking")) apply_tracking(next.tracking, body["tracking"], errors);
  if (body.contains("domain_limits")) next.domain_limits = parse_limits(body["domain_limits"], errors);
  if (errors.empty() && body.empty()) errors.with_field("body", "names no setting to change");
  if (!errors.empty()) throw errors;
  return next;
}

json to_stored_json(const AiSettings& s) {
  return {{"base_url", s.base_url},
          {"model", s.model},
          {"api_key_sealed", s.api_key_sealed},
          {"daily_token_budget", s.daily_token_budget}};
}

AiSettings ai_settings_from_json(const json& doc) {
  AiSettings s;
  if (!doc.is_object()) return s;
  s.base_url = doc.value("base_url", "");
  s.model = doc.value("model", "");
  s.api_key_sealed = doc.value("api_key_sealed", "");
  if (auto it = doc.find("daily_token_budget"); it != doc.end() && it->is_number_integer()) {
    s.daily_token_budget = it->get<std::int64_t>();
  }
  return s;
}

AiPatch apply_ai_patch(const AiSettings& current, const json& body, ValidationError& errors) {
  AiPatch out{current, std::nullopt};
  if (!body.is_object()) {
    errors.with_field("ai", "must be an object {base_url, model, api_key, daily_token_budget}");
    return out;
  }
  for (auto& [key, _] : body.items()) {
    if (key == "api_key_set") {
      errors.with_field("ai.api_key_set", "is read-only: set ai.api_key to change the key");
    } else if (key != "base_url" && key != "model" && key != "api_key" && key != "daily_token_budget") {
      errors.with_field("ai." + key, std::string(kUnknownField));
    }
  }
  if (body.contains("base_url")) {
    if (body["base_url"].is_null()) {
      out.next.base_url.clear();
    } else if (auto v = read_line(body["base_url"], "ai.base_url", 500, errors)) {
      const auto lower = to_lower_ascii(*v);
      if (!v->empty() && !lower.starts_with("http://") && !lower.starts_with("https://")) {
        errors.with_field("ai.base_url", "must be an http:// or https:// URL, such as https://api.openai.com/v1");
      } else {
        out.next.base_url = *v;
      }
    }
  }
  if (body.contains("model")) {
    if (body["model"].is_null()) {
      out.next.model.clear();
    } else if (auto v = read_line(body["model"], "ai.model", 200, errors)) {
      out.next.model = *v;
    }
  }
  if (body.contains("api_key")) {
    if (body["api_key"].is_null()) {
      out.api_key = std::string();
    } else if (auto v = read_line(body["api_key"], "ai.api_key", 1000, errors)) {
      out.api_key = *v;
    }
  }
  if (body.contains("daily_token_budget")) {
    const auto& b = body["daily_token_budget"];
    if (!b.is_number_integer() || b.get<std::int64_t>() < 0 || b.get<std::int64_t>() > kMaxDailyTokenBudget) {
      errors.with_field("ai.daily_token_budget",
                        fmt::format("must be an integer from 0 (no AI calls) to {}", kMaxDailyTokenBudget));
    } else {
      out.next.daily_token_budget = b.get<std::int64_t>();
    }
  }
  return out;
}

std::optional<std::string> normalise_domain(std::string_view input) {
  auto d = to_lower_ascii(trim(input));
  if (!d.empty() && d.back() == '.') d.pop_back();
  if (d.empty() || d.size() > 253 || d.front() == '.' || d.front() == '-' || d.find("..") != std::string::npos ||
      d.find('.') == std::string::npos) {
    return std::nullopt;
  }
  for (char c : d) {
    if (!is_domain_char(c)) return std::nullopt;
  }
  for (auto label : split(d, '.')) {
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return std::nullopt;
  }
  return d;
}

bool valid_selector(std::string_view s) {
  if (s.empty() || s.size() > 63 || s.front() == '.' || s.back() == '.') return false;
  for (char c : s) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

json to_json(const SmtpView& v) {
  return {{"transport", v.transport}, {"host", v.host},
          {"port", v.port},           {"tls", v.tls},
          {"username", v.username},   {"verify_certificate", v.verify_certificate},
          {"pool", v.pool},           {"url", v.url}};
}

json to_json(const DkimKeyView& v) {
  json out = {{"domain", v.domain},   {"selector", v.selector},     {"dns_name", v.dns_name},
              {"dns_txt", v.dns_txt}, {"created_at", v.created_at}, {"source", v.source}};
  if (!v.error.empty()) out["error"] = v.error;
  return out;
}

DkimRequest parse_dkim_request(const json& body) {
  ValidationError errors;
  check_fields(body, {"domain", "selector"}, errors);
  DkimRequest out;
  if (!body.contains("domain") || !body["domain"].is_string()) {
    errors.with_field("domain", "is required: the sending domain (the part after @ in From)");
  } else if (auto d = normalise_domain(body["domain"].get<std::string>())) {
    out.domain = *d;
  } else {
    errors.with_field("domain", "is not a domain name");
  }
  if (!body.contains("selector") || !body["selector"].is_string()) {
    errors.with_field("selector", "is required: a name such as herald2026");
  } else if (auto s = std::string(trim(body["selector"].get<std::string>())); valid_selector(s)) {
    out.selector = to_lower_ascii(s);
  } else {
    errors.with_field("selector", "must be 1-63 letters, digits, '-', '_' or '.'");
  }
  if (!errors.empty()) throw errors;
  return out;
}

std::string parse_smtp_test_request(const json& body) {
  ValidationError errors;
  check_fields(body, {"to"}, errors);
  std::string to;
  if (!body.contains("to") || !body["to"].is_string()) {
    errors.with_field("to", "is required: the address to send the test message to");
  } else {
    auto check = check_email(body["to"].get<std::string>());
    if (check.ok()) {
      to = check.address;
    } else {
      errors.with_field("to", check.problem);
    }
  }
  if (!errors.empty()) throw errors;
  return to;
}

}  // namespace herald::settings

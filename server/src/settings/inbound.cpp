#include "settings/inbound.hpp"

#include <fmt/format.h>

#include "core/json_fields.hpp"
#include "core/strings.hpp"
#include "settings/interface.hpp"

namespace herald::settings {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxUrl = 500, kMaxUser = 320, kMaxPassword = 1000;

std::optional<std::string> read_text(const json& v, const std::string& field, std::size_t max, bool keep_blanks,
                                     ValidationError& errors) {
  if (!v.is_string()) {
    errors.with_field(field, "must be a string");
    return std::nullopt;
  }
  std::string s = keep_blanks ? v.get<std::string>() : std::string(trim(v.get_ref<const std::string&>()));
  if (s.size() > max) {
    errors.with_field(field, fmt::format("must be at most {} bytes", max));
  } else if (!is_text(s) || s.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
    errors.with_field(field, "must be one line of text");
  } else {
    return s;
  }
  return std::nullopt;
}

// imap://host[:port]/MAILBOX or imaps://…; no credentials in the URL.
std::optional<std::string> url_problem(const std::string& url) {
  const auto lower = to_lower_ascii(url);
  std::string_view rest;
  if (lower.starts_with("imaps://")) {
    rest = std::string_view(url).substr(8);
  } else if (lower.starts_with("imap://")) {
    rest = std::string_view(url).substr(7);
  } else {
    return "must be an imaps:// or imap:// URL, such as imaps://mail.example.com:993/INBOX";
  }
  const auto slash = rest.find('/');
  const auto authority = rest.substr(0, slash);
  if (authority.empty()) return "must name the IMAP server's host";
  if (authority.find('@') != std::string_view::npos)
    return "must not hold credentials: set inbound.user and inbound.password";
  if (authority.find_first_of(" \t?#") != std::string_view::npos) return "has a malformed host";
  return std::nullopt;
}

}  // namespace

json to_stored_json(const InboundSettings& s) {
  return {{"enabled", s.enabled},
          {"imap_url", s.imap_url},
          {"user", s.user},
          {"password_sealed", s.password_sealed},
          {"poll_interval_s", s.poll_interval_s}};
}

InboundSettings inbound_settings_from_json(const json& doc) {
  InboundSettings s;
  if (!doc.is_object()) return s;
  s.enabled = doc.value("enabled", false);
  s.imap_url = doc.value("imap_url", "");
  s.user = doc.value("user", "");
  s.password_sealed = doc.value("password_sealed", "");
  s.poll_interval_s = doc.value("poll_interval_s", std::int64_t{60});
  return s;
}

json to_view_json(const InboundSettings& s) {
  return {{"enabled", s.enabled},
          {"imap_url", s.imap_url},
          {"user", s.user},
          {"password_set", !s.password_sealed.empty()},
          {"poll_interval_s", s.poll_interval_s}};
}

InboundPatch apply_inbound_patch(const InboundSettings& current, const json& body, ValidationError& errors) {
  InboundPatch out{current, std::nullopt};
  if (!body.is_object()) {
    errors.with_field("inbound", "must be an object {enabled, imap_url, user, password, poll_interval_s}");
    return out;
  }
  for (auto& [key, _] : body.items()) {
    if (key == "password_set") {
      errors.with_field("inbound.password_set", "is read-only: set inbound.password to change the password");
    } else if (key != "enabled" && key != "imap_url" && key != "user" && key != "password" &&
               key != "poll_interval_s") {
      errors.with_field("inbound." + key, std::string(kUnknownField));
    }
  }
  if (body.contains("enabled")) {
    if (!body["enabled"].is_boolean()) {
      errors.with_field("inbound.enabled", "must be true or false");
    } else {
      out.next.enabled = body["enabled"].get<bool>();
    }
  }
  if (body.contains("imap_url")) {
    if (body["imap_url"].is_null()) {
      out.next.imap_url.clear();
    } else if (auto v = read_text(body["imap_url"], "inbound.imap_url", kMaxUrl, false, errors)) {
      if (auto problem = v->empty() ? std::nullopt : url_problem(*v)) {
        errors.with_field("inbound.imap_url", *problem);
      } else {
        out.next.imap_url = *v;
      }
    }
  }
  if (body.contains("user")) {
    if (body["user"].is_null()) {
      out.next.user.clear();
    } else if (auto v = read_text(body["user"], "inbound.user", kMaxUser, false, errors)) {
      out.next.user = *v;
    }
  }
  if (body.contains("password")) {
    if (body["password"].is_null()) {
      out.password = std::string();
    } else if (auto v = read_text(body["password"], "inbound.password", kMaxPassword, true, errors)) {
      out.password = *v;
    }
  }
  if (body.contains("poll_interval_s")) {
    const auto& p = body["poll_interval_s"];
    if (!p.is_number_integer() || p.get<std::int64_t>() < kMinPollInterval ||
        p.get<std::int64_t>() > kMaxPollInterval) {
      errors.with_field("inbound.poll_interval_s",
                        fmt::format("must be an integer from {} to {} (seconds)", kMinPollInterval, kMaxPollInterval));
    } else {
      out.next.poll_interval_s = p.get<std::int64_t>();
    }
  }
  if (errors.empty() && out.next.enabled) {
    if (out.next.imap_url.empty()) errors.with_field("inbound.imap_url", "is required to enable the inbound mailbox");
    if (out.next.user.empty()) errors.with_field("inbound.user", "is required to enable the inbound mailbox");
  }
  return out;
}

InboundMailbox inbound_mailbox_to_test(const InboundMailbox& stored, const nlohmann::json& body) {
  ValidationError errors;
  if (!body.is_object()) throw ValidationError("body", "must be an object {imap_url, user, password}");
  for (auto& [key, _] : body.items()) {
    if (key != "imap_url" && key != "user" && key != "password") errors.with_field(key, "is not a field of the test");
  }
  // The same rules as PATCH /api/settings {inbound}; its field names without the prefix.
  InboundSettings current;
  current.imap_url = stored.imap_url;
  current.user = stored.user;
  ValidationError patch_errors;
  const auto patch = apply_inbound_patch(current, body, patch_errors);
  for (const auto& f : patch_errors.errors()) {
    errors.with_field(f.field.starts_with("inbound.") ? f.field.substr(8) : f.field, f.message);
  }
  if (errors.empty()) {
    if (patch.next.imap_url.empty()) errors.with_field("imap_url", "is required to test the inbound mailbox");
    if (patch.next.user.empty()) errors.with_field("user", "is required to test the inbound mailbox");
  }
  if (!errors.empty()) throw errors;
  InboundMailbox target = stored;
  target.imap_url = patch.next.imap_url;
  target.user = patch.next.user;
  if (patch.password) target.password = *patch.password;
  return target;
}

}  // namespace herald::settings

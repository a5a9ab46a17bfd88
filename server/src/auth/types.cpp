#include "auth/types.hpp"

#include "auth/password.hpp"
#include "auth/permissions.hpp"
#include "core/email.hpp"
#include "core/errors.hpp"
#include "core/json_fields.hpp"
#include "core/strings.hpp"

namespace herald::auth {
namespace {

nlohmann::json opt(const std::optional<std::string>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }

// Reads an optional string field; records an error when present with the wrong type.
std::optional<std::string> string_field(const nlohmann::json& body, const char* name, ValidationError& errors,
                                        std::size_t max_len = 200) {
  if (!body.contains(name) || body[name].is_null()) return std::nullopt;
  if (!body[name].is_string()) {
    errors.with_field(name, "must be a string");
    return std::nullopt;
  }
  auto s = body[name].get<std::string>();
  if (s.size() > max_len) {
    errors.with_field(name, "must be at most " + std::to_string(max_len) + " characters");
    return std::nullopt;
  }
  return s;
}

std::optional<bool> bool_field(const nlohmann::json& body, const char* name, ValidationError& errors) {
  if (!body.contains(name) || body[name].is_null()) return std::nullopt;
  if (!body[name].is_boolean()) {
    errors.with_field(name, "must be true or false");
    return std::nullopt;
  }
  return body[name].get<bool>();
}

bool valid_role_name(std::string_view s) {
  if (s.empty() || s.size() > 50) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
  }
  return true;
}

}  // namespace

nlohmann::json to_json(const User& u) {
  return {{"id", u.id},
          {"email", u.email},
          {"name", u.name},
          {"role", u.role},
          {"active", u.active},
          {"created_at", u.created_at},
          {"updated_at", u.updated_at},
          {"last_login_at", opt(u.last_login_at)}};
}

nlohmann::json to_json(const Role& r) {
  return {{"id", r.id},           {"name", r.name},   {"description", r.description}, {"permissions", r.permissions},
          {"builtin", r.builtin}, {"users", r.users}, {"created_at", r.created_at},   {"updated_at", r.updated_at}};
}

nlohmann::json to_json(const ApiKey& k) {
  return {{"id", k.id},
          {"name", k.name},
          {"prefix", k.prefix},
          {"permissions", k.permissions},
          {"created_at", k.created_at},
          {"last_used_at", opt(k.last_used_at)},
          {"revoked_at", opt(k.revoked_at)}};
}

std::optional<std::string> normalise_email(std::string_view email) { return canonical_email(email); }

UserCreate parse_user_create(const nlohmann::json& body) {
  ValidationError errors;
  check_fields(body, {"email", "name", "role", "password", "active"}, errors);
  UserCreate u;
  auto email = string_field(body, "email", errors, 254);
  if (!email) {
    if (!body.contains("email")) errors.with_field("email", "is required");
  } else if (auto checked = check_email(*email); checked.ok()) {
    u.email = std::move(checked.address);
  } else {
    errors.with_field("email", checked.problem);
  }
  u.name = string_field(body, "name", errors).value_or("");
  if (auto role = string_field(body, "role", errors, 50)) u.role = *role;
  auto password = string_field(body, "password", errors, 1024);
  if (!password) {
    if (!body.contains("password")) errors.with_field("password", "is required");
  } else if (auto p = password_problem(*password); !p.empty()) {
    errors.with_field("password", p);
  } else {
    u.password = *password;
  }
  if (auto a = bool_field(body, "active", errors)) u.active = *a;
  if (!errors.empty()) throw errors;
  return u;
}

UserUpdate parse_user_update(const nlohmann::json& body) {
  ValidationError errors;
  UserUpdate u;
  check_fields(body, {"name", "role", "active", "password"}, errors, "cannot be changed here");
  u.name = string_field(body, "name", errors);
  u.role = string_field(body, "role", errors, 50);
  u.active = bool_field(body, "active", errors);
  u.password = string_field(body, "password", errors, 1024);
  if (u.password) {
    if (auto p = password_problem(*u.password); !p.empty()) errors.with_field("password", p);
  }
  if (!errors.empty()) throw errors;
  return u;
}

RoleInput parse_role_input(const nlohmann::json& body, bool creating) {
  ValidationError errors;
  check_fields(body, {"name", "description", "permissions"}, errors);
  RoleInput r;
  r.name = string_field(body, "name", errors, 50);
  if (r.name && !valid_role_name(*r.name)) errors.with_field("name", "use 1-50 lower-case letters, digits, '-' or '_'");
  if (creating && !body.contains("name")) errors.with_field("name", "is required");
  r.description = string_field(body, "description", errors, 500);
  if (body.contains("permissions")) {
    const auto& p = body["permissions"];
    if (!p.is_array()) {
      errors.with_field("permissions", "must be an array of permission names");
    } else {
      std::vector<std::string> perms;
      for (const auto& item : p) {
        if (!item.is_string() || !is_permission(item.get<std::string>())) {
          errors.with_field("permissions", "unknown permission " + item.dump());
          continue;
        }
        perms.push_back(item.get<std::string>());
      }
      std::sort(perms.begin(), perms.end());
      perms.erase(std::unique(perms.begin(), perms.end()), perms.end());
      r.permissions = perms;
    }
  } else if (creating) {
    errors.with_field("permissions", "is required");
  }
  if (!errors.empty()) throw errors;
  return r;
}

}  // namespace herald::auth

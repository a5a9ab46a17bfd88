// Users, roles, sessions and API keys as the service sees them, and their
// public JSON forms. A password hash or key hash never reaches to_json.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace herald::auth {

struct User {
  std::int64_t id = 0;
  std::string email;
  std::string name;
  std::string role;
  bool active = true;
  std::string created_at;
  std::string updated_at;
  std::optional<std::string> last_login_at;
};
nlohmann::json to_json(const User& u);

struct Role {
  std::int64_t id = 0;
  std::string name;
  std::string description;
  std::vector<std::string> permissions;
  bool builtin = false;
  std::int64_t users = 0;
  std::string created_at;
  std::string updated_at;
};
nlohmann::json to_json(const Role& r);

struct ApiKey {
  std::int64_t id = 0;
  std::string name;
  std::string prefix;
  std::vector<std::string> permissions;
  std::string created_at;
  std::optional<std::string> last_used_at;
  std::optional<std::string> revoked_at;
};
nlohmann::json to_json(const ApiKey& k);

// The login/refresh answer.
struct TokenPair {
  std::string access_token;
  std::string refresh_token;
  std::int64_t expires_in = 0;
};

// Validated input of create/update requests.
struct UserCreate {
  std::string email;
  std::string name;
  std::string role = "member";
  std::string password;
  bool active = true;
};
struct UserUpdate {
  std::optional<std::string> name;
  std::optional<std::string> role;
  std::optional<bool> active;
  std::optional<std::string> password;
};
struct RoleInput {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::vector<std::string>> permissions;
};

// Parsers: throw ValidationError naming each bad field.
UserCreate parse_user_create(const nlohmann::json& body);
UserUpdate parse_user_update(const nlohmann::json& body);
RoleInput parse_role_input(const nlohmann::json& body, bool creating);
// The canonical form of an address (core/email.hpp); empty optional when invalid.
std::optional<std::string> normalise_email(std::string_view email);

}  // namespace herald::auth

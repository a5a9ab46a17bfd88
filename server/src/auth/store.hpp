// SQL access for users, roles, sessions, refresh tokens and API keys.
// Each call takes the connection so the service decides the transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/types.hpp"
#include "storage/database.hpp"

namespace herald::auth {

using storage::Connection;

struct UserRow {
  User user;
  std::string password_hash;
};

struct PrincipalRow {
  std::string email;
  std::string role;
  bool active = false;
  std::int64_t role_version = 0;
  bool session_found = false;
  bool session_revoked = false;
  std::string session_expires_at;
};

struct RefreshRow {
  std::string session_id;
  bool used = false;
  std::int64_t user_id = 0;
  bool session_revoked = false;
  std::string session_expires_at;
};

struct ApiKeyRow {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::vector<std::string> permissions;
  bool revoked = false;
  std::optional<std::string> last_used_at;
  std::string email;
  std::string role;
  bool active = false;
  std::int64_t role_version = 0;
};

class Store {
 public:
  // roles
  std::vector<Role> list_roles(Connection& c) const;
  std::optional<Role> role_by_id(Connection& c, std::int64_t id) const;
  std::optional<std::pair<std::vector<std::string>, std::int64_t>> role_permissions(Connection& c,
                                                                                    std::string_view name) const;
  std::int64_t insert_role(Connection& c, const std::string& name, const std::string& description,
                           const std::vector<std::string>& permissions, const std::string& now) const;
  void upsert_builtin_role(Connection& c, std::string_view name, std::string_view description,
                           const std::vector<std::string>& permissions, const std::string& now) const;
  void update_role(Connection& c, const Role& r, const std::string& now) const;
  void delete_role(Connection& c, std::int64_t id) const;

  // users
  std::optional<UserRow> user_by_email(Connection& c, std::string_view email) const;
  std::optional<UserRow> user_by_id(Connection& c, std::int64_t id) const;
  std::vector<User> list_users(Connection& c, std::string_view like, std::int64_t limit, std::int64_t offset) const;
  std::int64_t count_users_like(Connection& c, std::string_view like) const;
  std::int64_t insert_user(Connection& c, const UserCreate& u, const std::string& hash, const std::string& now) const;
  void update_user(Connection& c, const User& u, const std::string& now) const;
  void set_password(Connection& c, std::int64_t id, const std::string& hash, const std::string& now) const;
  void delete_user(Connection& c, std::int64_t id) const;
  void touch_login(Connection& c, std::int64_t id, const std::string& now) const;
  std::int64_t count_users(Connection& c) const;
  std::int64_t count_active_admins(Connection& c) const;

  // sessions and refresh tokens
  std::optional<PrincipalRow> principal(Connection& c, std::int64_t user_id, std::string_view session_id) const;
  void insert_session(Connection& c, std::string_view id, std::int64_t user_id, const std::string& now,
                      const std::string& expires_at) const;
  void revoke_session(Connection& c, std::string_view id, const std::string& now, std::string_view why) const;
  void revoke_user_sessions(Connection& c, std::int64_t user_id, const std::string& now, std::string_view why) const;
  // Every session of the user but `keep` (the one changing the password).
  void revoke_other_sessions(Connection& c, std::int64_t user_id, std::string_view keep, const std::string& now,
                             std::string_view why) const;
  void insert_refresh(Connection& c, std::string_view hash, std::string_view session_id, const std::string& now) const;
  std::optional<RefreshRow> refresh(Connection& c, std::string_view hash) const;
  bool mark_refresh_used(Connection& c, std::string_view hash, const std::string& now) const;

  // API keys
  std::int64_t insert_api_key(Connection& c, std::int64_t user_id, const std::string& name, const std::string& prefix,
                              const std::string& hash, const std::vector<std::string>& permissions,
                              const std::string& now) const;
  std::vector<ApiKey> list_api_keys(Connection& c, std::int64_t user_id) const;
  std::optional<ApiKeyRow> api_key(Connection& c, std::string_view hash) const;
  bool revoke_api_key(Connection& c, std::int64_t id, std::int64_t user_id, const std::string& now) const;
  void revoke_user_api_keys(Connection& c, std::int64_t user_id, const std::string& now) const;
  void touch_api_key(Connection& c, std::int64_t id, const std::string& now) const;
};

std::vector<std::string> parse_permission_list(std::string_view json_text);
std::string permission_list_json(const std::vector<std::string>& permissions);

}  // namespace herald::auth

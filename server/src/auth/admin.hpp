// User, role and API-key management (the admin API and the CLI).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "auth/service.hpp"

namespace herald::auth {

struct UserPage {
  std::vector<User> items;
  std::int64_t total = 0;
};

struct CreatedApiKey {
  ApiKey key;
  std::string secret;  // shown once
};

class AdminService {
 public:
  explicit AdminService(AuthService& auth) : auth_(auth) {}

  UserPage list_users(std::string_view query, std::int64_t page, std::int64_t page_size);
  User get_user(std::int64_t id);
  User create_user(const UserCreate& input);
  User update_user(std::int64_t id, const UserUpdate& input);
  void delete_user(std::int64_t id, std::int64_t acting_user);

  std::vector<Role> list_roles();
  Role create_role(const RoleInput& input);
  Role update_role(std::int64_t id, const RoleInput& input);
  void delete_role(std::int64_t id);

  CreatedApiKey create_api_key(const http::Principal& who, const std::string& name,
                               const std::optional<std::vector<std::string>>& permissions);
  std::vector<ApiKey> list_api_keys(const http::Principal& who);
  void revoke_api_key(const http::Principal& who, std::int64_t id);

 private:
  void require_role_exists(storage::Connection& c, const std::string& role);
  // Throws Conflict when the change would leave no active admin.
  void protect_last_admin(storage::Connection& c, const User& before, bool stays_active_admin);

  AuthService& auth_;
};

}  // namespace herald::auth

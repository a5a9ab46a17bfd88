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
  // Changes made through the API follow the grant rule (auth/grants.hpp):
  // the actor must hold every permission of a role they assign, and every
  // permission of a user they change or delete; Forbidden otherwise.
  User create_user(const http::Principal& actor, const UserCreate& input);
  User update_user(const http::Principal& actor, std::int64_t id, const UserUpdate& input);
  void delete_user(const http::Principal& actor, std::int64_t id);
  // `herald user create`: whoever runs the shell command already holds everything.
  User create_user_from_shell(const UserCreate& input);

  std::vector<Role> list_roles();
  // The actor must hold every permission the role has and will have.
  Role create_role(const http::Principal& actor, const RoleInput& input);
  Role update_role(const http::Principal& actor, std::int64_t id, const RoleInput& input);
  void delete_role(std::int64_t id);

  // Only a signed-in session manages keys: a key cannot list, create or revoke keys.
  CreatedApiKey create_api_key(const http::Principal& who, const std::string& name,
                               const std::optional<std::vector<std::string>>& permissions);
  std::vector<ApiKey> list_api_keys(const http::Principal& who);
  void revoke_api_key(const http::Principal& who, std::int64_t id);
  // Any user's keys, for user managers; revoking needs every permission the owner holds.
  std::vector<ApiKey> list_user_api_keys(const http::Principal& who, std::int64_t user_id);
  void revoke_user_api_key(const http::Principal& who, std::int64_t user_id, std::int64_t key_id);

 private:
  User insert_user(const UserCreate& input, const http::Principal* actor);
  // The role's permissions; ValidationError naming `role` when there is no such role.
  std::vector<std::string> role_permissions(storage::Connection& c, const std::string& role);
  // Forbidden unless the actor holds every permission `user` holds.
  void require_holds_user(storage::Connection& c, const http::Principal& actor, const User& user,
                          std::string_view action);
  // Throws Conflict when the change would leave no active admin.
  void protect_last_admin(storage::Connection& c, const User& before, bool stays_active_admin);

  AuthService& auth_;
};

}  // namespace herald::auth

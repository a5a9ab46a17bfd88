#include "auth/store.hpp"

#include <algorithm>

#include "storage/query.hpp"

namespace herald::auth {

using storage::Param;
using storage::Row;
using sv = std::string_view;

namespace {

const storage::Query kRoleList{"auth.role_list"};
const storage::Query kRoleById{"auth.role_by_id"};
const storage::Query kRolePermissions{"auth.role_permissions"};
const storage::Query kRoleInsert{"auth.role_insert"};
const storage::Query kRoleUpsertBuiltin{"auth.role_upsert_builtin"};
const storage::Query kRoleUpdate{"auth.role_update"};
const storage::Query kRoleDelete{"auth.role_delete"};
const storage::Query kUserByEmail{"auth.user_columns_by_email"};
const storage::Query kUserById{"auth.user_by_id"};
const storage::Query kUserList{"auth.user_list"};
const storage::Query kUserCount{"auth.user_count"};
const storage::Query kUserInsert{"auth.user_insert"};
const storage::Query kUserUpdate{"auth.user_update"};
const storage::Query kUserSetPassword{"auth.user_set_password"};
const storage::Query kUserDelete{"auth.user_delete"};
const storage::Query kUserTouchLogin{"auth.user_touch_login"};
const storage::Query kCountUsers{"auth.count_users"};
const storage::Query kCountActiveAdmins{"auth.count_active_admins"};
const storage::Query kPrincipal{"auth.principal"};
const storage::Query kSessionInsert{"auth.session_insert"};
const storage::Query kSessionRevoke{"auth.session_revoke"};
const storage::Query kSessionsRevokeUser{"auth.sessions_revoke_user"};
const storage::Query kSessionsRevokeOthers{"auth.sessions_revoke_user_except"};
const storage::Query kRefreshInsert{"auth.refresh_insert"};
const storage::Query kRefreshGet{"auth.refresh_get"};
const storage::Query kRefreshMarkUsed{"auth.refresh_mark_used"};
const storage::Query kApiKeyInsert{"auth.api_key_insert"};
const storage::Query kApiKeyList{"auth.api_key_list"};
const storage::Query kApiKeyPrincipal{"auth.api_key_principal"};
const storage::Query kApiKeyRevoke{"auth.api_key_revoke"};
const storage::Query kApiKeysRevokeUser{"auth.api_keys_revoke_user"};
const storage::Query kApiKeyTouch{"auth.api_key_touch"};

Role role_from(const Row& r) {
  Role role;
  role.id = r.integer(0);
  role.name = r.str(1);
  role.description = r.str(2);
  role.permissions = parse_permission_list(r.text(3));
  role.builtin = r.boolean(4);
  role.created_at = r.str(6);
  role.updated_at = r.str(7);
  role.users = r.integer(8);
  return role;
}

UserRow user_from(const Row& r) {
  UserRow u;
  u.user.id = r.integer(0);
  u.user.email = r.str(1);
  u.user.name = r.str(2);
  u.user.role = r.str(3);
  u.password_hash = r.str(4);
  u.user.active = r.boolean(5);
  u.user.created_at = r.str(6);
  u.user.updated_at = r.str(7);
  u.user.last_login_at = r.opt_str(8);
  return u;
}

std::int64_t scalar(Connection& c, const storage::Query& sql, std::initializer_list<Param> params) {
  std::int64_t v = 0;
  c.execute(sql, params, [&](const Row& r) { v = r.integer(0); });
  return v;
}

}  // namespace

std::vector<std::string> parse_permission_list(std::string_view text) {
  auto doc = nlohmann::json::parse(text, nullptr, false);
  std::vector<std::string> out;
  if (!doc.is_array()) return out;
  for (const auto& p : doc) {
    if (p.is_string()) out.push_back(p.get<std::string>());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string permission_list_json(const std::vector<std::string>& permissions) {
  return nlohmann::json(permissions).dump();
}

std::vector<Role> Store::list_roles(Connection& c) const {
  std::vector<Role> out;
  c.execute(kRoleList, {}, [&](const Row& r) { out.push_back(role_from(r)); });
  return out;
}

std::optional<Role> Store::role_by_id(Connection& c, std::int64_t id) const {
  std::optional<Role> out;
  c.execute(kRoleById, {id}, [&](const Row& r) { out = role_from(r); });
  return out;
}

std::optional<std::pair<std::vector<std::string>, std::int64_t>> Store::role_permissions(Connection& c, sv name) const {
  std::optional<std::pair<std::vector<std::string>, std::int64_t>> out;
  c.execute(kRolePermissions, {name},
            [&](const Row& r) { out.emplace(parse_permission_list(r.text(0)), r.integer(1)); });
  return out;
}

std::int64_t Store::insert_role(Connection& c, const std::string& name, const std::string& description,
                                const std::vector<std::string>& permissions, const std::string& now) const {
  auto perms = permission_list_json(permissions);
  return scalar(c, kRoleInsert, {sv(name), sv(description), sv(perms), false, sv(now)});
}

void Store::upsert_builtin_role(Connection& c, sv name, sv description, const std::vector<std::string>& permissions,
                                const std::string& now) const {
  auto perms = permission_list_json(permissions);
  c.execute(kRoleUpsertBuiltin, {name, description, sv(perms), sv(now)});
}

void Store::update_role(Connection& c, const Role& r, const std::string& now) const {
  auto perms = permission_list_json(r.permissions);
  c.execute(kRoleUpdate, {r.id, sv(r.name), sv(r.description), sv(perms), sv(now)});
}

void Store::delete_role(Connection& c, std::int64_t id) const { c.execute(kRoleDelete, {id}); }

std::optional<UserRow> Store::user_by_email(Connection& c, sv email) const {
  std::optional<UserRow> out;
  c.execute(kUserByEmail, {email}, [&](const Row& r) { out = user_from(r); });
  return out;
}

std::optional<UserRow> Store::user_by_id(Connection& c, std::int64_t id) const {
  std::optional<UserRow> out;
  c.execute(kUserById, {id}, [&](const Row& r) { out = user_from(r); });
  return out;
}

std::vector<User> Store::list_users(Connection& c, sv like, std::int64_t limit, std::int64_t offset) const {
  std::vector<User> out;
  c.execute(kUserList, {like, limit, offset}, [&](const Row& r) { out.push_back(user_from(r).user); });
  return out;
}

std::int64_t Store::count_users_like(Connection& c, sv like) const { return scalar(c, kUserCount, {like}); }

std::int64_t Store::insert_user(Connection& c, const UserCreate& u, const std::string& hash,
                                const std::string& now) const {
  return scalar(c, kUserInsert, {sv(u.email), sv(u.name), sv(u.role), sv(hash), u.active, sv(now)});
}

void Store::update_user(Connection& c, const User& u, const std::string& now) const {
  c.execute(kUserUpdate, {u.id, sv(u.name), sv(u.role), u.active, sv(now)});
}

void Store::set_password(Connection& c, std::int64_t id, const std::string& hash, const std::string& now) const {
  c.execute(kUserSetPassword, {id, sv(hash), sv(now)});
}

void Store::delete_user(Connection& c, std::int64_t id) const { c.execute(kUserDelete, {id}); }

void Store::touch_login(Connection& c, std::int64_t id, const std::string& now) const {
  c.execute(kUserTouchLogin, {id, sv(now)});
}

std::int64_t Store::count_users(Connection& c) const { return scalar(c, kCountUsers, {}); }
std::int64_t Store::count_active_admins(Connection& c) const { return scalar(c, kCountActiveAdmins, {}); }

std::optional<PrincipalRow> Store::principal(Connection& c, std::int64_t user_id, sv session_id) const {
  std::optional<PrincipalRow> out;
  c.execute(kPrincipal, {user_id, session_id}, [&](const Row& r) {
    PrincipalRow p;
    p.email = r.str(0);
    p.role = r.str(1);
    p.active = r.boolean(2);
    p.role_version = r.integer(3);
    p.session_found = !r.is_null(5);
    p.session_revoked = !r.is_null(4);
    p.session_expires_at = r.str(5);
    out = std::move(p);
  });
  return out;
}

void Store::insert_session(Connection& c, sv id, std::int64_t user_id, const std::string& now,
                           const std::string& expires_at) const {
  c.execute(kSessionInsert, {id, user_id, sv(now), sv(expires_at)});
}

void Store::revoke_session(Connection& c, sv id, const std::string& now, sv why) const {
  c.execute(kSessionRevoke, {id, sv(now), why});
}

void Store::revoke_user_sessions(Connection& c, std::int64_t user_id, const std::string& now, sv why) const {
  c.execute(kSessionsRevokeUser, {user_id, sv(now), why});
}

void Store::revoke_other_sessions(Connection& c, std::int64_t user_id, sv keep, const std::string& now, sv why) const {
  c.execute(kSessionsRevokeOthers, {user_id, sv(now), why, keep});
}

void Store::insert_refresh(Connection& c, sv hash, sv session_id, const std::string& now) const {
  c.execute(kRefreshInsert, {hash, session_id, sv(now)});
}

std::optional<RefreshRow> Store::refresh(Connection& c, sv hash) const {
  std::optional<RefreshRow> out;
  c.execute(kRefreshGet, {hash}, [&](const Row& r) {
    RefreshRow row;
    row.session_id = r.str(0);
    row.used = !r.is_null(1);
    row.user_id = r.integer(2);
    row.session_revoked = !r.is_null(3);
    row.session_expires_at = r.str(4);
    out = std::move(row);
  });
  return out;
}

bool Store::mark_refresh_used(Connection& c, sv hash, const std::string& now) const {
  return c.execute(kRefreshMarkUsed, {hash, sv(now)}) == 1;
}

std::int64_t Store::insert_api_key(Connection& c, std::int64_t user_id, const std::string& name,
                                   const std::string& prefix, const std::string& hash,
                                   const std::vector<std::string>& permissions, const std::string& now) const {
  auto perms = permission_list_json(permissions);
  return scalar(c, kApiKeyInsert, {user_id, sv(name), sv(prefix), sv(hash), sv(perms), sv(now)});
}

std::vector<ApiKey> Store::list_api_keys(Connection& c, std::int64_t user_id) const {
  std::vector<ApiKey> out;
  c.execute(kApiKeyList, {user_id}, [&](const Row& r) {
    ApiKey k;
    k.id = r.integer(0);
    k.name = r.str(1);
    k.prefix = r.str(2);
    k.permissions = parse_permission_list(r.text(3));
    k.created_at = r.str(4);
    k.last_used_at = r.opt_str(5);
    k.revoked_at = r.opt_str(6);
    out.push_back(std::move(k));
  });
  return out;
}

std::optional<ApiKeyRow> Store::api_key(Connection& c, sv hash) const {
  std::optional<ApiKeyRow> out;
  c.execute(kApiKeyPrincipal, {hash}, [&](const Row& r) {
    ApiKeyRow k;
    k.id = r.integer(0);
    k.user_id = r.integer(1);
    k.permissions = parse_permission_list(r.text(2));
    k.revoked = !r.is_null(3);
    k.last_used_at = r.opt_str(4);
    k.email = r.str(5);
    k.role = r.str(6);
    k.active = r.boolean(7);
    k.role_version = r.integer(8);
    out = std::move(k);
  });
  return out;
}

bool Store::revoke_api_key(Connection& c, std::int64_t id, std::int64_t user_id, const std::string& now) const {
  return c.execute(kApiKeyRevoke, {id, user_id, sv(now)}) == 1;
}

void Store::revoke_user_api_keys(Connection& c, std::int64_t user_id, const std::string& now) const {
  c.execute(kApiKeysRevokeUser, {user_id, sv(now)});
}

void Store::touch_api_key(Connection& c, std::int64_t id, const std::string& now) const {
  c.execute(kApiKeyTouch, {id, sv(now)});
}

}  // namespace herald::auth

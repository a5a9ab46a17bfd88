#include "auth/store.hpp"

#include <algorithm>

#include "storage/queries.hpp"

namespace herald::auth {

using storage::Param;
using storage::Row;
using sv = std::string_view;

struct Store::Queries {
  explicit Queries(const storage::QueryCatalog& c)
      : role_list(c.get("auth.role_list")),
        role_by_id(c.get("auth.role_by_id")),
        role_permissions(c.get("auth.role_permissions")),
        role_insert(c.get("auth.role_insert")),
        role_upsert_builtin(c.get("auth.role_upsert_builtin")),
        role_update(c.get("auth.role_update")),
        role_delete(c.get("auth.role_delete")),
        user_by_email(c.get("auth.user_columns_by_email")),
        user_by_id(c.get("auth.user_by_id")),
        user_list(c.get("auth.user_list")),
        user_count(c.get("auth.user_count")),
        user_insert(c.get("auth.user_insert")),
        user_update(c.get("auth.user_update")),
        user_set_password(c.get("auth.user_set_password")),
        user_delete(c.get("auth.user_delete")),
        user_touch_login(c.get("auth.user_touch_login")),
        count_users(c.get("auth.count_users")),
        count_active_admins(c.get("auth.count_active_admins")),
        principal(c.get("auth.principal")),
        session_insert(c.get("auth.session_insert")),
        session_revoke(c.get("auth.session_revoke")),
        sessions_revoke_user(c.get("auth.sessions_revoke_user")),
        refresh_insert(c.get("auth.refresh_insert")),
        refresh_get(c.get("auth.refresh_get")),
        refresh_mark_used(c.get("auth.refresh_mark_used")),
        api_key_insert(c.get("auth.api_key_insert")),
        api_key_list(c.get("auth.api_key_list")),
        api_key_principal(c.get("auth.api_key_principal")),
        api_key_revoke(c.get("auth.api_key_revoke")),
        api_keys_revoke_user(c.get("auth.api_keys_revoke_user")),
        api_key_touch(c.get("auth.api_key_touch")) {}
  std::string role_list, role_by_id, role_permissions, role_insert, role_upsert_builtin, role_update, role_delete,
      user_by_email, user_by_id, user_list, user_count, user_insert, user_update, user_set_password, user_delete,
      user_touch_login, count_users, count_active_admins, principal, session_insert, session_revoke,
      sessions_revoke_user, refresh_insert, refresh_get, refresh_mark_used, api_key_insert, api_key_list,
      api_key_principal, api_key_revoke, api_keys_revoke_user, api_key_touch;
};

namespace {

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

std::int64_t scalar(Connection& c, const std::string& sql, std::initializer_list<Param> params) {
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

Store::Store(storage::Backend backend) : q_(std::make_shared<Queries>(storage::QueryCatalog::for_backend(backend))) {}

std::vector<Role> Store::list_roles(Connection& c) const {
  std::vector<Role> out;
  c.execute(q_->role_list, {}, [&](const Row& r) { out.push_back(role_from(r)); });
  return out;
}

std::optional<Role> Store::role_by_id(Connection& c, std::int64_t id) const {
  std::optional<Role> out;
  c.execute(q_->role_by_id, {id}, [&](const Row& r) { out = role_from(r); });
  return out;
}

std::optional<std::pair<std::vector<std::string>, std::int64_t>> Store::role_permissions(Connection& c, sv name) const {
  std::optional<std::pair<std::vector<std::string>, std::int64_t>> out;
  c.execute(q_->role_permissions, {name},
            [&](const Row& r) { out.emplace(parse_permission_list(r.text(0)), r.integer(1)); });
  return out;
}

std::int64_t Store::insert_role(Connection& c, const std::string& name, const std::string& description,
                                const std::vector<std::string>& permissions, const std::string& now) const {
  auto perms = permission_list_json(permissions);
  return scalar(c, q_->role_insert, {sv(name), sv(description), sv(perms), false, sv(now)});
}

void Store::upsert_builtin_role(Connection& c, sv name, sv description, const std::vector<std::string>& permissions,
                                const std::string& now) const {
  auto perms = permission_list_json(permissions);
  c.execute(q_->role_upsert_builtin, {name, description, sv(perms), sv(now)});
}

void Store::update_role(Connection& c, const Role& r, const std::string& now) const {
  auto perms = permission_list_json(r.permissions);
  c.execute(q_->role_update, {r.id, sv(r.name), sv(r.description), sv(perms), sv(now)});
}

void Store::delete_role(Connection& c, std::int64_t id) const { c.execute(q_->role_delete, {id}); }

std::optional<UserRow> Store::user_by_email(Connection& c, sv email) const {
  std::optional<UserRow> out;
  c.execute(q_->user_by_email, {email}, [&](const Row& r) { out = user_from(r); });
  return out;
}

std::optional<UserRow> Store::user_by_id(Connection& c, std::int64_t id) const {
  std::optional<UserRow> out;
  c.execute(q_->user_by_id, {id}, [&](const Row& r) { out = user_from(r); });
  return out;
}

std::vector<User> Store::list_users(Connection& c, sv like, std::int64_t limit, std::int64_t offset) const {
  std::vector<User> out;
  c.execute(q_->user_list, {like, limit, offset}, [&](const Row& r) { out.push_back(user_from(r).user); });
  return out;
}

std::int64_t Store::count_users_like(Connection& c, sv like) const { return scalar(c, q_->user_count, {like}); }

std::int64_t Store::insert_user(Connection& c, const UserCreate& u, const std::string& hash,
                                const std::string& now) const {
  return scalar(c, q_->user_insert, {sv(u.email), sv(u.name), sv(u.role), sv(hash), u.active, sv(now)});
}

void Store::update_user(Connection& c, const User& u, const std::string& now) const {
  c.execute(q_->user_update, {u.id, sv(u.name), sv(u.role), u.active, sv(now)});
}

void Store::set_password(Connection& c, std::int64_t id, const std::string& hash, const std::string& now) const {
  c.execute(q_->user_set_password, {id, sv(hash), sv(now)});
}

void Store::delete_user(Connection& c, std::int64_t id) const { c.execute(q_->user_delete, {id}); }

void Store::touch_login(Connection& c, std::int64_t id, const std::string& now) const {
  c.execute(q_->user_touch_login, {id, sv(now)});
}

std::int64_t Store::count_users(Connection& c) const { return scalar(c, q_->count_users, {}); }
std::int64_t Store::count_active_admins(Connection& c) const { return scalar(c, q_->count_active_admins, {}); }

std::optional<PrincipalRow> Store::principal(Connection& c, std::int64_t user_id, sv session_id) const {
  std::optional<PrincipalRow> out;
  c.execute(q_->principal, {user_id, session_id}, [&](const Row& r) {
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
  c.execute(q_->session_insert, {id, user_id, sv(now), sv(expires_at)});
}

void Store::revoke_session(Connection& c, sv id, const std::string& now, sv why) const {
  c.execute(q_->session_revoke, {id, sv(now), why});
}

void Store::revoke_user_sessions(Connection& c, std::int64_t user_id, const std::string& now, sv why) const {
  c.execute(q_->sessions_revoke_user, {user_id, sv(now), why});
}

void Store::insert_refresh(Connection& c, sv hash, sv session_id, const std::string& now) const {
  c.execute(q_->refresh_insert, {hash, session_id, sv(now)});
}

std::optional<RefreshRow> Store::refresh(Connection& c, sv hash) const {
  std::optional<RefreshRow> out;
  c.execute(q_->refresh_get, {hash}, [&](const Row& r) {
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
  return c.execute(q_->refresh_mark_used, {hash, sv(now)}) == 1;
}

std::int64_t Store::insert_api_key(Connection& c, std::int64_t user_id, const std::string& name,
                                   const std::string& prefix, const std::string& hash,
                                   const std::vector<std::string>& permissions, const std::string& now) const {
  auto perms = permission_list_json(permissions);
  return scalar(c, q_->api_key_insert, {user_id, sv(name), sv(prefix), sv(hash), sv(perms), sv(now)});
}

std::vector<ApiKey> Store::list_api_keys(Connection& c, std::int64_t user_id) const {
  std::vector<ApiKey> out;
  c.execute(q_->api_key_list, {user_id}, [&](const Row& r) {
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
  c.execute(q_->api_key_principal, {hash}, [&](const Row& r) {
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
  return c.execute(q_->api_key_revoke, {id, user_id, sv(now)}) == 1;
}

void Store::revoke_user_api_keys(Connection& c, std::int64_t user_id, const std::string& now) const {
  c.execute(q_->api_keys_revoke_user, {user_id, sv(now)});
}

void Store::touch_api_key(Connection& c, std::int64_t id, const std::string& now) const {
  c.execute(q_->api_key_touch, {id, sv(now)});
}

}  // namespace herald::auth

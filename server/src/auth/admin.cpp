#include "auth/admin.hpp"

#include <algorithm>

#include "auth/grants.hpp"
#include "auth/password.hpp"
#include "auth/permissions.hpp"
#include "core/crypto.hpp"
#include "core/errors.hpp"
#include "core/strings.hpp"

namespace herald::auth {
namespace {

// Lower-case LIKE pattern matching `query` anywhere, with LIKE's wildcards escaped.
std::string like_pattern(std::string_view query) {
  std::string out = "%";
  for (char c : to_lower_ascii(trim(query))) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out + "%";
}

// Keys are for integrations; managing keys takes a signed-in session, so a
// leaked key cannot mint, hide or revoke others.
void refuse_api_key(const http::Principal& who, std::string_view action) {
  if (who.api_key_id)
    throw Forbidden("an API key cannot " + std::string(action) + " API keys; sign in with a password to do that");
}

}  // namespace

UserPage AdminService::list_users(std::string_view query, std::int64_t page, std::int64_t page_size) {
  auto conn = auth_.database().acquire();
  auto like = like_pattern(query);
  UserPage out;
  out.total = auth_.store().count_users_like(*conn, like);
  out.items = auth_.store().list_users(*conn, like, page_size, (page - 1) * page_size);
  return out;
}

User AdminService::get_user(std::int64_t id) {
  auto conn = auth_.database().acquire();
  auto u = auth_.store().user_by_id(*conn, id);
  if (!u) throw NotFound("no user " + std::to_string(id));
  return u->user;
}

std::vector<std::string> AdminService::role_permissions(storage::Connection& c, const std::string& role) {
  auto perms = auth_.store().role_permissions(c, role);
  if (!perms) throw ValidationError("role", "no role named '" + role + "'");
  return perms->first;
}

void AdminService::require_holds_user(storage::Connection& c, const http::Principal& actor, const User& user,
                                      std::string_view action) {
  auto perms = auth_.store().role_permissions(c, user.role);
  if (!perms) return;  // a role that no longer exists grants nothing
  require_holds(actor, perms->first,
                std::string(action) + " user " + std::to_string(user.id) + " (role '" + user.role + "')");
}

User AdminService::create_user(const http::Principal& actor, const UserCreate& input) {
  return insert_user(input, &actor);
}

User AdminService::create_user_from_shell(const UserCreate& input) { return insert_user(input, nullptr); }

User AdminService::insert_user(const UserCreate& input, const http::Principal* actor) {
  auto hash = hash_password(input.password);  // outside the transaction: it takes a while
  auto conn = auth_.database().acquire();
  storage::Transaction tx(*conn, storage::TxMode::Write);
  auto perms = role_permissions(*conn, input.role);
  if (actor) require_holds(*actor, perms, "create a user with role '" + input.role + "'");
  std::int64_t id;
  try {
    id = auth_.store().insert_user(*conn, input, hash, auth_.now());
  } catch (const storage::UniqueViolation&) {
    throw Conflict("a user with email " + input.email + " already exists");
  }
  auto u = auth_.store().user_by_id(*conn, id);
  tx.commit();
  return u->user;
}

void AdminService::protect_last_admin(storage::Connection& c, const User& before, bool stays_active_admin) {
  bool was_active_admin = before.role == "admin" && before.active;
  if (was_active_admin && !stays_active_admin && auth_.store().count_active_admins(c) <= 1)
    throw Conflict("this is the last active admin; make another user admin first");
}

User AdminService::update_user(const http::Principal& actor, std::int64_t id, const UserUpdate& input) {
  std::optional<std::string> hash;
  if (input.password) hash = hash_password(*input.password);
  auto conn = auth_.database().acquire();
  storage::Transaction tx(*conn, storage::TxMode::Write);
  auto row = auth_.store().user_by_id(*conn, id);
  if (!row) throw NotFound("no user " + std::to_string(id));
  require_holds_user(*conn, actor, row->user, "change");
  User u = row->user;
  if (input.name) u.name = *input.name;
  if (input.role) {
    auto perms = role_permissions(*conn, *input.role);
    require_holds(actor, perms, "assign role '" + *input.role + "'");
    u.role = *input.role;
  }
  if (input.active) u.active = *input.active;
  protect_last_admin(*conn, row->user, u.role == "admin" && u.active);
  auth_.store().update_user(*conn, u, auth_.now());
  if (hash) auth_.store().set_password(*conn, id, *hash, auth_.now());
  if (row->user.active && !u.active) auth_.revoke_sessions(*conn, id, "deactivated");
  // Deactivation revokes the user's API keys for good; reactivating does not bring
  // them back (this also revokes keys left over from before that rule).
  if (row->user.active != u.active) auth_.store().revoke_user_api_keys(*conn, id, auth_.now());
  if (hash) auth_.revoke_sessions(*conn, id, "password changed");
  auto updated = auth_.store().user_by_id(*conn, id);
  tx.commit();
  return updated->user;
}

void AdminService::delete_user(const http::Principal& actor, std::int64_t id) {
  if (id == actor.user_id) throw Conflict("you cannot delete your own account");
  auto conn = auth_.database().acquire();
  storage::Transaction tx(*conn, storage::TxMode::Write);
  auto row = auth_.store().user_by_id(*conn, id);
  if (!row) throw NotFound("no user " + std::to_string(id));
  require_holds_user(*conn, actor, row->user, "delete");
  protect_last_admin(*conn, row->user, false);
  auth_.store().delete_user(*conn, id);  // sessions, refresh tokens and API keys go with it
  tx.commit();
}

std::vector<Role> AdminService::list_roles() {
  auto conn = auth_.database().acquire();
  return auth_.store().list_roles(*conn);
}

Role AdminService::create_role(const http::Principal& actor, const RoleInput& input) {
  require_holds(actor, *input.permissions, "create a role with these permissions");
  auto conn = auth_.database().acquire();
  storage::Transaction tx(*conn, storage::TxMode::Write);
  std::int64_t id;
  try {
    id = auth_.store().insert_role(*conn, *input.name, input.description.value_or(""), *input.permissions, auth_.now());
  } catch (const storage::UniqueViolation&) {
    throw Conflict("a role named '" + *input.name + "' already exists");
  }
  auto role = auth_.store().role_by_id(*conn, id);
  tx.commit();
  return *role;
}

Role AdminService::update_role(const http::Principal& actor, std::int64_t id, const RoleInput& input) {
  auto conn = auth_.database().acquire();
  storage::Transaction tx(*conn, storage::TxMode::Write);
  auto role = auth_.store().role_by_id(*conn, id);
  if (!role) throw NotFound("no role " + std::to_string(id));
  if (role->builtin) throw Conflict("built-in role '" + role->name + "' cannot be changed; create a custom role");
  require_holds(actor, role->permissions, "change role '" + role->name + "'");
  if (input.permissions) require_holds(actor, *input.permissions, "give role '" + role->name + "' these permissions");
  std::string old_name = role->name;
  if (input.name) role->name = *input.name;
  if (input.description) role->description = *input.description;
  if (input.permissions) role->permissions = *input.permissions;
  try {
    auth_.store().update_role(*conn, *role, auth_.now());
  } catch (const storage::UniqueViolation&) {
    throw Conflict("a role named '" + role->name + "' already exists");
  }
  auto updated = auth_.store().role_by_id(*conn, id);
  tx.commit();
  auth_.forget_role(old_name);
  return *updated;
}

void AdminService::delete_role(std::int64_t id) {
  auto conn = auth_.database().acquire();
  storage::Transaction tx(*conn, storage::TxMode::Write);
  auto role = auth_.store().role_by_id(*conn, id);
  if (!role) throw NotFound("no role " + std::to_string(id));
  if (role->builtin) throw Conflict("built-in role '" + role->name + "' cannot be deleted");
  if (role->users > 0)
    throw Conflict("role '" + role->name + "' is assigned to " + std::to_string(role->users) + " user(s)");
  auth_.store().delete_role(*conn, id);
  tx.commit();
  auth_.forget_role(role->name);
}

CreatedApiKey AdminService::create_api_key(const http::Principal& who, const std::string& name,
                                           const std::optional<std::vector<std::string>>& permissions) {
  refuse_api_key(who, "create");
  std::vector<std::string> perms = permissions.value_or(who.permissions);
  std::sort(perms.begin(), perms.end());
  perms.erase(std::unique(perms.begin(), perms.end()), perms.end());
  for (const auto& p : perms) {
    if (!who.has(p)) throw ValidationError("permissions", "you do not have '" + p + "' yourself");
  }
  CreatedApiKey out;
  out.secret = std::string(kApiKeyPrefix) + crypto::random_token(30);
  std::string prefix = out.secret.substr(0, 11);
  auto conn = auth_.database().acquire();
  auto id = auth_.store().insert_api_key(*conn, who.user_id, name, prefix, crypto::sha256_hex(out.secret), perms,
                                         auth_.now());
  for (auto& k : auth_.store().list_api_keys(*conn, who.user_id)) {
    if (k.id == id) out.key = k;
  }
  return out;
}

std::vector<ApiKey> AdminService::list_api_keys(const http::Principal& who) {
  refuse_api_key(who, "list");
  auto conn = auth_.database().acquire();
  return auth_.store().list_api_keys(*conn, who.user_id);
}

void AdminService::revoke_api_key(const http::Principal& who, std::int64_t id) {
  refuse_api_key(who, "revoke");
  auto conn = auth_.database().acquire();
  if (!auth_.store().revoke_api_key(*conn, id, who.user_id, auth_.now()))
    throw NotFound("no active API key " + std::to_string(id));
}

std::vector<ApiKey> AdminService::list_user_api_keys(const http::Principal& who, std::int64_t user_id) {
  refuse_api_key(who, "list");
  auto conn = auth_.database().acquire();
  if (!auth_.store().user_by_id(*conn, user_id)) throw NotFound("no user " + std::to_string(user_id));
  return auth_.store().list_api_keys(*conn, user_id);
}

void AdminService::revoke_user_api_key(const http::Principal& who, std::int64_t user_id, std::int64_t key_id) {
  refuse_api_key(who, "revoke");
  auto conn = auth_.database().acquire();
  storage::Transaction tx(*conn, storage::TxMode::Write);
  auto row = auth_.store().user_by_id(*conn, user_id);
  if (!row) throw NotFound("no user " + std::to_string(user_id));
  require_holds_user(*conn, who, row->user, "revoke an API key of");
  if (!auth_.store().revoke_api_key(*conn, key_id, user_id, auth_.now()))
    throw NotFound("user " + std::to_string(user_id) + " has no active API key " + std::to_string(key_id));
  tx.commit();
}

}  // namespace herald::auth

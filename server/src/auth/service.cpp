#include "auth/service.hpp"

#include <cstdio>

#include "auth/password.hpp"
#include "auth/permissions.hpp"
#include "core/crypto.hpp"
#include "core/errors.hpp"
#include "core/log.hpp"
#include "core/strings.hpp"
#include "core/time.hpp"
#include "storage/settings.hpp"

namespace herald::auth {
namespace {

constexpr std::string_view kBadCredentials = "invalid email or password";

std::string session_expiry(const Clock& clock) { return rfc3339(clock.wall() + kSessionTtl); }

}  // namespace

AuthService::AuthService(storage::Database& db, const Config& config, const Clock& clock, http::RateLimiter& limiter)
    : db_(db),
      config_(config),
      clock_(clock),
      limiter_(limiter),
      login_policy_{"login", config.login_rate_limit.count, config.login_rate_limit.window} {}

std::string AuthService::now() const { return rfc3339(clock_.wall()); }

void AuthService::bootstrap(bool create_first_admin) {
  auto conn = db_.acquire();
  storage::Transaction tx(*conn, storage::TxMode::Write);
  for (const auto& r : builtin_roles()) store_.upsert_builtin_role(*conn, r.name, r.description, r.permissions, now());

  if (config_.jwt_secret) {
    jwt_.secret = *config_.jwt_secret;
  } else {
    jwt_.secret = storage::put_setting_if_absent(*conn, "jwt_secret", crypto::random_token(48), now());
  }
  if (create_first_admin) ensure_first_admin(*conn);
  tx.commit();
}

void AuthService::ensure_first_admin(storage::Connection& c) {
  if (store_.count_users(c) > 0) return;
  UserCreate admin;
  admin.role = "admin";
  admin.name = "Administrator";
  bool generated = !config_.admin_password.has_value();
  auto email = normalise_email(config_.admin_email.value_or("admin@herald.local"));
  if (!email) throw ConfigError("HERALD_ADMIN_EMAIL", "is not a valid email address");
  admin.email = *email;
  admin.password = generated ? crypto::random_token(18) : *config_.admin_password;
  store_.insert_user(c, admin, hash_password(admin.password), now());
  if (generated) {
    // Printed once, on the terminal of whoever started the first run; never logged.
    std::fprintf(stderr,
                 "\n  First administrator created: %s\n  Password (shown once): %s\n  Change it after signing in.\n\n",
                 admin.email.c_str(), admin.password.c_str());
  }
  log::info("first administrator created", {{"email", admin.email}, {"generated_password", generated}});
}

std::vector<std::string> AuthService::permissions_of_role(storage::Connection& c, const std::string& role,
                                                          std::int64_t version) {
  {
    std::lock_guard lock(roles_mutex_);
    auto it = role_cache_.find(role);
    if (it != role_cache_.end() && it->second.first == version) return it->second.second;
  }
  auto row = store_.role_permissions(c, role);
  if (!row) return {};
  std::lock_guard lock(roles_mutex_);
  role_cache_[role] = {row->second, row->first};
  return row->first;
}

void AuthService::forget_role(const std::string& role) {
  std::lock_guard lock(roles_mutex_);
  role_cache_.erase(role);
}

LoginResult AuthService::issue(storage::Connection& c, const UserRow& u, const std::string& session_id) {
  LoginResult r;
  std::string refresh = crypto::random_token(32);
  store_.insert_refresh(c, crypto::sha256_hex(refresh), session_id, now());
  auto wall = clock_.wall();
  AccessClaims claims{u.user.id,          u.user.role,
                      session_id,         crypto::random_token(12),
                      unix_seconds(wall), unix_seconds(wall + kAccessTokenTtl)};
  r.tokens = {encode_jwt(claims, jwt_), refresh, kAccessTokenTtl.count()};
  r.user = u.user;
  auto perms = store_.role_permissions(c, u.user.role);
  r.permissions = perms ? perms->first : std::vector<std::string>{};
  return r;
}

LoginResult AuthService::login(std::string_view email_in, std::string_view password, std::string_view ip) {
  // The stored form (IDNA domain) when it is an address; as typed otherwise, so a
  // malformed one still costs a password check and counts against the limit.
  std::string email = normalise_email(email_in).value_or(to_lower_ascii(trim(email_in)));
  auto decision = limiter_.take("login:" + std::string(ip) + ":" + email, login_policy_);
  if (!decision.allowed) {
    TooManyRequests err("too many login attempts; retry in " + std::to_string(decision.retry_after_s) + " s");
    err.with_header("Retry-After", std::to_string(decision.retry_after_s));
    throw err;
  }
  auto conn = db_.acquire();
  auto user = store_.user_by_email(*conn, email);
  bool ok = false;
  if (user) {
    ok = verify_password(user->password_hash, password);
  } else {
    burn_verification_time(password);  // the same cost as a wrong password
  }
  if (!ok || !user->user.active) throw Unauthorized(std::string(kBadCredentials));

  storage::Transaction tx(*conn, storage::TxMode::Write);
  std::string session = crypto::random_token(18);
  store_.insert_session(*conn, session, user->user.id, now(), session_expiry(clock_));
  store_.touch_login(*conn, user->user.id, now());
  user->user.last_login_at = now();
  LoginResult r = issue(*conn, *user, session);
  tx.commit();
  return r;
}

LoginResult AuthService::refresh(std::string_view token) {
  if (token.empty() || token.size() > 200) throw Unauthorized("invalid refresh token");
  std::string hash = crypto::sha256_hex(token);
  auto conn = db_.acquire();
  storage::Transaction tx(*conn, storage::TxMode::Write);
  auto row = store_.refresh(*conn, hash);
  if (!row) throw Unauthorized("invalid refresh token");
  if (row->session_revoked || row->session_expires_at <= now()) throw Unauthorized("the session has ended");
  if (row->used || !store_.mark_refresh_used(*conn, hash, now())) {
    // A refresh token is good once: a replay means it leaked, so the whole family goes.
    store_.revoke_session(*conn, row->session_id, now(), "refresh token reused");
    tx.commit();
    log::warn("refresh token reuse: session revoked", {{"user_id", row->user_id}});
    throw Unauthorized("refresh token already used; the session has been revoked");
  }
  auto user = store_.user_by_id(*conn, row->user_id);
  if (!user || !user->user.active) throw Unauthorized("the account is disabled");
  LoginResult r = issue(*conn, *user, row->session_id);
  tx.commit();
  return r;
}

void AuthService::change_password(const http::Principal& who, std::string_view current, std::string_view password,
                                  std::string_view ip) {
  if (who.api_key_id || who.session_id.empty())
    throw Forbidden("an API key cannot change a password; sign in with the password to change it");
  auto decision = limiter_.take("login:" + std::string(ip) + ":" + who.email, login_policy_);
  if (!decision.allowed) {
    TooManyRequests err("too many password attempts; retry in " + std::to_string(decision.retry_after_s) + " s");
    err.with_header("Retry-After", std::to_string(decision.retry_after_s));
    throw err;
  }
  std::optional<UserRow> user;
  {
    auto conn = db_.acquire();
    user = store_.user_by_id(*conn, who.user_id);
  }
  if (!user || !user->user.active) throw Unauthorized("the account is disabled");
  if (!verify_password(user->password_hash, current))
    throw ValidationError("current_password", "is not your current password");
  if (password == current) throw ValidationError("password", "must differ from the current password");
  auto hash = hash_password(password);  // outside the transaction: it takes a while
  auto conn = db_.acquire();
  storage::Transaction tx(*conn, storage::TxMode::Write);
  store_.set_password(*conn, who.user_id, hash, now());
  store_.revoke_other_sessions(*conn, who.user_id, who.session_id, now(), "password changed");
  tx.commit();
}

void AuthService::logout(const http::Principal& who, std::optional<std::string_view> refresh_token) {
  auto conn = db_.acquire();
  storage::Transaction tx(*conn, storage::TxMode::Write);
  if (!who.session_id.empty()) store_.revoke_session(*conn, who.session_id, now(), "logout");
  if (refresh_token) {
    if (auto row = store_.refresh(*conn, crypto::sha256_hex(*refresh_token)); row && row->user_id == who.user_id)
      store_.revoke_session(*conn, row->session_id, now(), "logout");
  }
  tx.commit();
}

void AuthService::revoke_sessions(storage::Connection& c, std::int64_t user_id, std::string_view why) {
  store_.revoke_user_sessions(c, user_id, now(), why);
}

namespace {

std::string_view bearer_token(std::string_view header) {
  constexpr std::string_view kBearer = "Bearer ";
  if (header.size() <= kBearer.size() || !iequals_ascii(header.substr(0, kBearer.size()), kBearer))
    throw Unauthorized("a Bearer token is required");
  return trim(header.substr(kBearer.size()));
}

// The key a token is remembered under: the JWT itself (already held by the
// verified-token cache), an API key only as its hash.
std::string remember_key(std::string_view token) {
  return token.starts_with(kApiKeyPrefix) ? crypto::sha256_hex(token) : std::string(token);
}

}  // namespace

std::shared_ptr<const http::Principal> AuthService::authenticate(std::string_view header) {
  auto token = bearer_token(header);
  auto p = token.starts_with(kApiKeyPrefix) ? authenticate_api_key(token) : authenticate_jwt(token);
  if (p->has("system:read")) remember(remember_key(token), p);
  return p;
}

void AuthService::remember(const std::string& key, const std::shared_ptr<const http::Principal>& p) {
  constexpr std::size_t kMaxRemembered = 1000;
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(confirmed_mutex_);
  if (confirmed_.size() >= kMaxRemembered && !confirmed_.contains(key)) {
    std::erase_if(confirmed_, [&](const auto& e) { return now - e.second.at > kRememberPrincipals; });
    if (confirmed_.size() >= kMaxRemembered) confirmed_.clear();
  }
  confirmed_.insert_or_assign(key, Confirmed{p, now});
}

std::shared_ptr<const http::Principal> AuthService::remembered(std::string_view header) {
  auto token = bearer_token(header);
  if (!token.starts_with(kApiKeyPrefix)) verify_jwt(token);  // throws Unauthorized: expired, forged
  const auto key = remember_key(token);
  std::lock_guard lock(confirmed_mutex_);
  auto it = confirmed_.find(key);
  if (it == confirmed_.end() || std::chrono::steady_clock::now() - it->second.at > kRememberPrincipals) return nullptr;
  return it->second.principal;
}

AccessClaims AuthService::verify_jwt(std::string_view token) {
  constexpr std::size_t kMaxVerified = 10000;
  auto now = unix_seconds(clock_.wall());
  std::string key(token);
  {
    std::lock_guard lock(verified_mutex_);
    if (auto it = verified_.find(key); it != verified_.end()) {
      if (it->second.exp > now) return it->second;
      verified_.erase(it);
    }
  }
  auto result = decode_jwt(token, jwt_, now);
  if (!result.ok) throw Unauthorized(std::string(to_string(result.error)));
  std::lock_guard lock(verified_mutex_);
  if (verified_.size() >= kMaxVerified) verified_.clear();
  verified_.emplace(std::move(key), result.claims);
  return result.claims;
}

std::shared_ptr<const http::Principal> AuthService::authenticate_jwt(std::string_view token) {
  AccessClaims claims = verify_jwt(token);
  auto conn = db_.acquire();
  auto row = store_.principal(*conn, claims.sub, claims.sid);
  if (!row || !row->active) throw Unauthorized("the account is disabled");
  if (!row->session_found || row->session_revoked) throw Unauthorized("the session has ended");
  auto p = std::make_shared<http::Principal>();
  p->user_id = claims.sub;
  p->email = row->email;
  p->role = row->role;
  p->session_id = claims.sid;
  p->permissions = permissions_of_role(*conn, row->role, row->role_version);
  return p;
}

std::shared_ptr<const http::Principal> AuthService::authenticate_api_key(std::string_view token) {
  auto conn = db_.acquire();
  auto key = store_.api_key(*conn, crypto::sha256_hex(token));
  if (!key || key->revoked) throw Unauthorized("invalid API key");
  if (!key->active) throw Unauthorized("the account is disabled");
  auto p = std::make_shared<http::Principal>();
  p->user_id = key->user_id;
  p->email = key->email;
  p->role = key->role;
  p->api_key_id = key->id;
  // A key never grants more than its owner currently has.
  auto role_perms = permissions_of_role(*conn, key->role, key->role_version);
  std::set_intersection(key->permissions.begin(), key->permissions.end(), role_perms.begin(), role_perms.end(),
                        std::back_inserter(p->permissions));
  // last_used_at is advisory: written at most once a minute per key.
  auto stale = rfc3339(clock_.wall() - std::chrono::minutes(1));
  if (!key->last_used_at || *key->last_used_at < stale) {
    try {
      store_.touch_api_key(*conn, key->id, now());
    } catch (const storage::StorageFull&) {
      // The database cannot write (disk full): the key still works for reads.
    } catch (const storage::ReadOnly&) {
    }
  }
  return p;
}

User AuthService::me(const http::Principal& who) {
  auto conn = db_.acquire();
  auto u = store_.user_by_id(*conn, who.user_id);
  if (!u) throw Unauthorized("the account no longer exists");
  return u->user;
}

}  // namespace herald::auth

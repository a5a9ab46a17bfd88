// Authentication and authorisation: login with brute-force limits, access
// tokens (HS256 JWT, 15 min), rotating refresh tokens with reuse detection,
// API keys, and the principal behind every protected request.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "auth/jwt.hpp"
#include "auth/store.hpp"
#include "auth/types.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "http/middleware/rate_limit.hpp"
#include "http/principal.hpp"
#include "storage/database.hpp"

namespace herald::auth {

inline constexpr std::chrono::seconds kAccessTokenTtl{15 * 60};
inline constexpr std::chrono::hours kSessionTtl{24 * 30};
// How long a principal the database confirmed may stand in for it while the
// database is down (system:read routes only: the health report, queue statistics).
inline constexpr std::chrono::minutes kRememberPrincipals{5};

struct LoginResult {
  TokenPair tokens;
  User user;
  std::vector<std::string> permissions;
};

class AuthService {
 public:
  AuthService(storage::Database& db, const Config& config, const Clock& clock, http::RateLimiter& limiter);

  // Built-in roles, the JWT secret (generated once into the database when not
  // configured) and, unless told otherwise, the first admin on an empty database.
  void bootstrap(bool create_first_admin = true);

  // Throws Unauthorized (same message and cost for unknown email and wrong
  // password) or TooManyRequests. `ip` and email key the brute-force limit.
  LoginResult login(std::string_view email, std::string_view password, std::string_view ip);
  LoginResult refresh(std::string_view refresh_token);
  void logout(const http::Principal& who, std::optional<std::string_view> refresh_token);

  // "Bearer <jwt>" or "Bearer hk_..."; throws Unauthorized.
  std::shared_ptr<const http::Principal> authenticate(std::string_view authorization_header);
  // For when the database cannot be reached: the principal behind this
  // header as the database last confirmed it, if that was within
  // kRememberPrincipals and it holds system:read; nullptr otherwise. A JWT
  // is still verified (signature, expiry).
  std::shared_ptr<const http::Principal> remembered(std::string_view authorization_header);

  // The signed-in user's own password change (sessions only: an API key gets
  // Forbidden). Takes a token from the login limit of (ip, email) like a
  // login (TooManyRequests); a wrong current password is a ValidationError
  // naming current_password, a weak new one names password. Success revokes
  // every other session of the user (their refresh tokens die with them);
  // this session stays signed in.
  void change_password(const http::Principal& who, std::string_view current, std::string_view password,
                       std::string_view ip);

  std::vector<std::string> permissions_of_role(storage::Connection& c, const std::string& role, std::int64_t version);
  User me(const http::Principal& who);

  const Store& store() const noexcept { return store_; }
  storage::Database& database() noexcept { return db_; }
  const JwtSettings& jwt() const noexcept { return jwt_; }
  std::string now() const;

  // A user who just became inactive or was deleted loses every session at once.
  void revoke_sessions(storage::Connection& c, std::int64_t user_id, std::string_view why);
  void forget_role(const std::string& role);

 private:
  LoginResult issue(storage::Connection& c, const UserRow& user, const std::string& session_id);
  AccessClaims verify_jwt(std::string_view token);
  std::shared_ptr<const http::Principal> authenticate_jwt(std::string_view token);
  std::shared_ptr<const http::Principal> authenticate_api_key(std::string_view token);
  void ensure_first_admin(storage::Connection& c);

  storage::Database& db_;
  const Config& config_;
  const Clock& clock_;
  http::RateLimiter& limiter_;
  http::RatePolicy login_policy_;
  Store store_;
  JwtSettings jwt_;

  // Tokens whose signature and claims were verified, so a client's next
  // requests skip the HMAC and the JSON parse; expiry is still checked each time.
  std::mutex verified_mutex_;
  std::unordered_map<std::string, AccessClaims> verified_;

  // Principals with system:read the database confirmed, by token (the JWT, or
  // the API key's hash), and when: see remembered().
  struct Confirmed {
    std::shared_ptr<const http::Principal> principal;
    std::chrono::steady_clock::time_point at;
  };
  void remember(const std::string& key, const std::shared_ptr<const http::Principal>& p);
  std::mutex confirmed_mutex_;
  std::unordered_map<std::string, Confirmed> confirmed_;

  std::mutex roles_mutex_;
  std::unordered_map<std::string, std::pair<std::int64_t, std::vector<std::string>>> role_cache_;
};

// "hk_" + 40 random base64url characters; the first 11 characters are the displayed prefix.
inline constexpr std::string_view kApiKeyPrefix = "hk_";

}  // namespace herald::auth

// The auth module: sign-in, tokens, API keys, users and roles, and the
// authoriser every protected route goes through. Offers auth::Users
// (auth/interface.hpp).
#pragma once

#include "auth/admin.hpp"
#include "auth/authorizer.hpp"
#include "auth/routes.hpp"
#include "auth/service.hpp"
#include "auth/users.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "http/middleware/rate_limit.hpp"
#include "module/module.hpp"
#include "storage/database.hpp"

namespace herald::auth {

struct Deps {
  storage::Database& db;
  const Config& config;
  const Clock& clock;
  http::RateLimiter& limiter;  // the login's budget per address and email
  bool create_first_admin;     // on an empty database (`herald serve`)
};

class Module final : public herald::Module {
 public:
  // Writes the built-in roles and the JWT secret, and the first admin when asked.
  explicit Module(Deps deps);
  // The endpoints, and the authoriser.
  void contribute(Contributions& contributions) override;

  Users& users() noexcept { return users_; }
  // For `herald user create`.
  AdminService& admin() noexcept { return admin_; }

 private:
  AuthService auth_;
  AdminService admin_;
  Authorizer authorizer_;
  Routes routes_;
  UserDirectory users_;
};

}  // namespace herald::auth

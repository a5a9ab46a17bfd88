// The http::Authorizer: resolves the caller from the Authorization header
// and checks the route's access before its handler runs (401 / 403).
#pragma once

#include "auth/service.hpp"
#include "http/pipeline.hpp"

namespace herald::auth {

class Authorizer final : public http::Authorizer {
 public:
  explicit Authorizer(AuthService& auth) : auth_(auth) {}
  void authorize(http::Request& req, const http::Access& access) override;

 private:
  AuthService& auth_;
};

}  // namespace herald::auth

// Handlers for /api/auth/* and /api/admin/users, /api/admin/roles.
#pragma once

#include "auth/admin.hpp"
#include "auth/service.hpp"
#include "http/types.hpp"

namespace herald::http {
class Endpoints;
}  // namespace herald::http

namespace herald::auth {

class Routes {
 public:
  Routes(AuthService& auth, AdminService& admin) : auth_(auth), admin_(admin) {}

  http::Response login(http::Request& req);
  http::Response refresh(http::Request& req);
  http::Response logout(http::Request& req);
  http::Response me(http::Request& req);
  http::Response change_password(http::Request& req);

  http::Response list_api_keys(http::Request& req);
  http::Response create_api_key(http::Request& req);
  http::Response revoke_api_key(http::Request& req);
  http::Response list_user_api_keys(http::Request& req);
  http::Response revoke_user_api_key(http::Request& req);

  http::Response list_users(http::Request& req);
  http::Response get_user(http::Request& req);
  http::Response create_user(http::Request& req);
  http::Response update_user(http::Request& req);
  http::Response delete_user(http::Request& req);

  http::Response list_roles(http::Request& req);
  http::Response create_role(http::Request& req);
  http::Response update_role(http::Request& req);
  http::Response delete_role(http::Request& req);

 private:
  AuthService& auth_;
  AdminService& admin_;
};

// Adds these handlers, with their OpenAPI descriptions, under the names the
// route table (api/routes.cpp) uses (endpoints.cpp).
void add_endpoints(http::Endpoints& endpoints, Routes& routes);

}  // namespace herald::auth

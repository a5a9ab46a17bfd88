// Auth's handlers the route table names (sign-in, API keys, users and
// roles), with their OpenAPI descriptions.
#include "http/endpoints.hpp"
#include "auth/routes.hpp"

namespace herald::auth {

void add_endpoints(http::Endpoints& e, Routes& r) {
  using http::bind;
  using http::object_schema;
  const auto credentials = object_schema({{"email", "string"}, {"password", "string"}});
  const auto tokens = object_schema({{"token", "string"},
                                     {"refresh_token", "string"},
                                     {"expires_in", "integer"},
                                     {"user", "object"},
                                     {"permissions", "array"}});
  const nlohmann::json object = {{"type", "object"}};
  e.add("auth.login", bind(r, &Routes::login),
        {.summary = "Sign in with email and password", .tag = "auth", .request_body = credentials, .response = tokens});
  e.add("auth.refresh", bind(r, &Routes::refresh),
        {.summary = "Exchange a refresh token for new tokens (rotation)",
         .tag = "auth",
         .request_body = object_schema({{"refresh_token", "string"}}),
         .response = tokens});
  e.add("auth.logout", bind(r, &Routes::logout),
        {.summary = "End this session (and revoke the given refresh token)",
         .tag = "auth",
         .request_body = object_schema({{"refresh_token", "string"}}),
         .success_status = 204});
  e.add("auth.me", bind(r, &Routes::me),
        {.summary = "The signed-in user and permissions", .tag = "auth", .response = object});
  e.add("auth.password", bind(r, &Routes::change_password),
        {.summary = "Change your own password (signed-in sessions only; other sessions are signed out)",
         .tag = "auth",
         .request_body = object_schema({{"current_password", "string"}, {"password", "string"}}),
         .success_status = 204});

  e.add("api_keys.list", bind(r, &Routes::list_api_keys),
        {.summary = "Your API keys (signed-in sessions only)", .tag = "auth", .response = object});
  e.add("api_keys.create", bind(r, &Routes::create_api_key),
        {.summary = "Create an API key (the key is shown once; signed-in sessions only)",
         .tag = "auth",
         .request_body = object_schema({{"name", "string"}, {"permissions", "array"}}),
         .response = object,
         .success_status = 201});
  e.add("api_keys.revoke", bind(r, &Routes::revoke_api_key),
        {.summary = "Revoke one of your API keys (sessions only)", .tag = "auth", .success_status = 204});

  const auto user_body = object_schema(
      {{"email", "string"}, {"name", "string"}, {"role", "string"}, {"password", "string"}, {"active", "boolean"}});
  e.add("users.list", bind(r, &Routes::list_users),
        {.summary = "List and search users",
         .tag = "admin",
         .response = object,
         .query = {{"q", "search in email and name"}, {"page", "from 1"}, {"page_size", "1-200"}}});
  e.add("users.create", bind(r, &Routes::create_user),
        {.summary = "Create a user",
         .tag = "admin",
         .request_body = user_body,
         .response = object,
         .success_status = 201});
  e.add("users.get", bind(r, &Routes::get_user), {.summary = "One user", .tag = "admin", .response = object});
  e.add("users.update", bind(r, &Routes::update_user),
        {.summary = "Change a user's name, role, active flag or password",
         .tag = "admin",
         .request_body = user_body,
         .response = object});
  e.add("users.delete", bind(r, &Routes::delete_user),
        {.summary = "Delete a user", .tag = "admin", .success_status = 204});
  e.add("users.api_keys", bind(r, &Routes::list_user_api_keys),
        {.summary = "A user's API keys (signed-in sessions only)", .tag = "admin", .response = object});
  e.add(
      "users.api_key_revoke", bind(r, &Routes::revoke_user_api_key),
      {.summary = "Revoke one of a user's API keys (signed-in sessions only)", .tag = "admin", .success_status = 204});

  const auto role_body = object_schema({{"name", "string"}, {"description", "string"}, {"permissions", "array"}});
  e.add("roles.list", bind(r, &Routes::list_roles),
        {.summary = "Roles and their permissions", .tag = "admin", .response = object});
  e.add("roles.create", bind(r, &Routes::create_role),
        {.summary = "Create a custom role",
         .tag = "admin",
         .request_body = role_body,
         .response = object,
         .success_status = 201});
  e.add("roles.update", bind(r, &Routes::update_role),
        {.summary = "Change a custom role", .tag = "admin", .request_body = role_body, .response = object});
  e.add("roles.delete", bind(r, &Routes::delete_role),
        {.summary = "Delete a custom role that no user has", .tag = "admin", .success_status = 204});
}

}  // namespace herald::auth

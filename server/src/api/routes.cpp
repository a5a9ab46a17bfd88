#include "api/routes.hpp"

#include <mutex>

#include "api/openapi.hpp"

namespace herald::api {
namespace {

using http::Access;
using http::Method;
using http::RouteDoc;

// Binds a member function of a handler object.
template <typename T>
http::Handler bind(T& object, http::Response (T::*fn)(http::Request&)) {
  return [&object, fn](http::Request& req) { return (object.*fn)(req); };
}

const Access kPublic = Access::public_route();
const Access kSignedIn = Access::authenticated();
Access perm(std::string p) { return Access::permission_required(std::move(p)); }

// A state-changing route with its audit action.
void audited(http::Route& route, std::string action) { route.audit_action = std::move(action); }

nlohmann::json object_schema(std::initializer_list<std::pair<const char*, const char*>> props) {
  nlohmann::json s = {{"type", "object"}, {"properties", nlohmann::json::object()}};
  for (auto [name, type] : props) s["properties"][name] = {{"type", type}};
  return s;
}

}  // namespace

void register_routes(http::Router& r, Handlers& h, const std::string& version) {
  // ---- health ---------------------------------------------------------------
  r.add(Method::Get, "/api/health", bind(h.health, &health::Routes::live), kPublic,
        {.summary = "Liveness", .tag = "health", .response = object_schema({{"status", "string"}})});
  r.add(Method::Get, "/api/health/detailed", bind(h.health, &health::Routes::detailed), perm("system:read"),
        {.summary = "Health of every dependency with system usage",
         .tag = "health",
         .response = object_schema({{"status", "string"},
                                     {"version", "string"},
                                     {"uptime_s", "integer"},
                                     {"system", "object"},
                                     {"services", "object"}})});

  // ---- auth ---------------------------------------------------------------------
  auto& a = h.auth;
  const auto credentials = object_schema({{"email", "string"}, {"password", "string"}});
  const auto tokens = object_schema({{"token", "string"},
                                     {"refresh_token", "string"},
                                     {"expires_in", "integer"},
                                     {"user", "object"},
                                     {"permissions", "array"}});
  const auto refresh_body = object_schema({{"refresh_token", "string"}});
  audited(r.add(Method::Post, "/api/auth/login", bind(a, &auth::Routes::login), kPublic,
                {.summary = "Sign in with email and password", .tag = "auth", .request_body = credentials,
                 .response = tokens}),
          "LOGIN_SUCCEEDED");
  audited(r.add(Method::Post, "/api/auth/refresh", bind(a, &auth::Routes::refresh), kPublic,
                {.summary = "Exchange a refresh token for new tokens (rotation)", .tag = "auth",
                 .request_body = refresh_body, .response = tokens}),
          "TOKEN_REFRESHED");
  audited(r.add(Method::Post, "/api/auth/logout", bind(a, &auth::Routes::logout), kSignedIn,
                {.summary = "End this session", .tag = "auth", .success_status = 204}),
          "LOGOUT");
  r.add(Method::Get, "/api/auth/me", bind(a, &auth::Routes::me), kSignedIn,
        {.summary = "The signed-in user and permissions", .tag = "auth", .response = {{"type", "object"}}});
  r.add(Method::Get, "/api/auth/api-keys", bind(a, &auth::Routes::list_api_keys), kSignedIn,
        {.summary = "Your API keys", .tag = "auth", .response = {{"type", "object"}}});
  audited(r.add(Method::Post, "/api/auth/api-keys", bind(a, &auth::Routes::create_api_key), kSignedIn,
                {.summary = "Create an API key (the key is shown once)", .tag = "auth",
                 .request_body = object_schema({{"name", "string"}, {"permissions", "array"}}),
                 .response = {{"type", "object"}}, .success_status = 201}),
          "API_KEY_CREATED");
  audited(r.add(Method::Delete, "/api/auth/api-keys/{id}", bind(a, &auth::Routes::revoke_api_key), kSignedIn,
                {.summary = "Revoke an API key", .tag = "auth", .success_status = 204}),
          "API_KEY_REVOKED");

  // ---- admin: users and roles ----------------------------------------------------
  const auto user_body = object_schema(
      {{"email", "string"}, {"name", "string"}, {"role", "string"}, {"password", "string"}, {"active", "boolean"}});
  const auto role_body = object_schema({{"name", "string"}, {"description", "string"}, {"permissions", "array"}});
  r.add(Method::Get, "/api/admin/users", bind(a, &auth::Routes::list_users), perm("user:manage"),
        {.summary = "List and search users", .tag = "admin", .response = {{"type", "object"}},
         .query = {{"q", "search in email and name"}, {"page", "from 1"}, {"page_size", "1-200"}}});
  audited(r.add(Method::Post, "/api/admin/users", bind(a, &auth::Routes::create_user), perm("user:manage"),
                {.summary = "Create a user", .tag = "admin", .request_body = user_body,
                 .response = {{"type", "object"}}, .success_status = 201}),
          "USER_CREATED");
  r.add(Method::Get, "/api/admin/users/{id}", bind(a, &auth::Routes::get_user), perm("user:manage"),
        {.summary = "One user", .tag = "admin", .response = {{"type", "object"}}});
  audited(r.add(Method::Patch, "/api/admin/users/{id}", bind(a, &auth::Routes::update_user), perm("user:manage"),
                {.summary = "Change a user's name, role, active flag or password", .tag = "admin",
                 .request_body = user_body, .response = {{"type", "object"}}}),
          "USER_UPDATED");
  audited(r.add(Method::Delete, "/api/admin/users/{id}", bind(a, &auth::Routes::delete_user), perm("user:manage"),
                {.summary = "Delete a user", .tag = "admin", .success_status = 204}),
          "USER_DELETED");
  r.add(Method::Get, "/api/admin/roles", bind(a, &auth::Routes::list_roles), perm("role:manage"),
        {.summary = "Roles and their permissions", .tag = "admin", .response = {{"type", "object"}}});
  audited(r.add(Method::Post, "/api/admin/roles", bind(a, &auth::Routes::create_role), perm("role:manage"),
                {.summary = "Create a custom role", .tag = "admin", .request_body = role_body,
                 .response = {{"type", "object"}}, .success_status = 201}),
          "ROLE_CREATED");
  audited(r.add(Method::Patch, "/api/admin/roles/{id}", bind(a, &auth::Routes::update_role), perm("role:manage"),
                {.summary = "Change a custom role", .tag = "admin", .request_body = role_body,
                 .response = {{"type", "object"}}}),
          "ROLE_UPDATED");
  audited(r.add(Method::Delete, "/api/admin/roles/{id}", bind(a, &auth::Routes::delete_role), perm("role:manage"),
                {.summary = "Delete a custom role that no user has", .tag = "admin", .success_status = 204}),
          "ROLE_DELETED");

  // ---- admin: audit log ------------------------------------------------------------
  r.add(Method::Get, "/api/admin/audit-logs", bind(h.audit, &audit::Routes::list), perm("audit:read"),
        {.summary = "Audit entries, newest first (cursor pagination; format=csv exports)", .tag = "admin",
         .response = {{"type", "object"}},
         .query = {{"user_id", "actor"}, {"action", "e.g. USER_UPDATED"}, {"resource", "e.g. user/42"},
                   {"from", "RFC 3339, inclusive"}, {"to", "RFC 3339, exclusive"}, {"cursor", "next_cursor"},
                   {"limit", "1-200"}, {"format", "json or csv"}}});
  r.add(Method::Get, "/api/admin/audit-logs/verify", bind(h.audit, &audit::Routes::verify), perm("audit:read"),
        {.summary = "Walk the hash chain and report the first broken entry", .tag = "admin",
         .response = object_schema({{"valid", "boolean"}, {"checked", "integer"}, {"first_broken_id", "integer"}})});
  // ---- job queues -----------------------------------------------------------
  const nlohmann::json queue_stats = object_schema({{"name", "string"},
                                                    {"pending", "integer"},
                                                    {"scheduled", "integer"},
                                                    {"active", "integer"},
                                                    {"failed", "integer"},
                                                    {"processed_per_minute", "integer"},
                                                    {"oldest_pending_age_s", "number"}});
  r.add(Method::Get, "/api/admin/queues", bind(h.jobs, &jobs::Routes::list_queues), perm("system:read"),
        {.summary = "Backlog and throughput of every job queue",
         .tag = "admin",
         .response = {{"type", "object"},
                      {"properties", {{"queues", {{"type", "array"}, {"items", queue_stats}}}}}}});
  r.add(Method::Get, "/api/admin/queues/{queue}/failed", bind(h.jobs, &jobs::Routes::list_failed), perm("system:read"),
        {.summary = "Failed and dead jobs of a queue with their last error",
         .tag = "admin",
         .response = object_schema({{"items", "array"}, {"total", "integer"}, {"page", "integer"}, {"page_size", "integer"}}),
         .query = {{"page", "Page number, from 1"}, {"page_size", "Items per page, at most 200 (default 50)"}}});
  audited(r.add(Method::Post, "/api/admin/queues/{queue}/retry", bind(h.jobs, &jobs::Routes::retry),
                perm("system:read"),
                {.summary = "Retry a queue's failed jobs: all, or one with {\"job_id\": ...}",
                 .tag = "admin",
                 .request_body = object_schema({{"job_id", "string"}}),
                 .response = object_schema({{"retried", "integer"}})}),
          "QUEUE_RETRIED");

  // ---- the API description --------------------------------------------------
  // Built on first request, after every route above is registered.
  auto doc = std::make_shared<std::pair<std::once_flag, std::string>>();
  r.add(Method::Get, "/api/openapi.json",
        [&r, doc, version](http::Request&) {
          std::call_once(doc->first, [&] { doc->second = build_openapi(r, version).dump(); });
          return http::Response::json_text(200, doc->second);
        },
        kPublic, {.summary = "This API's OpenAPI 3.1 description", .tag = "meta", .response = {{"type", "object"}}});
}

}  // namespace herald::api

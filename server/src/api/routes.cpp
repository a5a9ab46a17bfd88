#include "api/routes.hpp"

#include <map>
#include <mutex>
#include <stdexcept>

#include "api/openapi.hpp"

namespace herald::api {
namespace {

using enum http::Method;
using enum http::RateClass;  // None · Api · Login · Public  (http/router.hpp)
using enum http::BodyLimit;  // Default (HERALD_MAX_BODY) · Import (HERALD_MAX_IMPORT)
using enum http::Runs;       // Inline (I/O thread) · Pool (handler threads: the handler waits)

}  // namespace

const std::vector<RouteSpec>& route_table() {
  // clang-format off
  static const std::vector<RouteSpec> routes = {
  // method  path                                  handler                  who may call          rate    body     runs    audit action
  // ---- health ------------------------------------------------------------------------------------------------------------------------
    {Get,    "/api/health",                        "health.live",           kAnyone,              None,   Default, Inline, ""},
    {Get,    "/api/health/live",                   "health.liveness",       kAnyone,              None,   Default, Inline, ""},
    {Get,    "/api/health/ready",                  "health.ready",          kAnyone,              None,   Default, Pool,   ""},
    {Get,    "/api/health/detailed",               "health.detailed",       "system:read",        Api,    Default, Pool,   ""},
  // ---- auth --------------------------------------------------------------------------------------------------------------------------
    {Post,   "/api/auth/login",                    "auth.login",            kAnyone,              Login,  Default, Pool,   "LOGIN_SUCCEEDED"},
    {Post,   "/api/auth/refresh",                  "auth.refresh",          kAnyone,              Api,    Default, Inline, "TOKEN_REFRESHED"},
    {Post,   "/api/auth/logout",                   "auth.logout",           kSignedIn,            Api,    Default, Inline, "LOGOUT"},
    {Get,    "/api/auth/me",                       "auth.me",               kSignedIn,            Api,    Default, Inline, ""},
    {Get,    "/api/auth/api-keys",                 "api_keys.list",         kSignedIn,            Api,    Default, Inline, ""},
    {Post,   "/api/auth/api-keys",                 "api_keys.create",       kSignedIn,            Api,    Default, Inline, "API_KEY_CREATED"},
    {Delete, "/api/auth/api-keys/{id}",            "api_keys.revoke",       kSignedIn,            Api,    Default, Inline, "API_KEY_REVOKED"},
  // ---- admin: users, roles, audit log, job queues ------------------------------------------------------------------------------------
    {Get,    "/api/admin/users",                   "users.list",            "user:manage",        Api,    Default, Inline, ""},
    {Post,   "/api/admin/users",                   "users.create",          "user:manage",        Api,    Default, Pool,   "USER_CREATED"},
    {Get,    "/api/admin/users/{id}",              "users.get",             "user:manage",        Api,    Default, Inline, ""},
    {Patch,  "/api/admin/users/{id}",              "users.update",          "user:manage",        Api,    Default, Pool,   "USER_UPDATED"},
    {Delete, "/api/admin/users/{id}",              "users.delete",          "user:manage",        Api,    Default, Inline, "USER_DELETED"},
    {Get,    "/api/admin/users/{id}/api-keys",     "users.api_keys",        "user:manage",        Api,    Default, Inline, ""},
    {Delete, "/api/admin/users/{id}/api-keys/{key_id}", "users.api_key_revoke", "user:manage",     Api,    Default, Inline, "API_KEY_REVOKED"},
    {Get,    "/api/admin/roles",                   "roles.list",            "role:manage",        Api,    Default, Inline, ""},
    {Post,   "/api/admin/roles",                   "roles.create",          "role:manage",        Api,    Default, Inline, "ROLE_CREATED"},
    {Patch,  "/api/admin/roles/{id}",              "roles.update",          "role:manage",        Api,    Default, Inline, "ROLE_UPDATED"},
    {Delete, "/api/admin/roles/{id}",              "roles.delete",          "role:manage",        Api,    Default, Inline, "ROLE_DELETED"},
    {Get,    "/api/admin/audit-logs",              "audit.list",            "audit:read",         Api,    Default, Pool,   ""},
    {Get,    "/api/admin/audit-logs/verify",       "audit.verify",          "audit:read",         Api,    Default, Pool,   ""},
    {Get,    "/api/admin/queues",                  "queues.list",           "system:read",        Api,    Default, Pool,   ""},
    {Get,    "/api/admin/queues/{queue}/failed",   "queues.failed",         "system:read",        Api,    Default, Pool,   ""},
    {Get,    "/api/admin/jobs/{id}",               "jobs.get",              "system:read",        Api,    Default, Inline, ""},
    {Post,   "/api/admin/queues/{queue}/retry",    "queues.retry",          "system:read",        Api,    Default, Pool,   "QUEUE_RETRIED"},
    {Get,    "/api/admin/system",                  "admin.system",          "system:read",        Api,    Default, Pool,   ""},
  // ---- leads (literal segments before /api/leads/{id}) -------------------------------------------------------------------------------
    {Get,    "/api/leads",                         "leads.list",            "lead:read",          Api,    Default, Inline, ""},
    {Post,   "/api/leads",                         "leads.create",          "lead:write",         Api,    Default, Inline, "LEAD_CREATED"},
    {Get,    "/api/leads/export",                  "leads.export",          "lead:export",        Api,    Default, Pool,   ""},
    {Post,   "/api/leads/import",                  "leads.import",          "lead:import",        Api,    Import,  Pool,   "LEAD_IMPORT_STARTED"},
    {Get,    "/api/leads/import/{job_id}",         "leads.import_status",   "lead:import",        Api,    Default, Inline, ""},
    {Get,    "/api/leads/import/{job_id}/errors",  "leads.import_errors",   "lead:import",        Api,    Default, Pool,   ""},
    {Post,   "/api/leads/bulk",                    "leads.bulk",            "lead:write",         Api,    Default, Pool,   "LEADS_BULK_UPDATED"},
    {Get,    "/api/leads/suppressions",            "suppressions.list",     "lead:read",          Api,    Default, Pool,   ""},
    {Post,   "/api/leads/suppressions",            "suppressions.create",   "lead:write",         Api,    Default, Inline, "SUPPRESSION_CREATED"},
    {Get,    "/api/leads/suppressions/{id}",       "suppressions.get",      "lead:read",          Api,    Default, Inline, ""},
    {Patch,  "/api/leads/suppressions/{id}",       "suppressions.update",   "lead:write",         Api,    Default, Inline, "SUPPRESSION_UPDATED"},
    {Delete, "/api/leads/suppressions/{id}",       "suppressions.delete",   "lead:write",         Api,    Default, Inline, "SUPPRESSION_DELETED"},
    {Get,    "/api/leads/{id}",                    "leads.get",             "lead:read",          Api,    Default, Inline, ""},
    {Patch,  "/api/leads/{id}",                    "leads.update",          "lead:write",         Api,    Default, Inline, "LEAD_UPDATED"},
    {Delete, "/api/leads/{id}",                    "leads.delete",          "lead:delete",        Api,    Default, Inline, "LEAD_DELETED"},
    {Get,    "/api/leads/{id}/gdpr-export",        "leads.gdpr_export",     "lead:export",        Api,    Default, Pool,   ""},
    {Post,   "/api/leads/{id}/gdpr-erase",         "leads.gdpr_erase",      "lead:delete",        Api,    Default, Inline, "LEAD_ERASED"},
    {Get,    "/api/segments",                      "segments.list",         "lead:read",          Api,    Default, Pool,   ""},
    {Post,   "/api/segments",                      "segments.create",       "lead:write",         Api,    Default, Pool,   "SEGMENT_CREATED"},
    {Get,    "/api/segments/{id}",                 "segments.get",          "lead:read",          Api,    Default, Pool,   ""},
    {Patch,  "/api/segments/{id}",                 "segments.update",       "lead:write",         Api,    Default, Pool,   "SEGMENT_UPDATED"},
    {Delete, "/api/segments/{id}",                 "segments.delete",       "lead:write",         Api,    Default, Inline, "SEGMENT_DELETED"},
  // ---- the API description and the metrics ------------------------------------------------------------------------------------------
    {Get,    "/api/openapi.json",                  "api.openapi",           kAnyone,              Api,    Default, Inline, ""},
    {Get,    "/metrics",                           "metrics.scrape",        kAnyone,              None,   Default, Pool,   ""},
  };
  // clang-format on
  return routes;
}

namespace {

bool changes_state(http::Method m) {
  return m == http::Method::Post || m == http::Method::Put || m == http::Method::Patch || m == http::Method::Delete;
}

std::string describe(const RouteSpec& r) { return std::string(http::to_string(r.method)) + " " + r.path; }

// GET /api/openapi.json, built once on first request, when every route is in.
void add_openapi(http::Endpoints& endpoints, const http::Router& router, const std::string& version) {
  auto doc = std::make_shared<std::pair<std::once_flag, std::string>>();
  endpoints.add("api.openapi",
                [&router, doc, version](http::Request&) {
                  std::call_once(doc->first, [&] { doc->second = build_openapi(router, version).dump(); });
                  return http::Response::json_text(200, doc->second);
                },
                {.summary = "This API's OpenAPI 3.1 description", .tag = "meta", .response = {{"type", "object"}}});
}

}  // namespace

void mount(http::Router& router, http::Endpoints& endpoints, const std::string& version) {
  add_openapi(endpoints, router, version);
  std::map<std::string, std::string, std::less<>> routed;  // handler -> route
  for (const auto& spec : route_table()) {
    const http::Endpoint* endpoint = endpoints.find(spec.handler);
    if (!endpoint)
      throw std::logic_error(describe(spec) + " names handler '" + spec.handler + "', which no module adds");
    if (auto [it, fresh] = routed.emplace(spec.handler, describe(spec)); !fresh)
      throw std::logic_error("handler '" + spec.handler + "' is on two routes: " + it->second + ", " + describe(spec));
    if (changes_state(spec.method) == spec.audit.empty())
      throw std::logic_error(describe(spec) + (spec.audit.empty() ? " changes state but has no audit action"
                                                                  : " changes nothing but has an audit action"));
    auto& route = router.add(spec.method, spec.path, endpoint->handler, spec.access, endpoint->doc);
    route.body_sink = endpoint->sink;
    route.rate = spec.rate;
    route.body_limit = spec.body;
    route.runs = spec.runs;
    route.audit_action = spec.audit;
  }
  for (const auto& name : endpoints.names()) {
    if (!routed.contains(name)) throw std::logic_error("handler '" + name + "' is on no route in api/routes.cpp");
  }
}

}  // namespace herald::api

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
Access perm(std::string p) { return Access::permission_required(std::move(p)); }

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
  r.add(Method::Post, "/api/admin/queues/{queue}/retry", bind(h.jobs, &jobs::Routes::retry), perm("system:read"),
        {.summary = "Retry a queue's failed jobs: all, or one with {\"job_id\": ...}",
         .tag = "admin",
         .request_body = object_schema({{"job_id", "string"}}),
         .response = object_schema({{"retried", "integer"}})});

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

#include "api/routes.hpp"

#include <mutex>

#include "api/openapi.hpp"

namespace herald::api {
namespace {

using http::Access;
using http::Method;

// Binds a member function of a handler object.
template <typename T>
http::Handler bind(T& object, http::Response (T::*fn)(http::Request&)) {
  return [&object, fn](http::Request& req) { return (object.*fn)(req); };
}

// Binds a member function that opens a streamed upload's sink.
template <typename T>
http::BodySinkFactory bind_sink(T& object, std::unique_ptr<http::BodySink> (T::*fn)(http::Request&)) {
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
                {.summary = "Sign in with email and password",
                 .tag = "auth",
                 .request_body = credentials,
                 .response = tokens}),
          "LOGIN_SUCCEEDED");
  audited(r.add(Method::Post, "/api/auth/refresh", bind(a, &auth::Routes::refresh), kPublic,
                {.summary = "Exchange a refresh token for new tokens (rotation)",
                 .tag = "auth",
                 .request_body = refresh_body,
                 .response = tokens}),
          "TOKEN_REFRESHED");
  audited(r.add(Method::Post, "/api/auth/logout", bind(a, &auth::Routes::logout), kSignedIn,
                {.summary = "End this session (and revoke the given refresh token)",
                 .tag = "auth",
                 .request_body = refresh_body,
                 .success_status = 204}),
          "LOGOUT");
  r.add(Method::Get, "/api/auth/me", bind(a, &auth::Routes::me), kSignedIn,
        {.summary = "The signed-in user and permissions", .tag = "auth", .response = {{"type", "object"}}});
  r.add(Method::Get, "/api/auth/api-keys", bind(a, &auth::Routes::list_api_keys), kSignedIn,
        {.summary = "Your API keys (signed-in sessions only)", .tag = "auth", .response = {{"type", "object"}}});
  audited(r.add(Method::Post, "/api/auth/api-keys", bind(a, &auth::Routes::create_api_key), kSignedIn,
                {.summary = "Create an API key (the key is shown once; signed-in sessions only)",
                 .tag = "auth",
                 .request_body = object_schema({{"name", "string"}, {"permissions", "array"}}),
                 .response = {{"type", "object"}},
                 .success_status = 201}),
          "API_KEY_CREATED");
  audited(r.add(Method::Delete, "/api/auth/api-keys/{id}", bind(a, &auth::Routes::revoke_api_key), kSignedIn,
                {.summary = "Revoke one of your API keys (sessions only)", .tag = "auth", .success_status = 204}),
          "API_KEY_REVOKED");

  // ---- admin: users and roles ----------------------------------------------------
  const auto user_body = object_schema(
      {{"email", "string"}, {"name", "string"}, {"role", "string"}, {"password", "string"}, {"active", "boolean"}});
  const auto role_body = object_schema({{"name", "string"}, {"description", "string"}, {"permissions", "array"}});
  r.add(Method::Get, "/api/admin/users", bind(a, &auth::Routes::list_users), perm("user:manage"),
        {.summary = "List and search users",
         .tag = "admin",
         .response = {{"type", "object"}},
         .query = {{"q", "search in email and name"}, {"page", "from 1"}, {"page_size", "1-200"}}});
  audited(r.add(Method::Post, "/api/admin/users", bind(a, &auth::Routes::create_user), perm("user:manage"),
                {.summary = "Create a user",
                 .tag = "admin",
                 .request_body = user_body,
                 .response = {{"type", "object"}},
                 .success_status = 201}),
          "USER_CREATED");
  r.add(Method::Get, "/api/admin/users/{id}", bind(a, &auth::Routes::get_user), perm("user:manage"),
        {.summary = "One user", .tag = "admin", .response = {{"type", "object"}}});
  audited(r.add(Method::Patch, "/api/admin/users/{id}", bind(a, &auth::Routes::update_user), perm("user:manage"),
                {.summary = "Change a user's name, role, active flag or password",
                 .tag = "admin",
                 .request_body = user_body,
                 .response = {{"type", "object"}}}),
          "USER_UPDATED");
  audited(r.add(Method::Delete, "/api/admin/users/{id}", bind(a, &auth::Routes::delete_user), perm("user:manage"),
                {.summary = "Delete a user", .tag = "admin", .success_status = 204}),
          "USER_DELETED");
  r.add(Method::Get, "/api/admin/users/{id}/api-keys", bind(a, &auth::Routes::list_user_api_keys), perm("user:manage"),
        {.summary = "A user's API keys (signed-in sessions only)", .tag = "admin", .response = {{"type", "object"}}});
  audited(r.add(Method::Delete, "/api/admin/users/{id}/api-keys/{key_id}", bind(a, &auth::Routes::revoke_user_api_key),
                perm("user:manage"),
                {.summary = "Revoke one of a user's API keys (signed-in sessions only)",
                 .tag = "admin",
                 .success_status = 204}),
          "API_KEY_REVOKED");
  r.add(Method::Get, "/api/admin/roles", bind(a, &auth::Routes::list_roles), perm("role:manage"),
        {.summary = "Roles and their permissions", .tag = "admin", .response = {{"type", "object"}}});
  audited(r.add(Method::Post, "/api/admin/roles", bind(a, &auth::Routes::create_role), perm("role:manage"),
                {.summary = "Create a custom role",
                 .tag = "admin",
                 .request_body = role_body,
                 .response = {{"type", "object"}},
                 .success_status = 201}),
          "ROLE_CREATED");
  audited(r.add(Method::Patch, "/api/admin/roles/{id}", bind(a, &auth::Routes::update_role), perm("role:manage"),
                {.summary = "Change a custom role",
                 .tag = "admin",
                 .request_body = role_body,
                 .response = {{"type", "object"}}}),
          "ROLE_UPDATED");
  audited(r.add(Method::Delete, "/api/admin/roles/{id}", bind(a, &auth::Routes::delete_role), perm("role:manage"),
                {.summary = "Delete a custom role that no user has", .tag = "admin", .success_status = 204}),
          "ROLE_DELETED");

  // ---- admin: audit log ------------------------------------------------------------
  r.add(Method::Get, "/api/admin/audit-logs", bind(h.audit, &audit::Routes::list), perm("audit:read"),
        {.summary = "Audit entries, newest first (cursor pagination; format=csv exports)",
         .tag = "admin",
         .response = {{"type", "object"}},
         .query = {{"user_id", "actor"},
                   {"action", "e.g. USER_UPDATED"},
                   {"resource", "e.g. user/42"},
                   {"from", "RFC 3339, inclusive"},
                   {"to", "RFC 3339, exclusive"},
                   {"cursor", "next_cursor"},
                   {"limit", "1-200"},
                   {"format", "json or csv"}}});
  r.add(Method::Get, "/api/admin/audit-logs/verify", bind(h.audit, &audit::Routes::verify), perm("audit:read"),
        {.summary = "Walk the hash chain and report the first broken entry",
         .tag = "admin",
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
         .response = {{"type", "object"}, {"properties", {{"queues", {{"type", "array"}, {"items", queue_stats}}}}}}});
  r.add(Method::Get, "/api/admin/queues/{queue}/failed", bind(h.jobs, &jobs::Routes::list_failed), perm("system:read"),
        {.summary = "Failed and dead jobs of a queue with their last error",
         .tag = "admin",
         .response =
             object_schema({{"items", "array"}, {"total", "integer"}, {"page", "integer"}, {"page_size", "integer"}}),
         .query = {{"page", "Page number, from 1"}, {"page_size", "Items per page, at most 200 (default 50)"}}});
  r.add(Method::Get, "/api/admin/jobs/{id}", bind(h.jobs, &jobs::Routes::get_job), perm("system:read"),
        {.summary = "One job: status (queued, scheduled, retrying, running, completed, failed, cancelled, dead), "
                    "attempts, the last error and, while retrying, the time of the next attempt",
         .tag = "admin",
         .response = object_schema({{"id", "string"},
                                    {"queue", "string"},
                                    {"name", "string"},
                                    {"status", "string"},
                                    {"attempts", "integer"},
                                    {"max_attempts", "integer"},
                                    {"error", "string"},
                                    {"next_attempt_at", "string"}})});
  audited(
      r.add(Method::Post, "/api/admin/queues/{queue}/retry", bind(h.jobs, &jobs::Routes::retry), perm("system:read"),
            {.summary = "Retry a queue's failed jobs: all, or one with {\"job_id\": ...}",
             .tag = "admin",
             .request_body = object_schema({{"job_id", "string"}}),
             .response = object_schema({{"retried", "integer"}})}),
      "QUEUE_RETRIED");

  // ---- leads -------------------------------------------------------------------------
  auto& l = h.leads;
  const auto lead = nlohmann::json{{"type", "object"}};
  const auto lead_body = object_schema({{"email", "string"},
                                        {"first_name", "string"},
                                        {"last_name", "string"},
                                        {"company", "string"},
                                        {"title", "string"},
                                        {"phone", "string"},
                                        {"website", "string"},
                                        {"country", "string"},
                                        {"timezone", "string"},
                                        {"status", "string"},
                                        {"score", "integer"},
                                        {"owner_id", "integer"},
                                        {"tags", "array"},
                                        {"custom_fields", "object"},
                                        {"source", "string"}});
  const std::vector<std::pair<std::string, std::string>> filter_query = {
      {"q", "search in email, first and last name, company"},
      {"status", "any of (comma-separated)"},
      {"tag", "has any of these tags"},
      {"not_tag", "has none of these tags"},
      {"owner_id", "user id, or none"},
      {"country", "any of"},
      {"source", "exact"},
      {"created_from", "RFC 3339, inclusive"},
      {"created_to", "RFC 3339, exclusive"},
      {"score_min", "0-100"},
      {"score_max", "0-100"},
      {"cf.<field>", "custom field equals"},
      {"segment_id", "also matches this saved segment"}};
  auto list_query = filter_query;
  list_query.insert(list_query.end(), {{"sort",
                                        "id, created_at, updated_at, email, first_name, last_name, company, "
                                        "score, status, country; '-' for descending (default -id)"},
                                       {"page", "from 1"},
                                       {"page_size", "1-200"},
                                       {"cursor", "next_cursor of the previous page (id order)"}});
  r.add(Method::Get, "/api/leads", bind(l, &leads::Routes::list), perm("lead:read"),
        {.summary = "List, search and filter leads",
         .tag = "leads",
         .response = {{"type", "object"}},
         .query = list_query});
  audited(r.add(Method::Post, "/api/leads", bind(l, &leads::Routes::create), perm("lead:write"),
                {.summary = "Create a lead",
                 .tag = "leads",
                 .request_body = lead_body,
                 .response = lead,
                 .success_status = 201}),
          "LEAD_CREATED");
  r.add(Method::Get, "/api/leads/export", bind(l, &leads::Routes::export_csv), perm("lead:export"),
        {.summary = "Export the leads of a filter as CSV (streamed)",
         .tag = "leads",
         .response = {{"type", "string"}},
         .response_content_type = "text/csv",
         .query = filter_query});
  auto& import = r.add(Method::Post, "/api/leads/import", nullptr, perm("lead:import"),
                       {.summary = "Upload a CSV of leads (text/csv body or multipart file field); applied in the "
                                   "background",
                        .tag = "leads",
                        .response = object_schema({{"job_id", "string"}, {"status", "string"}}),
                        .success_status = 202,
                        .query = {{"mode", "create_only (default), upsert or update_only"},
                                  {"tag", "tags to add to every imported lead"},
                                  {"list", "a list name: tagged, and a segment of that name"},
                                  {"mapping", "JSON object: CSV header -> lead field, cf.<key> or ignore"},
                                  {"source", "source of created leads (default import)"},
                                  {"filename", "name of the file, for the record"}}});
  import.body_limit = http::BodyLimit::Import;
  import.body_sink = bind_sink(l, &leads::Routes::open_import);
  audited(import, "LEAD_IMPORT_STARTED");
  r.add(Method::Get, "/api/leads/import/{job_id}", bind(l, &leads::Routes::import_status), perm("lead:import"),
        {.summary = "Progress and report of an import: status queued, running, retrying (with error and "
                    "next_attempt_at), completed or failed (with error)",
         .tag = "leads",
         .response = object_schema({{"job_id", "string"},
                                    {"status", "string"},
                                    {"rows", "integer"},
                                    {"created", "integer"},
                                    {"updated", "integer"},
                                    {"skipped", "integer"},
                                    {"failed", "integer"},
                                    {"percent", "integer"},
                                    {"errors", "array"},
                                    {"error", "string"},
                                    {"next_attempt_at", "string"},
                                    {"queue_job_id", "string"}})});
  r.add(Method::Get, "/api/leads/import/{job_id}/errors", bind(l, &leads::Routes::import_errors), perm("lead:import"),
        {.summary = "The import's per-row report as CSV (line, kind, reason)",
         .tag = "leads",
         .response = {{"type", "string"}},
         .response_content_type = "text/csv"});
  audited(r.add(Method::Post, "/api/leads/bulk", bind(l, &leads::Routes::bulk), perm("lead:write"),
                {.summary = "Tag, untag, set status or owner of, or delete (lead:delete) leads by ids or filter",
                 .tag = "leads",
                 .request_body = object_schema({{"action", "string"},
                                                {"tag", "string"},
                                                {"status", "string"},
                                                {"owner_id", "integer"},
                                                {"ids", "array"},
                                                {"filter", "object"}}),
                 .response = object_schema({{"action", "string"}, {"count", "integer"}})}),
          "LEADS_BULK_UPDATED");

  // Suppressions before /api/leads/{id}/…: literal segments first.
  const auto suppression_body =
      object_schema({{"email", "string"}, {"domain", "string"}, {"reason", "string"}, {"note", "string"}});
  r.add(Method::Get, "/api/leads/suppressions", bind(l, &leads::Routes::list_suppressions), perm("lead:read"),
        {.summary = "Addresses and domains never to be mailed",
         .tag = "leads",
         .response = {{"type", "object"}},
         .query = {{"kind", "email or domain"},
                   {"reason", "manual, unsubscribe, bounce, complaint, gdpr"},
                   {"q", "search in the value"},
                   {"page", "from 1"},
                   {"page_size", "1-200"}}});
  audited(
      r.add(Method::Post, "/api/leads/suppressions", bind(l, &leads::Routes::create_suppression), perm("lead:write"),
            {.summary = "Suppress an address or a domain",
             .tag = "leads",
             .request_body = suppression_body,
             .response = {{"type", "object"}},
             .success_status = 201}),
      "SUPPRESSION_CREATED");
  r.add(Method::Get, "/api/leads/suppressions/{id}", bind(l, &leads::Routes::get_suppression), perm("lead:read"),
        {.summary = "One suppression", .tag = "leads", .response = {{"type", "object"}}});
  audited(r.add(Method::Patch, "/api/leads/suppressions/{id}", bind(l, &leads::Routes::update_suppression),
                perm("lead:write"),
                {.summary = "Change a suppression's reason or note",
                 .tag = "leads",
                 .request_body = object_schema({{"reason", "string"}, {"note", "string"}}),
                 .response = {{"type", "object"}}}),
          "SUPPRESSION_UPDATED");
  audited(r.add(Method::Delete, "/api/leads/suppressions/{id}", bind(l, &leads::Routes::delete_suppression),
                perm("lead:write"), {.summary = "Lift a suppression", .tag = "leads", .success_status = 204}),
          "SUPPRESSION_DELETED");

  r.add(Method::Get, "/api/leads/{id}", bind(l, &leads::Routes::get), perm("lead:read"),
        {.summary = "One lead", .tag = "leads", .response = lead});
  audited(r.add(Method::Patch, "/api/leads/{id}", bind(l, &leads::Routes::update), perm("lead:write"),
                {.summary = "Change some fields of a lead (null clears; custom_fields merges)",
                 .tag = "leads",
                 .request_body = lead_body,
                 .response = lead}),
          "LEAD_UPDATED");
  audited(r.add(Method::Delete, "/api/leads/{id}", bind(l, &leads::Routes::remove), perm("lead:delete"),
                {.summary = "Delete a lead (permanently)", .tag = "leads", .success_status = 204}),
          "LEAD_DELETED");
  r.add(Method::Get, "/api/leads/{id}/gdpr-export", bind(l, &leads::Routes::gdpr_export), perm("lead:export"),
        {.summary = "Everything held about one lead (GDPR access request)",
         .tag = "leads",
         .response = {{"type", "object"}}});
  audited(
      r.add(Method::Post, "/api/leads/{id}/gdpr-erase", bind(l, &leads::Routes::gdpr_erase), perm("lead:delete"),
            {.summary = "Erase a lead's personal data and suppress its address for good (GDPR)",
             .tag = "leads",
             .response = object_schema({{"id", "integer"}, {"erased", "boolean"}, {"suppression_hash", "string"}})}),
      "LEAD_ERASED");

  // ---- segments -------------------------------------------------------------------------
  const auto segment = nlohmann::json{{"type", "object"}};
  const auto segment_body = object_schema({{"name", "string"}, {"description", "string"}, {"filter", "object"}});
  r.add(Method::Get, "/api/segments", bind(l, &leads::Routes::list_segments), perm("lead:read"),
        {.summary = "Saved segments with live member counts",
         .tag = "segments",
         .response = {{"type", "object"}},
         .query = {{"page", "from 1"}, {"page_size", "1-200"}}});
  audited(r.add(Method::Post, "/api/segments", bind(l, &leads::Routes::create_segment), perm("lead:write"),
                {.summary = "Save a filter as a segment",
                 .tag = "segments",
                 .request_body = segment_body,
                 .response = segment,
                 .success_status = 201}),
          "SEGMENT_CREATED");
  r.add(Method::Get, "/api/segments/{id}", bind(l, &leads::Routes::get_segment), perm("lead:read"),
        {.summary = "One segment and its member count", .tag = "segments", .response = segment});
  audited(r.add(Method::Patch, "/api/segments/{id}", bind(l, &leads::Routes::update_segment), perm("lead:write"),
                {.summary = "Rename a segment or change its filter",
                 .tag = "segments",
                 .request_body = segment_body,
                 .response = segment}),
          "SEGMENT_UPDATED");
  audited(r.add(Method::Delete, "/api/segments/{id}", bind(l, &leads::Routes::delete_segment), perm("lead:write"),
                {.summary = "Delete a segment (its leads stay)", .tag = "segments", .success_status = 204}),
          "SEGMENT_DELETED");

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

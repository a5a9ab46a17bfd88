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
using enum http::Runs;       // Inline (I/O thread) · Pool (handler threads: the handler waits) · Either (per request)

// The audit column of a POST that only reads (a preview): no entry.
using http::kChangesNothing;

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
    {Post,   "/api/auth/password",                 "auth.password",         kSignedIn,            Login,  Default, Pool,   "PASSWORD_CHANGED"},
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
    {Get,    "/api/leads",                         "leads.list",            "lead:read",          Api,    Default, Either, ""},
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
  // ---- templates (literal /preview before /{id}) -------------------------------------------------------------------------------------
    {Get,    "/api/templates",                     "templates.list",        "template:read",      Api,    Default, Inline, ""},
    {Post,   "/api/templates",                     "templates.create",      "template:write",     Api,    Default, Inline, "TEMPLATE_CREATED"},
    {Post,   "/api/templates/preview",             "templates.preview_draft", "template:read",    Api,    Default, Inline, kChangesNothing},
    {Get,    "/api/templates/{id}",                "templates.get",         "template:read",      Api,    Default, Inline, ""},
    {Patch,  "/api/templates/{id}",                "templates.update",      "template:write",     Api,    Default, Inline, "TEMPLATE_UPDATED"},
    {Delete, "/api/templates/{id}",                "templates.delete",      "template:write",     Api,    Default, Inline, "TEMPLATE_DELETED"},
    {Post,   "/api/templates/{id}/preview",        "templates.preview",     "template:read",      Api,    Default, Inline, kChangesNothing},
    {Post,   "/api/templates/{id}/test",           "templates.test",        "template:write",     Api,    Default, Pool,   "TEMPLATE_TESTED"},
  // ---- settings, DKIM keys, SMTP and inbound mailbox tests, the outbox ---------------------------------------------------------------
    {Get,    "/api/settings",                      "settings.get",          "settings:manage",    Api,    Default, Inline, ""},
    {Patch,  "/api/settings",                      "settings.update",       "settings:manage",    Api,    Default, Inline, "SETTINGS_UPDATED"},
    {Get,    "/api/settings/dkim",                 "settings.dkim_list",    "settings:manage",    Api,    Default, Inline, ""},
    {Post,   "/api/settings/dkim",                 "settings.dkim_create",  "settings:manage",    Api,    Default, Pool,   "DKIM_KEY_CREATED"},
    {Delete, "/api/settings/dkim/{domain}",        "settings.dkim_delete",  "settings:manage",    Api,    Default, Inline, "DKIM_KEY_DELETED"},
    {Post,   "/api/settings/smtp/test",            "settings.smtp_test",    "settings:manage",    Api,    Default, Pool,   "SMTP_TESTED"},
    {Post,   "/api/settings/inbound/test",         "inbound.test",          "settings:manage",    Api,    Default, Pool,   kChangesNothing},
    {Get,    "/api/admin/outbox",                  "outbox.list",           "system:read",        Api,    Default, Inline, ""},
    {Get,    "/api/admin/outbox/{id}",             "outbox.get",            "system:read",        Api,    Default, Inline, ""},
  // ---- campaigns (literal segments before /api/campaigns/{id}) -----------------------------------------------------------------------
    {Get,    "/api/campaigns",                     "campaigns.list",        "campaign:read",      Api,    Default, Pool,   ""},
    {Post,   "/api/campaigns",                     "campaigns.create",      "campaign:create",    Api,    Default, Pool,   "CAMPAIGN_CREATED"},
    {Get,    "/api/campaigns/summary",             "campaigns.summary",     "campaign:read",      Api,    Default, Inline, ""},
    {Get,    "/api/campaigns/{id}",                "campaigns.get",         "campaign:read",      Api,    Default, Pool,   ""},
    {Patch,  "/api/campaigns/{id}",                "campaigns.update",      "campaign:create",    Api,    Default, Pool,   "CAMPAIGN_UPDATED"},
    {Delete, "/api/campaigns/{id}",                "campaigns.delete",      "campaign:delete",    Api,    Default, Pool,   "CAMPAIGN_DELETED"},
    {Post,   "/api/campaigns/{id}/send",           "campaigns.send",        "campaign:send",      Api,    Default, Pool,   "CAMPAIGN_SENT"},
    {Post,   "/api/campaigns/{id}/pause",          "campaigns.pause",       "campaign:send",      Api,    Default, Inline, "CAMPAIGN_PAUSED"},
    {Post,   "/api/campaigns/{id}/resume",         "campaigns.resume",      "campaign:send",      Api,    Default, Pool,   "CAMPAIGN_RESUMED"},
    {Post,   "/api/campaigns/{id}/cancel",         "campaigns.cancel",      "campaign:send",      Api,    Default, Pool,   "CAMPAIGN_CANCELLED"},
    {Post,   "/api/campaigns/{id}/test",           "campaigns.test",        "campaign:send",      Api,    Default, Pool,   "CAMPAIGN_TESTED"},
    {Get,    "/api/campaigns/{id}/recipients",     "campaigns.recipients",  "campaign:read",      Api,    Default, Pool,   ""},
    {Get,    "/api/campaigns/{id}/timeline",       "campaigns.timeline",    "campaign:read",      Api,    Default, Pool,   ""},
  // ---- analytics (reports from the roll-ups) ------------------------------------------------------------------------------------------
    {Get,    "/api/analytics/overview",            "analytics.overview",    "analytics:read",     Api,    Default, Pool,   ""},
    {Get,    "/api/analytics/campaigns/{id}",      "analytics.campaign",    "analytics:read",     Api,    Default, Pool,   ""},
    {Get,    "/api/analytics/timeseries",          "analytics.timeseries",  "analytics:read",     Api,    Default, Pool,   ""},
  // ---- ai: the built-in tools (no provider needed) ----------------------------------------------------------------------------------
    {Post,   "/api/ai/analyze",                    "advisor.analyze",       "ai:use",             Api,    Default, Inline, kChangesNothing},
    {Post,   "/api/ai/score-leads",                "advisor.score_leads",   "ai:use",             Api,    Default, Pool,   "LEAD_SCORING_STARTED"},
    {Get,    "/api/ai/score-leads/{job_id}",       "advisor.score_leads_status", "ai:use",        Api,    Default, Inline, ""},
    {Get,    "/api/ai/send-times",                 "advisor.send_times",    "ai:use",             Api,    Default, Pool,   ""},
  // ---- AI assistant: the provider's answers (SSE when streamed); a provider call takes seconds ----------------------------------------
    {Post,   "/api/ai/draft",                      "ai.draft",              "ai:use",             Api,    Default, Pool,   "AI_DRAFT_GENERATED"},
    {Post,   "/api/ai/subject-lines",              "ai.subject_lines",      "ai:use",             Api,    Default, Pool,   "AI_SUBJECT_LINES_GENERATED"},
    {Post,   "/api/ai/chat",                       "ai.chat",               "ai:use",             Api,    Default, Pool,   "AI_CHAT_ANSWERED"},
  // ---- links in mail (outside /api; HMAC-signed tokens, no login) --------------------------------------------------------------------
    {Get,    "/t/o/{token}",                       "tracking.open",         kAnyone,              Public, Default, Inline, ""},
    {Get,    "/t/c/{token}",                       "tracking.click",        kAnyone,              Public, Default, Inline, ""},
    {Get,    "/u/{token}",                         "tracking.unsubscribe_page", kAnyone,          Public, Default, Inline, ""},
    {Post,   "/u/{token}",                         "tracking.unsubscribe",  kAnyone,              Public, Default, Pool,   "UNSUBSCRIBE_RECEIVED"},
  // ---- the API description and the metrics -----------------------------------------------------------------------------------------------------------
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
    if ((spec.runs == http::Runs::Either) != static_cast<bool>(endpoint->waits))
      throw std::logic_error(describe(spec) +
                             (spec.runs == http::Runs::Either
                                  ? " runs Either but its handler does not say which requests wait"
                                  : " has a handler that says which requests wait: make it run Either"));
    route.runs = spec.runs;
    route.waits = endpoint->waits;
    route.audit_action = spec.audit;
  }
  for (const auto& name : endpoints.names()) {
    if (!routed.contains(name)) throw std::logic_error("handler '" + name + "' is on no route in api/routes.cpp");
  }
}

}  // namespace herald::api

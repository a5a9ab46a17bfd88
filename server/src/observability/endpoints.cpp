// The observability handlers the route table names, with their OpenAPI descriptions.
#include "http/endpoints.hpp"
#include "observability/routes.hpp"

namespace herald::observability {

void add_endpoints(http::Endpoints& e, Routes& r) {
  using http::object_schema;
  e.add("metrics.scrape", http::bind(r, &Routes::metrics),
        {.summary = "Prometheus metrics (text exposition format); a bearer token when HERALD_METRICS_TOKEN is set",
         .tag = "meta",
         .response = {{"type", "string"}},
         .response_content_type = "text/plain; version=0.0.4"});
  const nlohmann::json queue = object_schema({{"name", "string"},
                                              {"pending", "integer"},
                                              {"scheduled", "integer"},
                                              {"active", "integer"},
                                              {"failed", "integer"},
                                              {"processed_per_minute", "integer"},
                                              {"oldest_pending_age_s", "number"}});
  const nlohmann::json minute =
      object_schema({{"t", "string"}, {"calls", "integer"}, {"errors", "integer"}, {"avg_response_ms", "number"}});
  nlohmann::json response = object_schema({{"status", "string"},
                                           {"reason", "string"},
                                           {"version", "string"},
                                           {"uptime_s", "integer"},
                                           {"generated_at", "string"},
                                           {"active_users_24h", "integer"},
                                           {"api_calls_today", "integer"},
                                           {"api_calls_24h", "integer"},
                                           {"errors_24h", "integer"},
                                           {"error_rate_24h", "number"},
                                           {"avg_response_ms_24h", "number"},
                                           {"p95_response_ms_24h", "number"},
                                           {"services", "object"}});
  auto& props = response["properties"];
  props["active_campaigns"] = {{"type", {"integer", "null"}}};
  props["system"] =
      object_schema({{"cpu_percent", "number"}, {"memory_percent", "number"}, {"disk_percent", "number"}});
  props["queues"] = {{"type", "array"}, {"items", queue}};
  props["traffic"] = {{"type", "array"}, {"items", minute}};
  e.add("admin.system", http::bind(r, &Routes::system),
        {.summary = "The admin dashboard's figures, summed over every API process",
         .tag = "admin",
         .response = response,
         .query = {{"minutes", "Length of the per-minute traffic series, 1 to 1440 (default 60)"}}});
}

}  // namespace herald::observability

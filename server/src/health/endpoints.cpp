// The health handlers the route table names, with their OpenAPI descriptions.
#include "http/endpoints.hpp"
#include "health/routes.hpp"

namespace herald::health {

void add_endpoints(http::Endpoints& e, Routes& r) {
  using http::object_schema;
  e.add("health.live", http::bind(r, &Routes::live),
        {.summary = "Liveness", .tag = "health", .response = object_schema({{"status", "string"}})});
  e.add("health.liveness", http::bind(r, &Routes::liveness),
        {.summary = "Liveness probe: the process answers; touches no dependency",
         .tag = "health",
         .response = object_schema({{"status", "string"}})});
  e.add("health.ready", http::bind(r, &Routes::ready),
        {.summary = "Readiness probe: database reachable, migrations applied, Redis when configured (503 when not)",
         .tag = "health",
         .response = object_schema({{"status", "string"}, {"checks", "object"}})});
  e.add("health.detailed", http::bind(r, &Routes::detailed),
        {.summary = "Health of every dependency with system usage",
         .tag = "health",
         .response = object_schema({{"status", "string"},
                                    {"reason", "string"},
                                    {"version", "string"},
                                    {"uptime_s", "integer"},
                                    {"system", "object"},
                                    {"services", "object"}})});
}

}  // namespace herald::health

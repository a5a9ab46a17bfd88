// The health handlers the route table names, with their OpenAPI descriptions.
#include "http/endpoints.hpp"
#include "health/routes.hpp"

namespace herald::health {

void add_endpoints(http::Endpoints& e, Routes& r) {
  using http::object_schema;
  e.add("health.live", http::bind(r, &Routes::live),
        {.summary = "Liveness", .tag = "health", .response = object_schema({{"status", "string"}})});
  e.add("health.detailed", http::bind(r, &Routes::detailed),
        {.summary = "Health of every dependency with system usage",
         .tag = "health",
         .response = object_schema({{"status", "string"},
                                    {"version", "string"},
                                    {"uptime_s", "integer"},
                                    {"system", "object"},
                                    {"services", "object"}})});
}

}  // namespace herald::health

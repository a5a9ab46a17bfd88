// Handlers for /api/health, /api/health/live, /api/health/ready and
// /api/health/detailed.
#pragma once

#include "health/service.hpp"
#include "http/types.hpp"

namespace herald::http {
class Endpoints;
}  // namespace herald::http

namespace herald::health {

class Routes {
 public:
  Routes(HealthService& service, Readiness& readiness) : service_(service), readiness_(readiness) {}
  // Liveness: the process answers. Never touches a dependency.
  http::Response live(http::Request& req);
  // The same under the probe's own path (GET /api/health/live).
  http::Response liveness(http::Request& req) { return live(req); }
  // Readiness: 200 {status: "ready", checks}, or 503 problem+json with the
  // checks ({database: "ok" | "unreachable", migrations, redis}).
  http::Response ready(http::Request& req);
  http::Response detailed(http::Request& req);

 private:
  HealthService& service_;
  Readiness& readiness_;
};

// Adds these handlers, with their OpenAPI descriptions, under the names the
// route table (api/routes.cpp) uses (endpoints.cpp).
void add_endpoints(http::Endpoints& endpoints, Routes& routes);

}  // namespace herald::health

// Handlers for /api/health and /api/health/detailed.
#pragma once

#include "health/service.hpp"
#include "http/types.hpp"

namespace herald::http {
class Endpoints;
}  // namespace herald::http

namespace herald::health {

class Routes {
 public:
  explicit Routes(HealthService& service) : service_(service) {}
  http::Response live(http::Request& req);
  http::Response detailed(http::Request& req);

 private:
  HealthService& service_;
};

// Adds these handlers, with their OpenAPI descriptions, under the names the
// route table (api/routes.cpp) uses (endpoints.cpp).
void add_endpoints(http::Endpoints& endpoints, Routes& routes);

}  // namespace herald::health

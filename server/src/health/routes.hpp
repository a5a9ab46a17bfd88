// Handlers for /api/health and /api/health/detailed.
#pragma once

#include "health/service.hpp"
#include "http/types.hpp"

namespace herald::health {

class Routes {
 public:
  explicit Routes(HealthService& service) : service_(service) {}
  http::Response live(http::Request& req);
  http::Response detailed(http::Request& req);

 private:
  HealthService& service_;
};

}  // namespace herald::health

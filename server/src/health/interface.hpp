// What health offers the other domains: a check of one dependency, which a
// module contributes (herald::Contributions::add_health_check) and
// GET /api/health/detailed runs and times.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace herald::health {

// The service times each check() itself: the report's latency_ms.
struct CheckResult {
  std::string status;  // "healthy", "unhealthy", "degraded", "not_configured"
  nlohmann::json details = nlohmann::json::object();
};

class HealthCheck {
 public:
  virtual ~HealthCheck() = default;
  virtual std::string name() const = 0;
  // Critical checks make the whole report "unhealthy" when they fail; others "degraded".
  virtual bool critical() const { return true; }
  virtual CheckResult check() = 0;
};

}  // namespace herald::health

// What health offers the other domains: a check of one dependency, which a
// module contributes (herald::Contributions::add_health_check) and
// GET /api/health/detailed runs and times.
#pragma once

#include <chrono>
#include <memory>
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

// A check that costs a round trip to a remote server (an SMTP NOOP) run at
// most once per `ttl`: within it the last result is answered again (with
// "cached": true), so a dashboard polling the report does not hammer it.
std::shared_ptr<HealthCheck> cached(std::shared_ptr<HealthCheck> check, std::chrono::milliseconds ttl);

// The detailed report (GET /api/health/detailed), for the admin figures.
class Reports {
 public:
  virtual ~Reports() = default;
  // {status, reason, version, uptime_s, system{cpu_percent, memory_percent,
  //  disk_percent}, services{database, redis, queue, smtp, sentry, …}}
  virtual nlohmann::json detailed() = 0;
};

}  // namespace herald::health

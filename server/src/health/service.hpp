// Liveness and the detailed health report. Each dependency is a HealthCheck;
// later components (Redis, queue, SMTP, Sentry) register their own, and a
// service with no check reports "not_configured".
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "health/interface.hpp"
#include "health/system_stats.hpp"
#include "storage/database.hpp"

namespace herald::health {

// A round trip to the database (the catalog's health.ping) with its latency.
class DatabaseCheck final : public HealthCheck {
 public:
  explicit DatabaseCheck(storage::Database& db);
  std::string name() const override { return "database"; }
  CheckResult check() override;

 private:
  storage::Database& db_;
};

using HealthChecks = std::vector<std::shared_ptr<HealthCheck>>;

// Readiness (GET /api/health/ready): may this process take traffic? The
// database answers, every embedded migration is applied, and Redis answers
// when it is configured. Touches nothing else (mail, Sentry and the workers
// do not decide whether the API can serve).
class Readiness {
 public:
  Readiness(storage::Database& db, const HealthChecks& checks) : db_(db), checks_(checks) {}

  struct Result {
    bool ready = false;
    nlohmann::json checks = nlohmann::json::object();  // name -> "ok" or why not
  };
  Result check();

 private:
  storage::Database& db_;
  const HealthChecks& checks_;
};

class HealthService final : public Reports {
 public:
  // `checks` are what every module contributed; read on each report.
  HealthService(const Clock& clock, SystemMonitor& monitor, std::string version, const HealthChecks& checks);

  // {status, reason, version, uptime_s, system{...}, services{database, redis, queue, smtp, sentry, ...}}.
  // status: "unhealthy" when a critical service is down, "degraded" when a
  // service is degraded or a non-critical one is down, else "healthy"; reason
  // names each service that is not healthy ("redis: unhealthy (…)"), or is empty.
  nlohmann::json detailed() override;

 private:
  const Clock& clock_;
  SystemMonitor& monitor_;
  std::string version_;
  Clock::time_point started_;
  const HealthChecks& checks_;
};

}  // namespace herald::health

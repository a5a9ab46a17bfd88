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
#include "health/system_stats.hpp"
#include "storage/database.hpp"

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

// A round trip to the database (the catalog's health.ping) with its latency.
class DatabaseCheck final : public HealthCheck {
 public:
  explicit DatabaseCheck(storage::Database& db);
  std::string name() const override { return "database"; }
  CheckResult check() override;

 private:
  storage::Database& db_;
};

class HealthService {
 public:
  HealthService(const Clock& clock, SystemMonitor& monitor, std::string version);

  void add_check(std::shared_ptr<HealthCheck> check);
  // {status, version, uptime_s, system{...}, services{database, redis, queue, smtp, sentry, ...}}
  nlohmann::json detailed();

 private:
  const Clock& clock_;
  SystemMonitor& monitor_;
  std::string version_;
  Clock::time_point started_;
  std::vector<std::shared_ptr<HealthCheck>> checks_;
};

}  // namespace herald::health

// The health module: GET /api/health and /api/health/live (liveness),
// /api/health/ready (readiness) and /api/health/detailed, which runs every
// module's health check and samples the system. Offers health::Reports.
#pragma once

#include "core/clock.hpp"
#include "core/config.hpp"
#include "health/routes.hpp"
#include "health/service.hpp"
#include "health/system_stats.hpp"
#include "module/module.hpp"
#include "storage/database.hpp"

namespace herald::health {

struct Deps {
  const Clock& clock;
  const Config& config;
  storage::Database& db;
  const HealthChecks& checks;  // every module's, as contributed
};

class Module final : public herald::Module {
 public:
  explicit Module(Deps deps);
  // The endpoints, and the database's check.
  void contribute(Contributions& contributions) override;

  // The detailed report, for other modules (the admin figures).
  Reports& reports() noexcept { return service_; }

 private:
  storage::Database& db_;
  SystemMonitor monitor_;
  HealthService service_;
  Readiness readiness_;
  Routes routes_;
};

}  // namespace herald::health

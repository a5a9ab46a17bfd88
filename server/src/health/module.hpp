// The health module: GET /api/health (liveness) and /api/health/detailed,
// which runs every module's health check and samples the system.
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
  // The two endpoints, and the database's check.
  void contribute(Contributions& contributions) override;

 private:
  storage::Database& db_;
  SystemMonitor monitor_;
  HealthService service_;
  Routes routes_;
};

}  // namespace herald::health

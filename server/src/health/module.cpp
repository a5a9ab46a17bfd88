#include "health/module.hpp"

namespace herald::health {

Module::Module(Deps deps)
    : db_(deps.db),
      monitor_(deps.config.data_dir),
      service_(deps.clock, monitor_, HERALD_VERSION, deps.checks),
      readiness_(deps.db, deps.checks),
      routes_(service_, readiness_) {}

void Module::contribute(Contributions& c) {
  add_endpoints(c.endpoints(), routes_);
  c.add_health_check(std::make_shared<DatabaseCheck>(db_));
}

}  // namespace herald::health

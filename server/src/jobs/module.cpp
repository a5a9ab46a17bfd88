#include "jobs/module.hpp"

#include "jobs/health.hpp"
#include "jobs/runtime.hpp"

namespace herald::jobs {

Module::Module(Deps deps)
    : db_(deps.db), config_(deps.config), queue_(make_queue(deps.db, deps.clock, deps.redis)), routes_(*queue_) {}

void Module::contribute(Contributions& c) {
  add_endpoints(c.endpoints(), routes_);
  c.add_health_check(std::make_shared<QueueCheck>(*queue_, worker_options(config_).visibility));
  register_builtin_jobs(c.jobs(), db_, process_env());
}

}  // namespace herald::jobs

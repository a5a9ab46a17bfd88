#include "jobs/runtime.hpp"

#include "core/errors.hpp"
#include "jobs/db_queue.hpp"
#include "jobs/redis_queue.hpp"
#include "jobs/test_jobs.hpp"

namespace herald::jobs {

std::unique_ptr<JobQueue> make_queue(storage::Database& db, const Clock& clock, redis::RedisClient* redis) {
  if (redis) return std::make_unique<RedisQueue>(*redis, clock);
  return std::make_unique<DbQueue>(db, clock);
}

WorkerOptions worker_options(const Config& config) {
  WorkerOptions options;
  options.concurrency = config.worker_concurrency;
  options.visibility = config.job_visibility_timeout;
  return options;
}

WorkerRuntime::WorkerRuntime(storage::Database& db, JobQueue& queue, const HandlerRegistry& handlers,
                             const ReconcilerRegistry& reconcilers, const Clock& clock, const WorkerOptions& options,
                             std::vector<AttemptObserver*> observers)
    : pool_(queue, handlers, options, std::move(observers)),
      reconciler_(db, queue, reconcilers, clock, ReconcilerOptions{options.visibility, pool_.id()}) {}

void WorkerRuntime::start() {
  pool_.start();
  reconciler_.start();
}

void WorkerRuntime::stop() {
  reconciler_.stop();
  pool_.stop();
}

void register_builtin_jobs(HandlerRegistry& registry, storage::Database& db, const EnvLookup& env) {
  if (env("HERALD_ENABLE_TEST_JOBS") == std::optional<std::string>("1")) register_test_jobs(registry, db, env);
}

}  // namespace herald::jobs

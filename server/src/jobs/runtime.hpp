// Builds the job system from the Config, for `herald serve` and `herald worker`:
// the queue backend (Redis when HERALD_REDIS_URL is set, else the database),
// the worker settings, the built-in job handlers, and the worker side of a
// process (the pool and the reconciler).
#pragma once

#include <memory>

#include "core/clock.hpp"
#include "core/config.hpp"
#include "jobs/queue.hpp"
#include "jobs/reconciler.hpp"
#include "jobs/worker.hpp"
#include "redis/client.hpp"
#include "storage/database.hpp"

namespace herald::jobs {

// The Redis Streams queue when `redis` is given (HERALD_REDIS_URL is set),
// else the embedded queue in the database. Never connects here: Herald starts
// while Redis is down, and the queue answers 503 until it is back.
std::unique_ptr<JobQueue> make_queue(storage::Database& db, const Clock& clock, redis::RedisClient* redis);

// Concurrency and visibility timeout from the Config.
WorkerOptions worker_options(const Config& config);

// The handlers every worker process has. With HERALD_ENABLE_TEST_JOBS=1 also
// `test.effect` (see test_jobs.hpp).
void register_builtin_jobs(HandlerRegistry& registry, storage::Database& db, const EnvLookup& env);

// What a process that runs jobs runs: the worker pool, and the reconciler
// that puts back on the queue what the database says must run (every
// `interval` = the visibility timeout, under the pool's worker id), started
// and stopped together.
class WorkerRuntime {
 public:
  // `observers` see every attempt the pool runs (job metrics, error reports).
  WorkerRuntime(storage::Database& db, JobQueue& queue, const HandlerRegistry& handlers,
                const ReconcilerRegistry& reconcilers, const Clock& clock, const WorkerOptions& options,
                std::vector<AttemptObserver*> observers = {});

  void start();
  // The reconciler first, then the pool: in-flight jobs finish or go back to the queue.
  void stop();

  WorkerPool& pool() noexcept { return pool_; }

 private:
  WorkerPool pool_;
  Reconciler reconciler_;
};

}  // namespace herald::jobs

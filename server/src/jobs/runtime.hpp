// Builds the job system from the Config, for `herald serve` and `herald worker`:
// the queue backend (Redis when HERALD_REDIS_URL is set, else the database),
// the worker settings, and the built-in job handlers.
#pragma once

#include <memory>

#include "core/clock.hpp"
#include "core/config.hpp"
#include "jobs/queue.hpp"
#include "jobs/redis_client.hpp"
#include "jobs/worker.hpp"
#include "storage/database.hpp"

namespace herald::jobs {

struct QueueBackend {
  std::unique_ptr<RedisClient> redis;  // null on the embedded backend
  std::unique_ptr<JobQueue> queue;
};

// Never connects to Redis here: Herald starts while Redis is down, and the
// queue answers 503 until it is back. Throws ConfigError for a malformed URL.
QueueBackend make_queue_backend(const Config& config, storage::Database& db, const Clock& clock);

// Concurrency and visibility timeout from the Config.
WorkerOptions worker_options(const Config& config);

// The handlers every worker process has. With HERALD_ENABLE_TEST_JOBS=1 also
// `test.effect` (see test_jobs.hpp).
void register_builtin_jobs(HandlerRegistry& registry, storage::Database& db, const EnvLookup& env);

}  // namespace herald::jobs

// Builds the job system from the Config, for `herald serve` and `herald worker`:
// the queue backend (Redis when HERALD_REDIS_URL is set, else the database),
// the worker settings, and the built-in job handlers.
#pragma once

#include <memory>

#include "core/clock.hpp"
#include "core/config.hpp"
#include "jobs/queue.hpp"
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

}  // namespace herald::jobs

#include "jobs/runtime.hpp"

#include "core/errors.hpp"
#include "jobs/db_queue.hpp"
#include "jobs/redis_queue.hpp"
#include "jobs/test_jobs.hpp"

namespace herald::jobs {

QueueBackend make_queue_backend(const Config& config, storage::Database& db, const Clock& clock) {
  QueueBackend backend;
  if (!config.redis_url) {
    backend.queue = std::make_unique<DbQueue>(db, clock);
    return backend;
  }
  RedisUrl url;
  try {
    url = parse_redis_url(*config.redis_url);
  } catch (const std::invalid_argument& e) {
    throw ConfigError("HERALD_REDIS_URL", e.what());
  }
  backend.redis = std::make_unique<RedisClient>(url);
  backend.queue = std::make_unique<RedisQueue>(*backend.redis, clock);
  return backend;
}

WorkerOptions worker_options(const Config& config) {
  WorkerOptions options;
  options.concurrency = config.worker_concurrency;
  options.visibility = config.job_visibility_timeout;
  return options;
}

void register_builtin_jobs(HandlerRegistry& registry, storage::Database& db, const EnvLookup& env) {
  if (env("HERALD_ENABLE_TEST_JOBS") == std::optional<std::string>("1")) register_test_jobs(registry, db, env);
}

}  // namespace herald::jobs

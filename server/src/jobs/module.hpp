// The jobs module: the queue (Redis Streams when HERALD_REDIS_URL is set,
// else the database), its admin endpoints and health check. Offers
// jobs::JobQueue (jobs/queue.hpp); job handlers come from every module
// (Contributions::jobs()) and run in the worker pool app/ builds.
#pragma once

#include <memory>

#include "core/clock.hpp"
#include "core/config.hpp"
#include "jobs/queue.hpp"
#include "jobs/routes.hpp"
#include "module/module.hpp"
#include "redis/client.hpp"
#include "storage/database.hpp"

namespace herald::jobs {

struct Deps {
  storage::Database& db;
  const Clock& clock;
  const Config& config;
  redis::RedisClient* redis;  // set when HERALD_REDIS_URL is
};

class Module final : public herald::Module {
 public:
  explicit Module(Deps deps);
  // The endpoints, the queue's health check, and the built-in (test) jobs.
  void contribute(Contributions& contributions) override;

  JobQueue& queue() noexcept { return *queue_; }

 private:
  storage::Database& db_;
  const Config& config_;
  std::unique_ptr<JobQueue> queue_;
  Routes routes_;
};

}  // namespace herald::jobs

// Health checks of the job system: "queue" (backlog and live workers) and
// "redis" (a PING round trip), both non-critical: the API keeps serving
// while background work is impaired, and the report says "degraded".
#pragma once

#include "health/service.hpp"
#include "jobs/queue.hpp"
#include "redis/client.hpp"

namespace herald::jobs {

class QueueCheck final : public health::HealthCheck {
 public:
  // Workers count as alive with a heartbeat within `alive_within`.
  QueueCheck(JobQueue& queue, Millis alive_within) : queue_(queue), alive_within_(alive_within) {}
  std::string name() const override { return "queue"; }
  bool critical() const override { return false; }
  health::CheckResult check() override;

 private:
  JobQueue& queue_;
  Millis alive_within_;
};

class RedisCheck final : public health::HealthCheck {
 public:
  explicit RedisCheck(redis::RedisClient& redis) : redis_(redis) {}
  std::string name() const override { return "redis"; }
  bool critical() const override { return false; }
  health::CheckResult check() override;

 private:
  redis::RedisClient& redis_;
};

}  // namespace herald::jobs

// The "redis" health check: a PING round trip. Non-critical: the API keeps
// serving while Redis is away (queues answer 503, rate limits fall back to
// each process), and the report says "degraded".
#pragma once

#include "health/interface.hpp"
#include "redis/client.hpp"

namespace herald::redis {

class RedisCheck final : public health::HealthCheck {
 public:
  explicit RedisCheck(RedisClient& redis) : redis_(redis) {}
  std::string name() const override { return "redis"; }
  bool critical() const override { return false; }
  health::CheckResult check() override;

 private:
  RedisClient& redis_;
};

}  // namespace herald::redis

#include "redis/health.hpp"

#include <chrono>
#include <cmath>

namespace herald::redis {

health::CheckResult RedisCheck::check() {
  health::CheckResult r;
  const auto start = std::chrono::steady_clock::now();
  try {
    redis_.command({"PING"});
    r.status = "healthy";
  } catch (const std::exception& e) {
    r.status = "unhealthy";
    r.details["error"] = e.what();
  }
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  r.latency_ms = std::round(ms * 100.0) / 100.0;
  r.details["address"] = redis_.url().describe();
  return r;
}

}  // namespace herald::redis

#include "redis/health.hpp"

namespace herald::redis {

health::CheckResult RedisCheck::check() {
  health::CheckResult r;
  try {
    redis_.command({"PING"});
    r.status = "healthy";
  } catch (const std::exception& e) {
    r.status = "unhealthy";
    r.details["error"] = e.what();
  }
  r.details["address"] = redis_.url().describe();
  return r;
}

}  // namespace herald::redis

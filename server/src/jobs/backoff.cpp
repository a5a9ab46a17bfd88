#include "jobs/backoff.hpp"

#include <algorithm>
#include <cmath>

namespace herald::jobs {

Millis backoff_delay(const BackoffPolicy& policy, int failed_attempts, double unit) {
  const int exponent = std::clamp(failed_attempts, 1, 62) - 1;
  const double base = static_cast<double>(policy.base.count());
  const double cap = static_cast<double>(policy.cap.count());
  const double raw = std::min(cap, base * std::pow(2.0, exponent));
  const double jitter = std::clamp(policy.jitter, 0.0, 1.0);
  const double factor = 1.0 - jitter + 2.0 * jitter * std::clamp(unit, 0.0, 1.0);
  return Millis(static_cast<std::int64_t>(std::llround(std::min(cap, raw * factor))));
}

Failure decide_failure(const Job& job, std::string error, bool permanent, const BackoffPolicy& policy, double unit) {
  Failure f{.error = std::move(error), .retry_in = std::nullopt, .permanent = permanent};
  if (!permanent && job.attempts < job.max_attempts) f.retry_in = backoff_delay(policy, job.attempts, unit);
  return f;
}

}  // namespace herald::jobs

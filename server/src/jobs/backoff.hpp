// Retry timing after a failed attempt: exponential back-off with jitter.
// Pure: the random part comes from the caller, so tests pin it.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "jobs/types.hpp"

namespace herald::jobs {

struct BackoffPolicy {
  Millis base{1000};                  // delay after the first failure
  Millis cap{std::chrono::hours(1)};  // never wait longer than this
  double jitter = 0.25;               // ± this fraction, so retries of a burst spread out
};

// A source of uniform numbers in [0, 1).
using UnitRandom = std::function<double()>;

// The delay before the next attempt after `failed_attempts` (≥ 1) failures:
// base · 2^(failed_attempts-1), capped, then scaled by 1 ± jitter using `unit` ∈ [0, 1).
Millis backoff_delay(const BackoffPolicy& policy, int failed_attempts, double unit);

// What to do with a job whose attempt `job.attempts` just failed: retry after a
// back-off while attempts remain and the failure is not permanent, else give up.
Failure decide_failure(const Job& job, std::string error, bool permanent, const BackoffPolicy& policy, double unit);

}  // namespace herald::jobs

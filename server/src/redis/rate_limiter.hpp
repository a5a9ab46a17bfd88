// Rate limits shared by every process that points at the same Redis: the
// token bucket of http::take_token, kept in Redis and updated by one Lua
// script per request (atomic, one round trip, Redis's clock). While Redis
// cannot be reached (or does not answer in time) each process falls back to
// its own in-process buckets, so limits stay in force, per process, and
// requests are still served; Redis is tried again a second later.
#pragma once

#include <atomic>
#include <cstdint>
#include <string_view>

#include "core/clock.hpp"
#include "http/middleware/rate_limit.hpp"
#include "redis/client.hpp"

namespace herald::redis {

class RedisRateLimiter final : public http::RateLimiter {
 public:
  RedisRateLimiter(RedisClient& redis, const Clock& clock);
  http::RateDecision take(std::string_view key, const http::RatePolicy& policy) override;

  // Requests decided by the in-process fallback since start.
  std::uint64_t fallbacks() const noexcept { return fallbacks_.load(std::memory_order_relaxed); }

 private:
  RedisClient& redis_;
  const Clock& clock_;
  std::size_t script_;
  http::InProcessRateLimiter fallback_;
  std::atomic<std::uint64_t> fallbacks_{0};
  std::atomic<std::int64_t> warned_at_s_{-1'000'000};
  // After a failure Redis is left alone this long (steady-clock ms): every
  // request in between is decided here, without waiting on a timeout.
  std::atomic<std::int64_t> skip_until_ms_{0};
};

// Bucket keys: "herald:rl:<limiter key>".
inline constexpr std::string_view kRateLimitPrefix = "herald:rl:";

}  // namespace herald::redis

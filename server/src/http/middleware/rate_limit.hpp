// Rate limiting. The limiter is an interface: the in-process token bucket
// here serves one process; a Redis-backed limiter with the same interface
// shares limits across processes when HERALD_REDIS_URL is set.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.hpp"

namespace herald::http {

struct RatePolicy {
  std::string name;        // appears in the RateLimit fields, e.g. "api"
  std::int64_t limit = 0;  // requests per window (bucket capacity)
  std::chrono::seconds window{60};
};

struct RateDecision {
  bool allowed = true;
  std::int64_t limit = 0;
  std::int64_t remaining = 0;
  std::int64_t reset_s = 0;        // seconds until the bucket is full again
  std::int64_t retry_after_s = 0;  // when refused: seconds until one request is allowed
};

class RateLimiter {
 public:
  virtual ~RateLimiter() = default;
  // Takes one token for `key` under `policy`.
  virtual RateDecision take(std::string_view key, const RatePolicy& policy) = 0;
};

// The bucket arithmetic, pure: no clock, no locking.
struct TokenBucket {
  double tokens = -1;  // < 0: new bucket, starts full
  Clock::time_point updated{};
};
RateDecision take_token(TokenBucket& bucket, const RatePolicy& policy, Clock::time_point now);

class InProcessRateLimiter final : public RateLimiter {
 public:
  explicit InProcessRateLimiter(const Clock& clock);
  RateDecision take(std::string_view key, const RatePolicy& policy) override;
  std::size_t tracked_keys() const;

 private:
  static constexpr std::size_t kShards = 16;
  // Looked up by the caller's string_view: a request's key is not copied
  // into a std::string (only a new client's bucket stores its key).
  struct KeyHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view key) const noexcept { return std::hash<std::string_view>{}(key); }
  };
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, TokenBucket, KeyHash, std::equal_to<>> buckets;
    std::uint32_t since_sweep = 0;
  };
  void sweep(Shard& shard, Clock::time_point now);

  const Clock& clock_;
  std::atomic<std::int64_t> longest_window_s_{1};
  Shard shards_[kShards];
};

// The draft-ietf-httpapi-ratelimit-headers fields.
std::string ratelimit_policy_field(const RatePolicy& policy);
std::string ratelimit_field(const RatePolicy& policy, const RateDecision& d);

}  // namespace herald::http

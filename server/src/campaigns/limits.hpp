// The send limits every worker process shares: HERALD_SEND_RATE (global),
// per recipient domain (settings) and per campaign (throttle_per_minute).
// Each is a token bucket holding one second's worth (at least one token), so
// no window of t seconds passes more than rate·t + burst messages. A message
// takes a token from every bucket that applies, or from none.
//
// The buckets live in Redis when HERALD_REDIS_URL is set (one Lua script per
// message, Redis's clock) and otherwise in the database (send_buckets, one
// write transaction per message), so several `herald worker` processes on
// one database share them too. Limits cost nothing when none is set.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "redis/client.hpp"
#include "storage/database.hpp"

namespace herald::campaigns {

struct Limit {
  std::string key;  // "global", "domain:gmail.com", "campaign:12"
  double per_second = 0;
};

struct BucketState {
  double tokens = 0;
  std::int64_t updated_ms = 0;
};

struct TakeResult {
  bool allowed = false;
  std::int64_t retry_ms = 0;  // until a token will be there, when not allowed
};

// Pure: the bucket after refilling to now; then take one token from each of
// `states` (all or none). `states[i]` nullopt = a bucket not seen before (full).
// Updates `states` in place when allowed (and refills them either way).
TakeResult take_tokens(std::span<std::optional<BucketState>> states, std::span<const Limit> limits,
                       std::int64_t now_ms);
double burst_of(double per_second) noexcept;  // one second's worth, at least 1

class SendLimiter {
 public:
  virtual ~SendLimiter() = default;
  // One token from each limit with per_second > 0, or none. Throws
  // ServiceUnavailable / storage::Unavailable when the store is down.
  virtual TakeResult acquire(std::span<const Limit> limits) = 0;
};

class DbSendLimiter final : public SendLimiter {
 public:
  DbSendLimiter(storage::Database& db, const Clock& clock) : db_(db), clock_(clock) {}
  TakeResult acquire(std::span<const Limit> limits) override;

 private:
  storage::Database& db_;
  const Clock& clock_;
};

class RedisSendLimiter final : public SendLimiter {
 public:
  explicit RedisSendLimiter(redis::RedisClient& redis);
  TakeResult acquire(std::span<const Limit> limits) override;

 private:
  redis::RedisClient& redis_;
  std::size_t script_;
};

}  // namespace herald::campaigns

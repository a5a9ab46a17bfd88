#include "redis/rate_limiter.hpp"

#include <algorithm>
#include <chrono>

#include "core/log.hpp"

namespace herald::redis {
namespace {

// KEYS[1] the bucket; ARGV[1] capacity, ARGV[2] window in ms.
// Returns {allowed, remaining, ms until full, ms until one token}.
constexpr std::string_view kTakeToken = R"lua(
local capacity = tonumber(ARGV[1])
local per_ms = capacity / tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1])
if tokens == nil then
  tokens = capacity
else
  local elapsed = now - tonumber(state[2])
  if elapsed > 0 then tokens = math.min(capacity, tokens + elapsed * per_ms) end
end
local allowed, retry_ms = 0, 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  retry_ms = math.ceil((1 - tokens) / per_ms)
end
local full_ms = math.ceil((capacity - tokens) / per_ms)
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'ts', now)
-- A bucket that has refilled completely carries no state.
redis.call('PEXPIRE', KEYS[1], full_ms + 1000)
return {allowed, math.floor(tokens), full_ms, retry_ms}
)lua";

constexpr std::int64_t kRetryRedisAfterMs = 1000;

std::int64_t ceil_seconds(long long ms) { return static_cast<std::int64_t>((std::max(0LL, ms) + 999) / 1000); }

}  // namespace

RedisRateLimiter::RedisRateLimiter(RedisClient& redis, const Clock& clock)
    : redis_(redis), clock_(clock), script_(redis.add_script(std::string(kTakeToken))), fallback_(clock) {}

http::RateDecision RedisRateLimiter::take(std::string_view key, const http::RatePolicy& policy) {
  const auto window_ms = std::chrono::duration_cast<std::chrono::milliseconds>(policy.window).count();
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(clock_.now().time_since_epoch()).count();
  if (now_ms < skip_until_ms_.load(std::memory_order_relaxed)) {
    fallbacks_.fetch_add(1, std::memory_order_relaxed);
    return fallback_.take(key, policy);
  }
  try {
    ScriptCall call;
    call.keys.push_back(std::string(kRateLimitPrefix) + std::string(key));
    call.args = {std::to_string(policy.limit), std::to_string(std::max<long long>(1, window_ms))};
    RedisValue reply = redis_.eval(script_, call);
    if (!reply.is_array() || reply.elements.size() != 4)
      throw RedisError("unexpected reply from the rate-limit script");
    http::RateDecision d;
    d.limit = policy.limit;
    d.allowed = reply.elements[0].as_int() == 1;
    d.remaining = reply.elements[1].as_int();
    d.reset_s = ceil_seconds(reply.elements[2].as_int());
    if (!d.allowed) d.retry_after_s = std::max<std::int64_t>(1, ceil_seconds(reply.elements[3].as_int()));
    return d;
  } catch (const std::exception& e) {
    fallbacks_.fetch_add(1, std::memory_order_relaxed);
    skip_until_ms_.store(now_ms + kRetryRedisAfterMs, std::memory_order_relaxed);
    const auto now_s = now_ms / 1000;
    auto last = warned_at_s_.load(std::memory_order_relaxed);
    if (now_s - last >= 30 && warned_at_s_.compare_exchange_strong(last, now_s)) {
      log::warn("rate limits fall back to this process while Redis is unavailable", {{"error", e.what()}});
    }
    return fallback_.take(key, policy);
  }
}

}  // namespace herald::redis

#include "http/middleware/rate_limit.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <functional>

#include <fmt/format.h>

namespace herald::http {

RateDecision take_token(TokenBucket& b, const RatePolicy& p, Clock::time_point now) {
  const double capacity = static_cast<double>(p.limit);
  const double per_second = capacity / static_cast<double>(std::max<std::int64_t>(1, p.window.count()));
  if (b.tokens < 0) {
    b.tokens = capacity;
  } else {
    double elapsed = std::chrono::duration<double>(now - b.updated).count();
    if (elapsed > 0) b.tokens = std::min(capacity, b.tokens + elapsed * per_second);
  }
  b.updated = now;

  RateDecision d;
  d.limit = p.limit;
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    d.allowed = true;
  } else {
    d.allowed = false;
    d.retry_after_s = std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil((1.0 - b.tokens) / per_second)));
  }
  d.remaining = static_cast<std::int64_t>(std::floor(b.tokens));
  d.reset_s = static_cast<std::int64_t>(std::ceil((capacity - b.tokens) / per_second));
  return d;
}

InProcessRateLimiter::InProcessRateLimiter(const Clock& clock) : clock_(clock) {}

RateDecision InProcessRateLimiter::take(std::string_view key, const RatePolicy& policy) {
  auto now = clock_.now();
  std::size_t h = KeyHash{}(key);
  Shard& shard = shards_[h % kShards];
  std::lock_guard lock(shard.mutex);
  // Keys are "policy:client"; a bucket of each policy lives under its own key.
  auto it = shard.buckets.find(key);
  if (it == shard.buckets.end()) it = shard.buckets.emplace(std::string(key), TokenBucket{}).first;
  RateDecision d = take_token(it->second, policy, now);
  if (policy.window.count() > longest_window_s_.load(std::memory_order_relaxed))
    longest_window_s_.store(policy.window.count(), std::memory_order_relaxed);
  if (++shard.since_sweep >= 4096) sweep(shard, now);
  return d;
}

// A bucket untouched for the longest window has refilled completely: it carries no state.
void InProcessRateLimiter::sweep(Shard& shard, Clock::time_point now) {
  shard.since_sweep = 0;
  const std::chrono::seconds idle(longest_window_s_.load(std::memory_order_relaxed));
  std::erase_if(shard.buckets, [&](const auto& entry) { return now - entry.second.updated > idle; });
}

std::size_t InProcessRateLimiter::tracked_keys() const {
  std::size_t n = 0;
  for (const auto& s : shards_) {
    std::lock_guard lock(s.mutex);
    n += s.buckets.size();
  }
  return n;
}

std::string ratelimit_policy_field(const RatePolicy& p) {
  return fmt::format("\"{}\";q={};w={}", p.name, p.limit, p.window.count());
}

std::string ratelimit_field(const RatePolicy& p, const RateDecision& d) {
  // On every limited request: put together without a format string.
  std::array<char, 24> digits{};
  std::string out;
  out.reserve(p.name.size() + 2 * digits.size() + 8);
  out += '"';
  out += p.name;
  out += "\";r=";
  out.append(digits.data(), std::to_chars(digits.data(), digits.data() + digits.size(), d.remaining).ptr);
  out += ";t=";
  out.append(digits.data(),
             std::to_chars(digits.data(), digits.data() + digits.size(), d.allowed ? d.reset_s : d.retry_after_s).ptr);
  return out;
}

}  // namespace herald::http

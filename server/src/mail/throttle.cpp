#include "mail/throttle.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/strings.hpp"

namespace herald::mail {

TokenBucket::TokenBucket(double per_second, double burst, Clock::time_point now)
    : per_second_(per_second), burst_(std::max(1.0, burst)), tokens_(burst_), updated_(now) {}

void TokenBucket::refill(Clock::time_point now) {
  if (now <= updated_) return;
  double elapsed = std::chrono::duration<double>(now - updated_).count();
  tokens_ = std::min(burst_, tokens_ + elapsed * per_second_);
  updated_ = now;
}

std::chrono::nanoseconds TokenBucket::wait_time(Clock::time_point now) {
  refill(now);
  if (tokens_ >= 1.0) return std::chrono::nanoseconds(0);
  double seconds = (1.0 - tokens_) / per_second_;
  return std::chrono::nanoseconds(static_cast<std::int64_t>(std::ceil(seconds * 1e9)));
}

void TokenBucket::take(Clock::time_point now) {
  refill(now);
  tokens_ -= 1.0;
}

SendThrottle::SendThrottle(const Clock& clock) : clock_(clock) {}

void SendThrottle::set_limit(const std::string& key, double per_second) {
  std::lock_guard lock(mutex_);
  if (per_second <= 0) {
    buckets_.erase(key);
    return;
  }
  buckets_.insert_or_assign(key, TokenBucket(per_second, std::max(1.0, per_second), clock_.now()));
}

std::optional<double> SendThrottle::limit(const std::string& key) const {
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) return std::nullopt;
  return it->second.per_second();
}

ThrottleDecision SendThrottle::try_acquire(std::initializer_list<std::string_view> keys) {
  auto now = clock_.now();
  std::lock_guard lock(mutex_);
  std::vector<TokenBucket*> found;
  std::chrono::nanoseconds wait{0};
  for (auto key : keys) {
    auto it = buckets_.find(std::string(key));
    if (it == buckets_.end()) continue;
    found.push_back(&it->second);
    wait = std::max(wait, it->second.wait_time(now));
  }
  if (wait.count() > 0) {
    auto ms = std::chrono::ceil<std::chrono::milliseconds>(wait);
    return {false, std::max(ms, std::chrono::milliseconds(1))};
  }
  for (auto* bucket : found) bucket->take(now);
  return {};
}

std::string SendThrottle::domain_key(std::string_view domain) { return "domain:" + to_lower_ascii(domain); }

std::string SendThrottle::campaign_key(std::int64_t campaign_id) { return "campaign:" + std::to_string(campaign_id); }

}  // namespace herald::mail

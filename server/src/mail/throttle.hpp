// Sending limits as token buckets: a global rate (HERALD_SEND_RATE), per
// recipient domain ("at most N a minute to gmail.com"), per campaign. One
// message takes a token from every bucket that applies, or from none.
// In-process and pure apart from the Clock; the variants shared by every
// worker (Redis or the database) come with the campaigns domain and can use
// the same arithmetic.
#pragma once

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.hpp"

namespace herald::mail {

// `per_second` tokens a second, holding at most `burst` (≥ 1).
class TokenBucket {
 public:
  TokenBucket(double per_second, double burst, Clock::time_point now);

  // Zero when a token was taken; otherwise how long until one will be.
  std::chrono::nanoseconds wait_time(Clock::time_point now);
  void take(Clock::time_point now);  // after wait_time answered zero

  double per_second() const noexcept { return per_second_; }

 private:
  void refill(Clock::time_point now);
  double per_second_;
  double burst_;
  double tokens_;
  Clock::time_point updated_;
};

struct ThrottleDecision {
  bool allowed = true;
  std::chrono::milliseconds retry_after{0};  // when not allowed
};

class SendThrottle {
 public:
  explicit SendThrottle(const Clock& clock);

  // A limit for a key ("global", "domain:gmail.com", "campaign:12");
  // per_second ≤ 0 removes it. The burst is one second's worth (at least 1),
  // so no window of t seconds passes more than rate·t + burst messages.
  void set_limit(const std::string& key, double per_second);
  std::optional<double> limit(const std::string& key) const;

  // Takes one token from each listed key that has a limit, or none at all
  // (keys without a limit do not count).
  ThrottleDecision try_acquire(std::initializer_list<std::string_view> keys);

  static std::string domain_key(std::string_view domain);     // "domain:<lower-case domain>"
  static std::string campaign_key(std::int64_t campaign_id);  // "campaign:<id>"
  static constexpr std::string_view kGlobal = "global";

 private:
  const Clock& clock_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, TokenBucket> buckets_;
};

}  // namespace herald::mail

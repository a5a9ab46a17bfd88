#include "campaigns/limits.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace herald::campaigns {
namespace {

// Takes tokens every `step_ms` for `duration_ms`; returns the times allowed.
std::vector<std::int64_t> run(const std::vector<Limit>& limits, std::int64_t step_ms, std::int64_t duration_ms) {
  std::vector<std::optional<BucketState>> states(limits.size());
  std::vector<std::int64_t> allowed;
  for (std::int64_t t = 0; t <= duration_ms; t += step_ms) {
    if (take_tokens(states, limits, t).allowed) allowed.push_back(t);
  }
  return allowed;
}

TEST(SendLimits, NoWindowPassesMoreThanRateTimesLengthPlusBurst) {
  const std::vector<Limit> limits = {{"domain:example.org", 2.0}};  // 2/s, burst 2
  auto allowed = run(limits, 10, 20000);
  EXPECT_GE(allowed.size(), 40u);
  EXPECT_LE(allowed.size(), 2u * 20 + 2 + 1);
  for (std::size_t i = 0; i < allowed.size(); ++i) {
    for (std::size_t j = i; j < allowed.size(); ++j) {
      const double window_s = static_cast<double>(allowed[j] - allowed[i]) / 1000.0;
      ASSERT_LE(static_cast<double>(j - i + 1), 2.0 * window_s + 2.0 + 1e-9) << i << ".." << j;
    }
  }
}

TEST(SendLimits, AllOrNoneAcrossBuckets) {
  std::vector<Limit> limits = {{"global", 100.0}, {"domain:slow.example", 1.0}};
  std::vector<std::optional<BucketState>> states(2);
  EXPECT_TRUE(take_tokens(states, limits, 0).allowed);
  const double global_before = states[0]->tokens;
  auto refused = take_tokens(states, limits, 10);
  EXPECT_FALSE(refused.allowed);
  EXPECT_GT(refused.retry_ms, 900);
  EXPECT_LE(refused.retry_ms, 1000);
  // The global bucket was not charged for the refused message (it refilled a little).
  EXPECT_GE(states[0]->tokens, global_before);
}

TEST(SendLimits, ASlowLimitWaitsAsLongAsItsRateSays) {
  std::vector<Limit> limits = {{"domain:gmail.com", 10.0 / 60.0}};  // 10 a minute
  std::vector<std::optional<BucketState>> states(1);
  EXPECT_TRUE(take_tokens(states, limits, 0).allowed);
  auto r = take_tokens(states, limits, 0);
  EXPECT_FALSE(r.allowed);
  EXPECT_EQ(r.retry_ms, 6000);
  EXPECT_TRUE(take_tokens(states, limits, 6000).allowed);
}

TEST(SendLimits, BurstIsOneSecondsWorthAtLeastOne) {
  EXPECT_EQ(burst_of(0.1), 1.0);
  EXPECT_EQ(burst_of(50.0), 50.0);
}

}  // namespace
}  // namespace herald::campaigns

#include "mail/throttle.hpp"

#include <gtest/gtest.h>

namespace herald::mail {
namespace {

using namespace std::chrono_literals;

TEST(Throttle, NoLimitsAllowEverything) {
  ManualClock clock;
  SendThrottle t(clock);
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(t.try_acquire({SendThrottle::kGlobal, "domain:x.com"}).allowed);
}

TEST(Throttle, GlobalRateHoldsOverTime) {
  ManualClock clock;
  SendThrottle t(clock);
  t.set_limit(std::string(SendThrottle::kGlobal), 10);  // 10/s, burst 10
  int sent = 0;
  for (int step = 0; step < 1000; ++step) {  // 10 s in 10 ms steps
    while (t.try_acquire({SendThrottle::kGlobal}).allowed) ++sent;
    clock.advance(10ms);
  }
  EXPECT_GE(sent, 100);
  EXPECT_LE(sent, 110);  // rate · t + burst
}

TEST(Throttle, RefusalSaysWhenToRetry) {
  ManualClock clock;
  SendThrottle t(clock);
  t.set_limit(SendThrottle::domain_key("Gmail.com"), 1.0 / 60);  // 1 a minute
  EXPECT_TRUE(t.try_acquire({SendThrottle::domain_key("gmail.com")}).allowed);
  auto refused = t.try_acquire({SendThrottle::domain_key("gmail.com")});
  EXPECT_FALSE(refused.allowed);
  EXPECT_GE(refused.retry_after, 59s);
  EXPECT_LE(refused.retry_after, 60s);
  clock.advance(refused.retry_after);
  EXPECT_TRUE(t.try_acquire({SendThrottle::domain_key("gmail.com")}).allowed);
}

TEST(Throttle, ATokenIsTakenFromEveryBucketOrFromNone) {
  ManualClock clock;
  SendThrottle t(clock);
  t.set_limit(std::string(SendThrottle::kGlobal), 100);
  t.set_limit(SendThrottle::domain_key("slow.example"), 1);
  auto slow = SendThrottle::domain_key("slow.example");
  auto fast = SendThrottle::domain_key("fast.example");
  EXPECT_TRUE(t.try_acquire({SendThrottle::kGlobal, slow}).allowed);
  // The domain refuses: the global bucket must not lose a token for it.
  for (int i = 0; i < 50; ++i) EXPECT_FALSE(t.try_acquire({SendThrottle::kGlobal, slow}).allowed);
  int fast_sent = 0;
  while (t.try_acquire({SendThrottle::kGlobal, fast}).allowed) ++fast_sent;
  EXPECT_EQ(fast_sent, 99);  // 100 burst minus the one slow message
}

TEST(Throttle, LimitsCanChangeAndBeRemoved) {
  ManualClock clock;
  SendThrottle t(clock);
  auto key = SendThrottle::campaign_key(12);
  EXPECT_EQ(key, "campaign:12");
  t.set_limit(key, 2);
  EXPECT_EQ(t.limit(key), 2.0);
  EXPECT_TRUE(t.try_acquire({key}).allowed);
  EXPECT_TRUE(t.try_acquire({key}).allowed);
  EXPECT_FALSE(t.try_acquire({key}).allowed);
  t.set_limit(key, 0);
  EXPECT_FALSE(t.limit(key).has_value());
  EXPECT_TRUE(t.try_acquire({key}).allowed);
}

}  // namespace
}  // namespace herald::mail

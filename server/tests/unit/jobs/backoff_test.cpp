#include "jobs/backoff.hpp"

#include <gtest/gtest.h>

namespace herald::jobs {
namespace {

using std::chrono::milliseconds;

TEST(Backoff, DoublesFromTheBaseWithoutJitter) {
  BackoffPolicy p{.base = milliseconds(1000), .cap = std::chrono::hours(1), .jitter = 0};
  EXPECT_EQ(backoff_delay(p, 1, 0.7), milliseconds(1000));
  EXPECT_EQ(backoff_delay(p, 2, 0.7), milliseconds(2000));
  EXPECT_EQ(backoff_delay(p, 3, 0.7), milliseconds(4000));
  EXPECT_EQ(backoff_delay(p, 6, 0.7), milliseconds(32000));
}

TEST(Backoff, IsCappedEvenForHugeAttemptNumbers) {
  BackoffPolicy p{.base = milliseconds(1000), .cap = milliseconds(60000), .jitter = 0.25};
  EXPECT_EQ(backoff_delay(p, 7, 0.5), milliseconds(60000));
  EXPECT_LE(backoff_delay(p, 1000, 0.999), milliseconds(60000));
  EXPECT_GE(backoff_delay(p, 1000, 0.0), milliseconds(45000));
}

TEST(Backoff, JitterSpreadsTheDelayAroundTheNominalValue) {
  BackoffPolicy p{.base = milliseconds(1000), .cap = std::chrono::hours(1), .jitter = 0.25};
  EXPECT_EQ(backoff_delay(p, 3, 0.0), milliseconds(3000));   // 4000 · 0.75
  EXPECT_EQ(backoff_delay(p, 3, 0.5), milliseconds(4000));   // nominal
  EXPECT_EQ(backoff_delay(p, 3, 1.0), milliseconds(5000));   // 4000 · 1.25
  EXPECT_EQ(backoff_delay(p, 3, -3.0), milliseconds(3000));  // out-of-range randoms are clamped
}

TEST(Backoff, RetriesWhileAttemptsRemainThenGivesUp) {
  BackoffPolicy p{.base = milliseconds(100), .cap = std::chrono::hours(1), .jitter = 0};
  Job job;
  job.max_attempts = 3;
  job.attempts = 1;
  auto first = decide_failure(job, "boom", false, p, 0.5);
  ASSERT_TRUE(first.retry_in.has_value());
  EXPECT_EQ(*first.retry_in, milliseconds(100));
  EXPECT_EQ(first.error, "boom");
  job.attempts = 2;
  EXPECT_EQ(*decide_failure(job, "boom", false, p, 0.5).retry_in, milliseconds(200));
  job.attempts = 3;
  auto last = decide_failure(job, "boom", false, p, 0.5);
  EXPECT_FALSE(last.retry_in.has_value());
  EXPECT_FALSE(last.permanent);
}

TEST(Backoff, PermanentFailuresAreNotRetried) {
  Job job;
  job.max_attempts = 10;
  job.attempts = 1;
  auto f = decide_failure(job, "bad payload", true, BackoffPolicy{}, 0.5);
  EXPECT_FALSE(f.retry_in.has_value());
  EXPECT_TRUE(f.permanent);
}

}  // namespace
}  // namespace herald::jobs

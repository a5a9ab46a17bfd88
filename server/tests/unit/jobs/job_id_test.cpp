#include "jobs/job_id.hpp"

#include <gtest/gtest.h>

#include <set>

namespace herald::jobs {
namespace {

TEST(JobId, EncodesTimeAndRandomnessInCrockfordBase32) {
  std::array<std::uint8_t, 10> zeros{};
  EXPECT_EQ(make_job_id(0, zeros), "00000000000000000000000000");
  std::array<std::uint8_t, 10> ones;
  ones.fill(0xff);
  EXPECT_EQ(make_job_id((1ll << 48) - 1, ones), "7ZZZZZZZZZZZZZZZZZZZZZZZZZ");
  // The ULID specification's example time.
  EXPECT_EQ(make_job_id(1469918176385, zeros).substr(0, 10), "01ARYZ6S41");
}

TEST(JobId, RoundTripsTheTimestampAndSortsByTime) {
  std::array<std::uint8_t, 10> r{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  const auto a = make_job_id(1'700'000'000'000, r);
  const auto b = make_job_id(1'700'000'000'001, std::array<std::uint8_t, 10>{});
  EXPECT_EQ(job_id_millis(a), 1'700'000'000'000);
  EXPECT_LT(a, b);
}

TEST(JobId, NewIdsAreValidAndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) {
    auto id = new_job_id();
    ASSERT_TRUE(is_valid_job_id(id)) << id;
    seen.insert(std::move(id));
  }
  EXPECT_EQ(seen.size(), 10000u);
}

TEST(JobId, RejectsWhatItDoesNotProduce) {
  EXPECT_FALSE(is_valid_job_id(""));
  EXPECT_FALSE(is_valid_job_id("0000000000000000000000000"));    // 25
  EXPECT_FALSE(is_valid_job_id("000000000000000000000000000"));  // 27
  EXPECT_FALSE(is_valid_job_id("0000000000000000000000000U"));   // not in the alphabet
  EXPECT_FALSE(is_valid_job_id("0000000000000000000000000a"));   // lower case
  EXPECT_FALSE(is_valid_job_id("80000000000000000000000000"));   // time overflows 48 bits
  EXPECT_EQ(job_id_millis("nonsense"), 0);
}

}  // namespace
}  // namespace herald::jobs

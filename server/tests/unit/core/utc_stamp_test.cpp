#include "core/utc_stamp.hpp"

#include <gtest/gtest.h>

#include <random>

#include <fmt/chrono.h>
#include <fmt/format.h>

namespace herald {
namespace {

using std::chrono::milliseconds;
using std::chrono::system_clock;

system_clock::time_point at_ms(std::int64_t ms) { return system_clock::time_point(milliseconds(ms)); }

// What the log line carried before: fmt's strftime over gmtime.
std::string reference(system_clock::time_point t) {
  auto ms = std::chrono::duration_cast<milliseconds>(t.time_since_epoch()).count() % 1000;
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03d}Z", fmt::gmtime(system_clock::to_time_t(t)), ms);
}

TEST(UtcStamp, KnownInstants) {
  EXPECT_EQ(view(utc_stamp_ms(at_ms(0))), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(view(utc_stamp_ms(at_ms(1'700'000'000'123))), "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(view(utc_stamp_ms(at_ms(1'709'164'799'999))), "2024-02-28T23:59:59.999Z");
  EXPECT_EQ(view(utc_stamp_ms(at_ms(1'709'164'800'000))), "2024-02-29T00:00:00.000Z");
  EXPECT_EQ(view(utc_stamp_ms(at_ms(1'735'689'599'999))), "2024-12-31T23:59:59.999Z");
  EXPECT_EQ(view(utc_stamp_ms(at_ms(7'258'118'400'000))), "2200-01-01T00:00:00.000Z");
  // Before 1970 the milliseconds still count up within their second.
  EXPECT_EQ(view(utc_stamp_ms(at_ms(-1))), "1969-12-31T23:59:59.999Z");
}

TEST(UtcStamp, AgreesWithGmtimeFrom1970To2261) {
  std::mt19937_64 rng(20261130);
  // system_clock counts nanoseconds in 64 bits here: it ends in 2262.
  std::uniform_int_distribution<std::int64_t> any(0, 9'200'000'000'000);
  for (int i = 0; i < 20000; ++i) {
    const auto t = at_ms(any(rng));
    ASSERT_EQ(view(utc_stamp_ms(t)), reference(t)) << t.time_since_epoch().count();
  }
}

}  // namespace
}  // namespace herald

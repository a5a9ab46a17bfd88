#include "campaigns/schedule.hpp"

#include <gtest/gtest.h>

#include "core/time.hpp"

namespace herald::campaigns {
namespace {

SysSeconds at(const char* rfc) { return std::chrono::time_point_cast<std::chrono::seconds>(*parse_rfc3339(rfc)); }
std::string show(SysSeconds t) { return rfc3339(std::chrono::system_clock::time_point(t)); }

ZoneDirectory& zones() {
  static ZoneDirectory z;
  return z;
}

TEST(LocalTime, ParsesHoursAndMinutesOnly) {
  EXPECT_EQ(parse_local_time("09:30"), 9 * 60 + 30);
  EXPECT_EQ(parse_local_time("00:00"), 0);
  EXPECT_EQ(parse_local_time("23:59"), 23 * 60 + 59);
  for (const char* bad : {"24:00", "9:30", "09:60", "0930", "09:30:00", "", "ab:cd"})
    EXPECT_FALSE(parse_local_time(bad)) << bad;
}

TEST(LocalTime, UtcIsTheSameDayWhenTheTimeIsStillAhead) {
  auto z = zones().find("UTC");
  ASSERT_TRUE(z);
  EXPECT_EQ(show(next_local_time(*z, 9 * 60, at("2026-12-01T08:00:00Z"))), "2026-12-01T09:00:00.000Z");
  EXPECT_EQ(show(next_local_time(*z, 9 * 60, at("2026-12-01T09:00:00Z"))), "2026-12-01T09:00:00.000Z");
  EXPECT_EQ(show(next_local_time(*z, 9 * 60, at("2026-12-01T09:00:01Z"))), "2026-12-02T09:00:00.000Z");
}

TEST(LocalTime, FollowsTheLeadsZoneAndItsDaylightSavingTime) {
  auto ny = zones().find("America/New_York");
  auto berlin = zones().find("Europe/Berlin");
  auto tokyo = zones().find("Asia/Tokyo");
  ASSERT_TRUE(ny && berlin && tokyo);
  // Winter: New York is UTC-5, Berlin UTC+1, Tokyo UTC+9 (no DST).
  EXPECT_EQ(show(next_local_time(*ny, 9 * 60, at("2026-12-01T00:00:00Z"))), "2026-12-01T14:00:00.000Z");
  EXPECT_EQ(show(next_local_time(*berlin, 9 * 60, at("2026-12-01T00:00:00Z"))), "2026-12-01T08:00:00.000Z");
  EXPECT_EQ(show(next_local_time(*tokyo, 9 * 60, at("2026-12-01T00:00:00Z"))), "2026-12-01T00:00:00.000Z");
  EXPECT_EQ(show(next_local_time(*tokyo, 9 * 60, at("2026-12-01T00:00:01Z"))), "2026-12-02T00:00:00.000Z");
  // Summer: New York UTC-4, Berlin UTC+2.
  EXPECT_EQ(show(next_local_time(*ny, 9 * 60, at("2026-07-01T00:00:00Z"))), "2026-07-01T13:00:00.000Z");
  EXPECT_EQ(show(next_local_time(*berlin, 9 * 60, at("2026-07-01T00:00:00Z"))), "2026-07-01T07:00:00.000Z");
  // Already past 09:00 in Berlin: tomorrow.
  EXPECT_EQ(show(next_local_time(*berlin, 9 * 60, at("2026-07-01T08:00:00Z"))), "2026-07-02T07:00:00.000Z");
}

TEST(LocalTime, ATimeTheSpringChangeSkipsGoesOutOnTheNewClock) {
  auto berlin = zones().find("Europe/Berlin");
  ASSERT_TRUE(berlin);
  // 2026-03-29: clocks go from 02:00 CET to 03:00 CEST; 02:30 does not exist.
  EXPECT_EQ(show(next_local_time(*berlin, 2 * 60 + 30, at("2026-03-29T00:00:00Z"))), "2026-03-29T01:30:00.000Z");
}

TEST(Zones, UnknownAndUnsafeNamesAreNotZones) {
  EXPECT_FALSE(zones().find("Mars/Olympus_Mons"));
  EXPECT_FALSE(zones().find("../../etc/passwd"));
  EXPECT_FALSE(zones().find("/etc/passwd"));
  EXPECT_FALSE(zones().find(""));
  EXPECT_TRUE(zones().find("Europe/Paris"));
}

TEST(Zones, RefusesDataThatIsNotTzif) {
  EXPECT_THROW(Zone::parse("not a zone file at all, clearly"), std::invalid_argument);
}

// 2026-12-01 is a Tuesday.
TEST(BestTime, NextWeeklyTimeIsTheSlotWithinAWeek) {
  auto utc = zones().find("UTC");
  ASSERT_TRUE(utc);
  EXPECT_EQ(show(next_weekly_time(*utc, 1, 10, at("2026-12-01T08:00:00Z"))), "2026-12-01T10:00:00.000Z");
  EXPECT_EQ(show(next_weekly_time(*utc, 1, 10, at("2026-12-01T10:00:00Z"))), "2026-12-01T10:00:00.000Z");
  EXPECT_EQ(show(next_weekly_time(*utc, 1, 10, at("2026-12-01T10:00:01Z"))), "2026-12-08T10:00:00.000Z");
  EXPECT_EQ(show(next_weekly_time(*utc, 0, 0, at("2026-12-01T00:00:00Z"))), "2026-12-07T00:00:00.000Z");
  EXPECT_EQ(show(next_weekly_time(*utc, 6, 23, at("2026-12-01T00:00:00Z"))), "2026-12-06T23:00:00.000Z");
}

TEST(BestTime, NextWeeklyTimeIsOnTheLeadsClock) {
  auto ny = zones().find("America/New_York");
  auto tokyo = zones().find("Asia/Tokyo");
  ASSERT_TRUE(ny && tokyo);
  // Thursday 09:00 in New York (UTC-5 in December) is 14:00 UTC.
  EXPECT_EQ(show(next_weekly_time(*ny, 3, 9, at("2026-12-01T00:00:00Z"))), "2026-12-03T14:00:00.000Z");
  // Monday 08:00 in Tokyo is Sunday 23:00 UTC.
  EXPECT_EQ(show(next_weekly_time(*tokyo, 0, 8, at("2026-12-01T00:00:00Z"))), "2026-12-06T23:00:00.000Z");
  // Every slot of the week is found within 7 days.
  const auto from = at("2026-03-05T12:34:56Z");
  for (int d = 0; d < 7; ++d)
    for (int h = 0; h < 24; ++h) {
      const auto t = next_weekly_time(*ny, d, h, from);
      EXPECT_GE(t, from);
      EXPECT_LT(t, from + std::chrono::days(7) + std::chrono::hours(2)) << d << " " << h;
    }
}

}  // namespace
}  // namespace herald::campaigns

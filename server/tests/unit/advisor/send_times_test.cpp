// Send-time advice's pure parts: local day and hour in a zone (Monday = 0,
// across DST), the histogram, the best slot and its tie-breaks, the default
// with no events, and the level chosen from how much history there is.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "advisor/send_times.hpp"
#include "advisor/types.hpp"
#include "core/errors.hpp"

namespace herald::advisor {
namespace {

// 2026-01-05T00:00:00Z is a Monday.
constexpr std::int64_t kMonday = 1'767'571'200'000;
constexpr std::int64_t kHour = 3'600'000;
constexpr std::int64_t kDay = 24 * kHour;

TEST(SendTimes, LocalSlotIsMondayBasedInUtc) {
  const auto utc = Zone::utc();
  EXPECT_EQ(local_slot(utc, kMonday), (BestTime{0, 0}));
  EXPECT_EQ(local_slot(utc, kMonday + kDay + 10 * kHour + 59 * 60'000), (BestTime{1, 10}));
  EXPECT_EQ(local_slot(utc, kMonday + 6 * kDay + 23 * kHour), (BestTime{6, 23}));
  EXPECT_EQ(local_slot(utc, kMonday + 7 * kDay), (BestTime{0, 0}));
  EXPECT_EQ(local_slot(utc, kMonday - 1), (BestTime{6, 23}));
}

TEST(SendTimes, LocalSlotFollowsTheZoneAndItsDst) {
  ZoneDirectory zones;
  auto ny = zones.find("America/New_York");
  ASSERT_NE(ny, nullptr);
  // Monday 02:00 UTC is Sunday 21:00 in New York in January (UTC-5).
  EXPECT_EQ(local_slot(*ny, kMonday + 2 * kHour), (BestTime{6, 21}));
  // In July (UTC-4): 2026-07-06 is a Monday; 14:00 UTC is 10:00 there.
  constexpr std::int64_t kJulyMonday = 1'783'296'000'000;
  EXPECT_EQ(local_slot(*ny, kJulyMonday + 14 * kHour), (BestTime{0, 10}));
}

TEST(SendTimes, HistogramCountsAndBestIsTheFullestSlot) {
  const auto utc = Zone::utc();
  SendHistogram h{};
  for (int i = 0; i < 3; ++i) add_event(h, utc, kMonday + 2 * kDay + 15 * kHour + i * 60'000);  // Wed 15:00
  add_event(h, utc, kMonday + 9 * kHour);                                                       // Mon 09:00
  add_event(h, utc, kMonday + 7 * kDay + 9 * kHour);                                            // next Mon 09:00
  EXPECT_EQ(total(h), 5);
  EXPECT_EQ(h[2][15], 3);
  EXPECT_EQ(h[0][9], 2);
  EXPECT_EQ(best_of(h), (BestTime{2, 15}));
}

TEST(SendTimes, NoEventsGiveTuesdayTen) {
  SendHistogram h{};
  EXPECT_EQ(best_of(h), (BestTime{1, 10}));
  EXPECT_EQ(kDefaultSendDay, 1);
  EXPECT_EQ(kDefaultSendHour, 10);
}

TEST(SendTimes, TiesGoToBusierNeighboursThenEarliest) {
  SendHistogram h{};
  h[4][8] = 3;  // Friday 08:00, alone
  h[1][14] = 3;
  h[1][15] = 1;  // Tuesday 14:00 has a busier neighbour
  EXPECT_EQ(best_of(h), (BestTime{1, 14}));
  SendHistogram flat{};
  flat[5][7] = 2;
  flat[3][7] = 2;
  flat[6][23] = 2;
  EXPECT_EQ(best_of(flat), (BestTime{3, 7}));  // equal neighbours: earliest in the week
  SendHistogram wrap{};
  wrap[0][0] = 2;
  wrap[6][23] = 1;  // the hour before Monday 00:00 wraps to Sunday 23:00
  wrap[2][2] = 2;
  EXPECT_EQ(best_of(wrap), (BestTime{0, 0}));
}

TEST(SendTimes, LevelIsTheNarrowestWithEnoughEvents) {
  EXPECT_EQ(kMinSendTimeEvents, 5);
  EXPECT_EQ(choose_level(5, 100), SendTimeLevel::Lead);
  EXPECT_EQ(choose_level(4, 5), SendTimeLevel::Segment);
  EXPECT_EQ(choose_level(4, 4), SendTimeLevel::Global);
  EXPECT_EQ(choose_level(-1, 7), SendTimeLevel::Segment);
  EXPECT_EQ(choose_level(-1, -1), SendTimeLevel::Global);
  EXPECT_EQ(choose_level(0, -1), SendTimeLevel::Global);
}

TEST(SendTimes, EngagementIsOpensAndReplies) {
  EXPECT_TRUE(is_engagement("open"));
  EXPECT_TRUE(is_engagement("reply"));
  EXPECT_FALSE(is_engagement("click"));
  EXPECT_FALSE(is_engagement("delivered"));
  EXPECT_FALSE(is_engagement("unsubscribe"));
}

TEST(SendTimes, JsonShape) {
  SendTimeAdvice a;
  a.level = SendTimeLevel::Segment;
  a.histogram[3][9] = 6;
  a.events = 6;
  a.best = {3, 9};
  a.tz = "Europe/Paris";
  auto j = to_json(a);
  EXPECT_EQ(j["level"], "segment");
  EXPECT_EQ(j["events"], 6);
  EXPECT_EQ(j["best"], nlohmann::json({{"day", 3}, {"hour", 9}}));
  EXPECT_EQ(j["tz"], "Europe/Paris");
  ASSERT_EQ(j["histogram"].size(), 7u);
  EXPECT_EQ(j["histogram"][3].size(), 24u);
  EXPECT_EQ(j["histogram"][3][9], 6);
  EXPECT_EQ(j["min_events"], kMinSendTimeEvents);
}

TEST(SendTimes, QueryIdsMustBePositiveIntegers) {
  auto field = [](std::optional<std::string> lead, std::optional<std::string> segment) {
    try {
      parse_send_times_query(lead, segment);
    } catch (const ValidationError& e) {
      return e.errors().at(0).field;
    }
    return std::string("none");
  };
  EXPECT_EQ(field("0", std::nullopt), "lead_id");
  EXPECT_EQ(field("-3", std::nullopt), "lead_id");
  EXPECT_EQ(field("+3", std::nullopt), "lead_id");
  EXPECT_EQ(field("3x", std::nullopt), "lead_id");
  EXPECT_EQ(field("", std::nullopt), "lead_id");
  EXPECT_EQ(field(std::nullopt, "abc"), "segment_id");
  EXPECT_EQ(field(std::nullopt, "99999999999999999999"), "segment_id");
  EXPECT_EQ(field("7", "8"), "none");
  auto q = parse_send_times_query("7", std::nullopt);
  EXPECT_EQ(q.lead_id, 7);
  EXPECT_FALSE(q.segment_id);
}

}  // namespace
}  // namespace herald::advisor

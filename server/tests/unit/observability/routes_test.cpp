// The pure parts of the observability endpoints: the minutes parameter, the
// metrics token check, and the per-minute series of the charts.
#include "observability/routes.hpp"

#include <gtest/gtest.h>

#include "core/errors.hpp"
#include "core/time.hpp"
#include "observability/system_report.hpp"

namespace herald::observability {
namespace {

TEST(ParseMinutes, DefaultsAndBounds) {
  EXPECT_EQ(parse_minutes(std::nullopt), 60);
  EXPECT_EQ(parse_minutes("1"), 1);
  EXPECT_EQ(parse_minutes("1440"), 1440);
  for (const char* bad : {"0", "1441", "-5", "", " 5", "5 ", "1e2", "0x10", "abc", "99999999999999999999"}) {
    try {
      parse_minutes(std::string(bad));
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const ValidationError& e) {
      ASSERT_EQ(e.errors().size(), 1u);
      EXPECT_EQ(e.errors()[0].field, "minutes");
    }
  }
}

http::Request with_authorization(std::string value) {
  http::Request req;
  req.headers.add("Authorization", std::move(value));
  return req;
}

TEST(ScrapeAccess, WithoutATokenEveryoneMayScrape) {
  const ScrapeAccess open(std::nullopt);
  EXPECT_NO_THROW(open.check(http::Request{}));
  EXPECT_NO_THROW(open.check(with_authorization("Bearer anything")));
}

TEST(ScrapeAccess, WithATokenOnlyItsBearer) {
  const ScrapeAccess guarded(std::string("0123456789abcdef"));
  EXPECT_NO_THROW(guarded.check(with_authorization("Bearer 0123456789abcdef")));
  EXPECT_THROW(guarded.check(http::Request{}), Unauthorized);
  for (const char* bad :
       {"Bearer 0123456789abcdeF", "Bearer 0123456789abcde", "Bearer 0123456789abcdefg", "bearer 0123456789abcdef",
        "Basic 0123456789abcdef", "Bearer", "Bearer ", "0123456789abcdef"}) {
    EXPECT_THROW(guarded.check(with_authorization(bad)), Unauthorized) << bad;
  }
}

TEST(MinuteSeries, EveryMinuteOfTheWindowOldestFirstWithZeros) {
  MinuteRow busy;
  busy.minute = 1002;
  busy.calls = 4;
  busy.errors = 1;
  busy.latency.sum_ns = 10'000'000;  // 10 ms over 4 calls
  MinuteRow outside;
  outside.minute = 990;
  outside.calls = 9;
  const auto series = minute_series({outside, busy}, 1000, 5);
  ASSERT_EQ(series.size(), 5u);
  EXPECT_EQ(series[0]["t"], rfc3339(std::chrono::system_clock::time_point(std::chrono::minutes(1000))));
  EXPECT_EQ(series[2]["calls"], 4);
  EXPECT_EQ(series[2]["errors"], 1);
  EXPECT_DOUBLE_EQ(series[2]["avg_response_ms"].get<double>(), 2.5);
  for (std::size_t i : {0u, 1u, 3u, 4u}) {
    EXPECT_EQ(series[i]["calls"], 0) << i;
    EXPECT_EQ(series[i]["avg_response_ms"], 0.0) << i;
  }
}

}  // namespace
}  // namespace herald::observability

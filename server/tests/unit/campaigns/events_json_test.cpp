#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "campaigns/recipient_store.hpp"

namespace herald::campaigns {
namespace {

using nlohmann::json;

TEST(EventsJson, ABatchIsAnArrayOfItsEventsInOrder) {
  std::vector<Event> batch{
      {7, 42, "open", 1796000000123, "Mozilla/5.0 (X11; Linux x86_64)", "203.0.113.9", std::nullopt},
      {7, 43, "click", 1796000000456, "", "2001:db8::1", "https://example.org/offer?a=1&b=2#top"},
  };
  const auto parsed = json::parse(events_json(batch));
  ASSERT_TRUE(parsed.is_array());
  ASSERT_EQ(parsed.size(), 2U);
  EXPECT_EQ(parsed[0], json({{"c", 7},
                             {"l", 42},
                             {"y", "open"},
                             {"t", 1796000000123},
                             {"a", "Mozilla/5.0 (X11; Linux x86_64)"},
                             {"p", "203.0.113.9"},
                             {"u", nullptr}}));
  EXPECT_EQ(parsed[1]["y"], "click");
  EXPECT_EQ(parsed[1]["a"], "");
  EXPECT_EQ(parsed[1]["u"], "https://example.org/offer?a=1&b=2#top");
}

TEST(EventsJson, AnEmptyBatchIsAnEmptyArray) { EXPECT_EQ(events_json({}), "[]"); }

TEST(EventsJson, QuotesControlsNulAndBadUtf8AreWrittenSafely) {
  // A user agent is whatever the client sent: quotes, backslashes, control
  // characters, NUL (PostgreSQL's text cannot hold it) and invalid UTF-8
  // must still make one valid JSON document with the text kept.
  const std::string ua = std::string("Evil \"agent\" \\ \t\n") + '\0' + "end \xff\xfe caf\xc3\xa9";
  std::vector<Event> batch{{1, 2, "click", 3, ua, "127.0.0.1", std::string("https://x.example/\"q\"")}};
  const auto text = events_json(batch);
  json parsed;
  ASSERT_NO_THROW(parsed = json::parse(text)) << text;
  EXPECT_EQ(parsed[0]["a"], "Evil \"agent\" \\ \t\nend \xef\xbf\xbd\xef\xbf\xbd caf\xc3\xa9");
  EXPECT_EQ(parsed[0]["u"], "https://x.example/\"q\"");
  EXPECT_EQ(text.find('\0'), std::string::npos);
}

}  // namespace
}  // namespace herald::campaigns

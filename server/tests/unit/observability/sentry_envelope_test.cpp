// Sentry's wire protocol: envelope framing, the auth header, rate limits, sampling.
#include "observability/sentry_envelope.hpp"

#include <gtest/gtest.h>

#include <random>

#include <nlohmann/json.hpp>

namespace herald::observability {
namespace {

using nlohmann::json;
using std::chrono::seconds;

TEST(SentryEnvelope, ThreeLinesWithTheItemLengthInBytes) {
  // A payload with multi-byte characters: length counts bytes, not characters.
  const std::string payload = R"({"event_id":"abc","message":{"formatted":"caf\u00e9 \u2603"}})";
  const std::string payload_utf8 = json::parse(payload).dump();
  const std::string env = event_envelope("abc", "https://k@h/1", "2026-12-01T10:00:00.000Z", payload_utf8);

  const auto first = env.find('\n');
  const auto second = env.find('\n', first + 1);
  ASSERT_NE(first, std::string::npos);
  ASSERT_NE(second, std::string::npos);
  const json header = json::parse(env.substr(0, first));
  const json item = json::parse(env.substr(first + 1, second - first - 1));
  EXPECT_EQ(header, (json{{"event_id", "abc"}, {"dsn", "https://k@h/1"}, {"sent_at", "2026-12-01T10:00:00.000Z"}}));
  EXPECT_EQ(item["type"], "event");
  EXPECT_EQ(item["content_type"], "application/json");
  ASSERT_EQ(item["length"].get<std::size_t>(), payload_utf8.size());
  EXPECT_GT(payload_utf8.size(), json::parse(payload_utf8)["message"]["formatted"].get<std::string>().size());
  EXPECT_EQ(env.substr(second + 1, payload_utf8.size()), payload_utf8);
  EXPECT_EQ(env.substr(second + 1 + payload_utf8.size()), "\n");
}

TEST(SentryEnvelope, AuthHeaderNamesVersionClientAndKey) {
  SentryDsn dsn;
  dsn.public_key = "abc123";
  EXPECT_EQ(auth_header(dsn),
            std::string("Sentry sentry_version=7, sentry_client=herald/") + HERALD_VERSION + ", sentry_key=abc123");
}

TEST(SentryRateLimits, HeaderCoveringErrorsHoldsBack) {
  EXPECT_EQ(rate_limit_backoff(429, "60:error:key", std::nullopt), seconds(60));
  // Empty categories cover everything; the longest covering limit wins.
  EXPECT_EQ(rate_limit_backoff(429, "30::organization, 120:error;transaction:project", std::nullopt), seconds(120));
  // Honoured on a 200 too (Sentry may announce a limit with a successful answer).
  EXPECT_EQ(rate_limit_backoff(200, "10:default;error:key:quota_exceeded", std::nullopt), seconds(10));
  // Fractions round up.
  EXPECT_EQ(rate_limit_backoff(200, "2.5:error:key", std::nullopt), seconds(3));
}

TEST(SentryRateLimits, LimitsOfOtherCategoriesDoNotHoldErrorsBack) {
  EXPECT_EQ(rate_limit_backoff(200, "60:transaction;attachment:key", std::nullopt), std::nullopt);
  // ... unless our event itself was refused: then Retry-After, else 60 s.
  EXPECT_EQ(rate_limit_backoff(429, "60:transaction:key", "5"), seconds(5));
}

TEST(SentryRateLimits, TooManyRequestsWithoutTheHeader) {
  EXPECT_EQ(rate_limit_backoff(429, std::nullopt, "17"), seconds(17));
  EXPECT_EQ(rate_limit_backoff(429, std::nullopt, std::nullopt), seconds(60));
  EXPECT_EQ(rate_limit_backoff(429, std::nullopt, "Wed, 21 Oct 2026 07:28:00 GMT"), seconds(60));
  EXPECT_EQ(rate_limit_backoff(429, "garbage", std::nullopt), seconds(60));
}

TEST(SentryRateLimits, OtherAnswersDoNotHoldBack) {
  for (int status : {0, 200, 400, 413, 500, 503}) {
    EXPECT_EQ(rate_limit_backoff(status, std::nullopt, "30"), std::nullopt) << status;
  }
}

TEST(SentrySampling, RateDecidesTheShareSent) {
  EXPECT_FALSE(sampled(0.0, 0.0));
  EXPECT_TRUE(sampled(1.0, 0.999999));
  EXPECT_TRUE(sampled(0.25, 0.2));
  EXPECT_FALSE(sampled(0.25, 0.25));
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  int kept = 0;
  for (int i = 0; i < 100'000; ++i) kept += sampled(0.1, uniform(rng)) ? 1 : 0;
  EXPECT_NEAR(kept, 10'000, 400);
}

}  // namespace
}  // namespace herald::observability

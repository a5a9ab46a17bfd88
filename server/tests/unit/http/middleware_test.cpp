#include <gtest/gtest.h>

#include "core/errors.hpp"
#include "http/middleware/client_ip.hpp"
#include "http/middleware/cors.hpp"
#include "http/middleware/rate_limit.hpp"
#include "http/middleware/request_id.hpp"
#include "http/middleware/security_headers.hpp"
#include "http/middleware/trusted_host.hpp"

namespace herald::http {
namespace {

TEST(RequestId, SaneValuesOnly) {
  EXPECT_TRUE(is_sane_request_id("abc-123_x.Y"));
  EXPECT_TRUE(is_sane_request_id(std::string(128, 'a')));
  EXPECT_FALSE(is_sane_request_id(std::string(129, 'a')));
  EXPECT_FALSE(is_sane_request_id(""));
  EXPECT_FALSE(is_sane_request_id("a b"));
  EXPECT_FALSE(is_sane_request_id("a\nb"));
  EXPECT_FALSE(is_sane_request_id("é"));
  EXPECT_EQ(resolve_request_id("keep-me"), "keep-me");
  auto a = generate_request_id(), b = generate_request_id();
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, b);
}

TEST(TrustedHosts, AllowsListedHostsWithAnyPort) {
  TrustedHosts h({"localhost", "127.0.0.1", "[::1]", "Herald.Example.com"});
  EXPECT_TRUE(h.allowed("localhost"));
  EXPECT_TRUE(h.allowed("localhost:8000"));
  EXPECT_TRUE(h.allowed("LOCALHOST:8000"));
  EXPECT_TRUE(h.allowed("[::1]:8000"));
  EXPECT_TRUE(h.allowed("herald.example.com"));
  EXPECT_FALSE(h.allowed("evil.example"));
  EXPECT_FALSE(h.allowed("localhost.evil.example"));
  EXPECT_FALSE(h.allowed(""));
  EXPECT_TRUE(TrustedHosts({"*"}).allowed("anything.example"));
}

TEST(Cors, PreflightAndDecoration) {
  Cors cors({"https://app.example.com/"});
  Request pre;
  pre.method = Method::Options;
  pre.headers.add("Origin", "https://app.example.com");
  pre.headers.add("Access-Control-Request-Method", "PATCH");
  ASSERT_TRUE(Cors::is_preflight(pre));
  auto ok = cors.preflight(pre);
  EXPECT_EQ(ok.status, 204);
  EXPECT_EQ(ok.headers.get("Access-Control-Allow-Origin"), "https://app.example.com");

  Request foreign = pre;
  foreign.headers.set("Origin", "https://evil.example");
  EXPECT_EQ(cors.preflight(foreign).status, 403);

  Response plain;
  cors.decorate(foreign, plain);
  EXPECT_FALSE(plain.headers.contains("Access-Control-Allow-Origin"));
  EXPECT_EQ(plain.headers.get("Vary"), "Origin");

  Request get;
  get.headers.add("Origin", "https://app.example.com");
  Response r;
  cors.decorate(get, r);
  EXPECT_EQ(r.headers.get("Access-Control-Allow-Credentials"), "true");
}

TEST(SecurityHeaders, ApiAndPageVariantsAndHsts) {
  Response api = Response::json_text(200, "{}");
  apply_security_headers(api, {false});
  EXPECT_EQ(api.headers.get("Content-Security-Policy"), "default-src 'none'; frame-ancestors 'none'");
  EXPECT_FALSE(api.headers.contains("Strict-Transport-Security"));
  Response page = Response::text(200, "<html>", "text/html; charset=utf-8");
  apply_security_headers(page, {true});
  EXPECT_NE(page.headers.get("Content-Security-Policy")->find("script-src 'self'"), std::string_view::npos);
  EXPECT_TRUE(page.headers.contains("Strict-Transport-Security"));
}

TEST(SecurityHeaders, AHandlersReferrerPolicyIsKeptAndNotDoubled) {
  Response own;
  own.headers.add("Referrer-Policy", "no-referrer");
  apply_security_headers(own, {false});
  int n = 0;
  for (const auto& [name, value] : own.headers.entries())
    if (name == "Referrer-Policy") ++n;
  EXPECT_EQ(n, 1);
  EXPECT_EQ(own.headers.get("Referrer-Policy"), "no-referrer");
  Response plain;
  apply_security_headers(plain, {false});
  EXPECT_EQ(plain.headers.get("Referrer-Policy"), "strict-origin-when-cross-origin");
}

TEST(TokenBucket, RefillsAtTheConfiguredRate) {
  RatePolicy p{"api", 3, std::chrono::seconds(3)};  // one token per second
  TokenBucket b;
  Clock::time_point t{std::chrono::seconds(100)};
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(take_token(b, p, t).allowed);
  auto refused = take_token(b, p, t);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_s, 1);
  EXPECT_EQ(refused.remaining, 0);
  EXPECT_TRUE(take_token(b, p, t + std::chrono::milliseconds(1000)).allowed);
  EXPECT_FALSE(take_token(b, p, t + std::chrono::milliseconds(1100)).allowed);
  // A long pause refills to the capacity, never beyond.
  auto later = take_token(b, p, t + std::chrono::seconds(60));
  EXPECT_TRUE(later.allowed);
  EXPECT_EQ(later.remaining, 2);
}

TEST(InProcessRateLimiter, KeysAreIndependent) {
  ManualClock clock;
  InProcessRateLimiter limiter(clock);
  RatePolicy p{"api", 1, std::chrono::seconds(60)};
  EXPECT_TRUE(limiter.take("api:1.1.1.1", p).allowed);
  EXPECT_FALSE(limiter.take("api:1.1.1.1", p).allowed);
  EXPECT_TRUE(limiter.take("api:2.2.2.2", p).allowed);
  clock.advance(std::chrono::seconds(60));
  EXPECT_TRUE(limiter.take("api:1.1.1.1", p).allowed);
  EXPECT_EQ(limiter.tracked_keys(), 2u);
}

TEST(InProcessRateLimiter, AKeyIsItsTextNotTheBufferItWasPassedIn) {
  // Keys are looked up by view: a view into a longer buffer counts for its
  // text only, and the bucket outlives the buffer it was first seen in.
  ManualClock clock;
  InProcessRateLimiter limiter(clock);
  RatePolicy p{"public", 2, std::chrono::seconds(60)};
  {
    std::string buffer = "public:10.0.0.1 and more bytes";
    EXPECT_TRUE(limiter.take(std::string_view(buffer).substr(0, 15), p).allowed);
    buffer.assign(buffer.size(), 'x');
  }
  EXPECT_TRUE(limiter.take("public:10.0.0.1", p).allowed);
  EXPECT_FALSE(limiter.take(std::string("public:10.0.0.1"), p).allowed);
  EXPECT_TRUE(limiter.take("public:10.0.0.10", p).allowed);
  EXPECT_EQ(limiter.tracked_keys(), 2u);
}

TEST(RateLimitFields, FollowTheDraftSyntax) {
  RatePolicy p{"api", 600, std::chrono::seconds(60)};
  EXPECT_EQ(ratelimit_policy_field(p), "\"api\";q=600;w=60");
  RateDecision d{true, 600, 599, 1, 0};
  EXPECT_EQ(ratelimit_field(p, d), "\"api\";r=599;t=1");
  // Refused: t is the wait for one request; large and zero values in full.
  EXPECT_EQ(ratelimit_field(RatePolicy{"public", 1000000000, std::chrono::seconds(60)},
                            RateDecision{false, 1000000000, 0, 61, 7}),
            "\"public\";r=0;t=7");
  EXPECT_EQ(ratelimit_field(p, RateDecision{true, 9223372036854775807, 9223372036854775807, 0, 0}),
            "\"api\";r=9223372036854775807;t=0");
}

TEST(TrustedProxies, ForwardedForOnlyFromTrustedPeers) {
  TrustedProxies none({});
  EXPECT_EQ(none.client_ip("10.0.0.1", "1.2.3.4"), "10.0.0.1");
  TrustedProxies proxies({"10.0.0.0/8", "192.168.1.1"});
  EXPECT_EQ(proxies.client_ip("10.0.0.1", "1.2.3.4"), "1.2.3.4");
  EXPECT_EQ(proxies.client_ip("10.0.0.1", "6.6.6.6, 1.2.3.4, 10.1.1.1"), "1.2.3.4");
  EXPECT_EQ(proxies.client_ip("8.8.8.8", "1.2.3.4"), "8.8.8.8");
  EXPECT_EQ(proxies.client_ip("192.168.1.1", std::nullopt), "192.168.1.1");
  EXPECT_THROW(TrustedProxies({"10.0.0.0/40"}), herald::ConfigError);
}

}  // namespace
}  // namespace herald::http

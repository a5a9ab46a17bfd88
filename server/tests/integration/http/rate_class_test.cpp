// Each route takes its token from its rate class's budget: the API's, the
// public links' (outside /api, HERALD_PUBLIC_RATE_LIMIT), or none at all.
#include <gtest/gtest.h>

#include "http/router.hpp"
#include "support/test_server.hpp"

namespace herald::test {
namespace {

using std::chrono::seconds;

TestServer limited_server() {
  return TestServer(
      [](Config& c) {
        c.rate_limit = RateSpec{5, seconds(60)};
        c.public_rate_limit = RateSpec{3, seconds(60)};
      },
      "");
}

TEST(RateClass, APublicRouteOutsideApiIsLimitedByItsOwnBudget) {
  auto server = limited_server();
  auto c = server.client();
  for (int i = 0; i < 3; ++i) {
    // The real open pixel: a token of no campaign is a 404, and still takes a token.
    auto r = c->get("/t/o/token-" + std::to_string(i));
    ASSERT_EQ(r.status, 404) << "request " << i;
    EXPECT_EQ(r.header("RateLimit-Policy"), "\"public\";q=3;w=60");
  }
  auto refused = c->get("/t/o/token-4");
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(refused.header("Retry-After"), "20");
  EXPECT_EQ(refused.header("Content-Type"), "application/problem+json");
  // The API's budget is another one: untouched by the links.
  auto api = c->get("/api/openapi.json");
  EXPECT_EQ(api.status, 200);
  EXPECT_EQ(api.header("RateLimit"), "\"api\";r=4;t=12");
}

TEST(RateClass, LivenessIsNeverLimited) {
  auto server = limited_server();
  auto c = server.client();
  // Spend the API budget, including on a path with no route (probing costs too).
  for (int i = 0; i < 4; ++i) EXPECT_EQ(c->get("/api/openapi.json").status, 200);
  EXPECT_EQ(c->get("/api/no-such-route").status, 404);
  EXPECT_EQ(c->get("/api/openapi.json").status, 429);
  EXPECT_EQ(c->get("/api/no-such-route").status, 429);
  for (int i = 0; i < 200; ++i) {
    auto r = c->get("/api/health");
    ASSERT_EQ(r.status, 200) << "liveness refused at request " << i;
    EXPECT_FALSE(r.header("RateLimit").has_value());
  }
}

TEST(RateClass, EveryRouteOfTheTableNamesItsClass) {
  TestServer server;
  for (const auto& route : server.app().router().routes()) {
    if (route->path == "/api/health" || route->path == "/api/health/live" || route->path == "/api/health/ready") {
      EXPECT_EQ(route->rate, http::RateClass::None) << route->path << ": probes are never limited";
    } else if (route->path == "/api/auth/login" || route->path == "/api/auth/password") {
      EXPECT_EQ(route->rate, http::RateClass::Login) << route->path << " checks a password";
    } else if (route->path.starts_with("/api/")) {
      EXPECT_EQ(route->rate, http::RateClass::Api) << route->path;
    } else if (route->path == "/metrics") {
      EXPECT_EQ(route->rate, http::RateClass::None);
    } else {
      EXPECT_NE(route->rate, http::RateClass::Api) << route->path << " is outside /api: Public or None";
    }
  }
}

}  // namespace
}  // namespace herald::test

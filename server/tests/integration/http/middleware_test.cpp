// The middleware chain, black-box: each layer's allowed and refused case.
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <regex>
#include <thread>

#include "http/router.hpp"
#include "support/test_server.hpp"

namespace herald::test {
namespace {

// /api/test/slow answers only once the test lets it (or after a minute), and
// says when it has started: the shutdown test stops the server while a
// request is certainly in flight.
struct SlowGate {
  std::mutex mutex;
  std::condition_variable changed;
  bool started = false;
  bool open = false;
};
SlowGate& slow_gate() {
  static SlowGate gate;
  return gate;
}

// A public JSON echo route, for body handling, and the slow route.
void echo_routes(http::Router& r) {
  r.add(
      http::Method::Post, "/api/test/echo", [](http::Request& req) { return http::Response::json(200, req.json()); },
      http::Access::public_route());
  r.add(
      http::Method::Get, "/api/test/slow",
      [](http::Request&) {
        auto& gate = slow_gate();
        std::unique_lock lock(gate.mutex);
        gate.started = true;
        gate.changed.notify_all();
        const bool opened = gate.changed.wait_for(lock, std::chrono::seconds(60), [&] { return gate.open; });
        return http::Response::json(200, {{"done", opened}});
      },
      http::Access::public_route());
}

void expect_security_headers(const HttpResponse& r) {
  EXPECT_EQ(r.header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(r.header("X-Frame-Options"), "DENY");
  EXPECT_TRUE(r.header("Referrer-Policy").has_value());
  EXPECT_TRUE(r.header("Content-Security-Policy").has_value());
  EXPECT_TRUE(r.header("X-Request-ID").has_value());
}

void expect_problem(const HttpResponse& r, int status) {
  EXPECT_EQ(r.status, status);
  EXPECT_EQ(r.header("Content-Type"), "application/problem+json");
  auto doc = r.json();
  EXPECT_EQ(doc["status"], status);
  EXPECT_TRUE(doc.contains("title"));
  EXPECT_TRUE(doc.contains("detail"));
  EXPECT_TRUE(doc.contains("type"));
}

class MiddlewareTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new TestServer(
        [](Config& c) {
          c.cors_origins = {"https://app.example.com"};
          c.max_body = 1 << 20;
        },
        {}, echo_routes);
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static TestServer* server_;
};
TestServer* MiddlewareTest::server_ = nullptr;

TEST_F(MiddlewareTest, HealthAnswersHealthyWithEveryHeader) {
  auto c = server_->client();
  auto r = c->get("/api/health");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json(), nlohmann::json({{"status", "healthy"}}));
  EXPECT_EQ(r.header("Content-Type"), "application/json");
  expect_security_headers(r);
  EXPECT_TRUE(std::regex_match(*r.header("X-Request-ID"), std::regex("[0-9a-f]{32}")));
  // Liveness is never limited, so it takes no token and says nothing of one.
  EXPECT_FALSE(r.header("RateLimit-Policy").has_value());
  auto api = c->get("/api/openapi.json");
  EXPECT_EQ(api.header("RateLimit-Policy"), "\"api\";q=100000;w=60");
  EXPECT_TRUE(std::regex_match(*api.header("RateLimit"), std::regex("\"api\";r=\\d+;t=\\d+")));
}

TEST_F(MiddlewareTest, RequestIdIsEchoedWhenSaneAndReplacedOtherwise) {
  auto c = server_->client();
  EXPECT_EQ(c->get("/api/health", {{"X-Request-ID", "client-id_1.2"}}).header("X-Request-ID"), "client-id_1.2");
  auto bad = c->get("/api/health", {{"X-Request-ID", "bad id<script>"}}).header("X-Request-ID");
  EXPECT_NE(bad, "bad id<script>");
  EXPECT_TRUE(std::regex_match(*bad, std::regex("[0-9a-f]{32}")));
  auto too_long = c->get("/api/health", {{"X-Request-ID", std::string(129, 'a')}}).header("X-Request-ID");
  EXPECT_EQ(too_long->size(), 32u);
  EXPECT_EQ(c->get("/api/health", {{"X-Request-ID", std::string(128, 'a')}}).header("X-Request-ID"),
            std::string(128, 'a'));
}

TEST_F(MiddlewareTest, UntrustedHostIsRefusedWith400AndSecurityHeaders) {
  auto c = server_->client();
  auto r = c->get("/api/health", {{"Host", "evil.example"}});
  expect_problem(r, 400);
  expect_security_headers(r);
  EXPECT_NE(r.json()["detail"].get<std::string>().find("evil.example"), std::string::npos);
  EXPECT_EQ(c->get("/api/health", {{"Host", "localhost:8000"}}).status, 200);
  EXPECT_EQ(c->get("/api/health", {{"Host", "[::1]:8000"}}).status, 200);
  EXPECT_EQ(c->get("/api/health", {{"Host", "localhost.evil.example"}}).status, 400);
}

TEST_F(MiddlewareTest, CorsPreflightAllowedForConfiguredOrigin) {
  auto c = server_->client();
  auto r = c->request("OPTIONS", "/api/health", {},
                      {{"Origin", "https://app.example.com"},
                       {"Access-Control-Request-Method", "POST"},
                       {"Access-Control-Request-Headers", "authorization, content-type"}});
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.header("Access-Control-Allow-Origin"), "https://app.example.com");
  EXPECT_EQ(r.header("Access-Control-Allow-Credentials"), "true");
  EXPECT_NE(r.header("Access-Control-Allow-Methods")->find("POST"), std::string::npos);
  EXPECT_EQ(r.header("Access-Control-Allow-Headers"), "authorization, content-type");
  expect_security_headers(r);

  auto simple = c->get("/api/health", {{"Origin", "https://app.example.com"}});
  EXPECT_EQ(simple.header("Access-Control-Allow-Origin"), "https://app.example.com");
  EXPECT_NE(simple.header("Access-Control-Expose-Headers")->find("X-Request-ID"), std::string::npos);
}

TEST_F(MiddlewareTest, CorsPreflightRefusedForOtherOrigin) {
  auto c = server_->client();
  auto r = c->request("OPTIONS", "/api/health", {},
                      {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "POST"}});
  expect_problem(r, 403);
  EXPECT_FALSE(r.header("Access-Control-Allow-Origin").has_value());
  auto simple = c->get("/api/health", {{"Origin", "https://evil.example"}});
  EXPECT_EQ(simple.status, 200);
  EXPECT_FALSE(simple.header("Access-Control-Allow-Origin").has_value());
}

TEST_F(MiddlewareTest, BodyOverTheLimitIs413BeforeItIsRead) {
  auto c = server_->client();
  std::string two_mib(2 << 20, 'x');
  auto r = c->request("POST", "/api/test/echo", two_mib, {{"Content-Type", "application/json"}});
  expect_problem(r, 413);
  expect_security_headers(r);
  EXPECT_TRUE(r.closed);
}

TEST_F(MiddlewareTest, ContentLengthOverTheLimitIsRefusedWithoutSendingTheBody) {
  auto c = server_->client();
  // Only the head is sent: the answer must not wait for 2 MiB that never come.
  c->send_raw(
      "POST /api/test/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      "Content-Length: 2097152\r\n\r\n");
  auto r = c->read_response();
  expect_problem(r, 413);
}

TEST_F(MiddlewareTest, ChunkedBodyOverTheLimitIs413) {
  auto c = server_->client();
  c->send_raw(
      "POST /api/test/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n");
  std::string chunk(64 * 1024, 'x');
  char size_line[32];
  std::snprintf(size_line, sizeof size_line, "%zx\r\n", chunk.size());
  HttpResponse r;
  bool answered = false;
  for (int i = 0; i < 40 && !answered; ++i) {  // 2.5 MiB at most
    try {
      c->send_raw(size_line + chunk + "\r\n");
    } catch (const std::exception&) {
      break;  // the server stopped reading and closed: its answer is waiting
    }
    answered = c->server_closed(0);
  }
  r = c->read_response();
  expect_problem(r, 413);
  EXPECT_TRUE(r.closed);  // the rest of the body was never read: the connection cannot be reused
}

TEST_F(MiddlewareTest, ChunkedBodyUnderTheLimitIsAccepted) {
  auto c = server_->client();
  auto r = c->raw(
      "POST /api/test/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n2\r\n1}\r\n0\r\n\r\n");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json(), nlohmann::json({{"a", 1}}));
}

TEST_F(MiddlewareTest, InvalidJsonIs400NamingTheError) {
  auto c = server_->client();
  auto r = c->request("POST", "/api/test/echo", "{\"a\": tru", {{"Content-Type", "application/json"}});
  expect_problem(r, 400);
  EXPECT_NE(r.json()["detail"].get<std::string>().find("not valid JSON"), std::string::npos);
  auto empty = c->request("POST", "/api/test/echo", "", {{"Content-Type", "application/json"}});
  expect_problem(empty, 400);
  auto wrong_type =
      c->request("POST", "/api/test/echo", "a=1", {{"Content-Type", "application/x-www-form-urlencoded"}});
  expect_problem(wrong_type, 415);
}

TEST_F(MiddlewareTest, UnknownRouteIs404AndWrongMethodIs405WithAllow) {
  auto c = server_->client();
  auto missing = c->get("/api/nope");
  expect_problem(missing, 404);
  expect_security_headers(missing);
  auto wrong = c->request("DELETE", "/api/health");
  expect_problem(wrong, 405);
  EXPECT_EQ(wrong.header("Allow"), "GET, HEAD");
}

TEST_F(MiddlewareTest, MalformedRequestIs400) {
  auto c = server_->client();
  auto r = c->raw("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header Without Colon\r\n\r\n");
  expect_problem(r, 400);
}

TEST_F(MiddlewareTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  auto c = server_->client();
  for (int i = 0; i < 5; ++i) {
    auto r = c->get("/api/health");
    EXPECT_EQ(r.status, 200);
    EXPECT_FALSE(r.closed);
  }
  auto head = c->request("HEAD", "/api/health");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(head.header("Content-Length"), "20");
}

TEST(RateLimitTest, LimitIsEnforcedPerClientWith429RetryAfterAndRateLimitFields) {
  TestServer server([](Config& c) { c.rate_limit = RateSpec{5, std::chrono::seconds(60)}; });
  auto c = server.client();
  for (int i = 0; i < 5; ++i) {
    auto r = c->get("/api/openapi.json");
    ASSERT_EQ(r.status, 200) << "request " << i;
    // t: seconds until the bucket is full again; one less when a second has
    // passed since the first request (a slow machine).
    const auto field = r.header("RateLimit").value_or("");
    const auto expected = "\"api\";r=" + std::to_string(4 - i) + ";t=";
    EXPECT_TRUE(field == expected + std::to_string((i + 1) * 12) ||
                field == expected + std::to_string((i + 1) * 12 - 1))
        << field;
  }
  auto refused = c->get("/api/openapi.json");
  expect_problem(refused, 429);
  expect_security_headers(refused);
  EXPECT_EQ(refused.header("Retry-After"), "12");
  EXPECT_EQ(refused.header("RateLimit-Policy"), "\"api\";q=5;w=60");
  EXPECT_EQ(refused.header("RateLimit"), "\"api\";r=0;t=12");
  // Outside /api nothing is limited.
  EXPECT_EQ(c->get("/").status, 200);
}

TEST(ShutdownTest, InFlightRequestFinishesBeforeTheServerStops) {
  auto server = std::make_unique<TestServer>(nullptr, "", echo_routes);
  auto c = server->client();
  auto& gate = slow_gate();
  // Once the request is in its handler: stop the server, then let the handler answer.
  std::thread stopper([&] {
    {
      std::unique_lock lock(gate.mutex);
      if (!gate.changed.wait_for(lock, std::chrono::seconds(60), [&] { return gate.started; })) return;
    }
    server->app().stop();
    // stop() only asks; once the listener is closed, the stop has begun.
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    for (bool listening = true; listening && std::chrono::steady_clock::now() < until;) {
      try {
        HttpClient probe(server->port());
        probe.get("/api/health");
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      } catch (const std::exception&) {
        listening = false;
      }
    }
    std::lock_guard lock(gate.mutex);
    gate.open = true;
    gate.changed.notify_all();
  });
  auto r = c->get("/api/test/slow");
  stopper.join();
  EXPECT_TRUE(gate.started) << "the request never reached its handler";
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json()["done"], true);
  EXPECT_TRUE(r.closed);
  server->app().wait();
}

}  // namespace
}  // namespace herald::test

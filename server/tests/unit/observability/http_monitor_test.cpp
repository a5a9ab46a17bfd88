// The request monitor without a server: per-route handles resolved once,
// requests counted under their route template (a 429 too), the UI's files
// and unknown paths apart, the in-flight count held by the request object,
// refusals by class, users seen, and what an error report says.
#include "observability/http_monitor.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "http/router.hpp"

namespace herald::observability {
namespace {

using namespace std::chrono_literals;

http::Response ok(http::Request&) { return http::Response::json(200, {{"ok", true}}); }

struct Fixture {
  Metrics metrics;
  Reporter reporter{SentrySettings{}};  // no DSN: reporting off
  ActiveUsers users;
  HttpMonitor monitor{metrics, reporter, users};
  http::Router router;

  Fixture() {
    router.add(http::Method::Get, "/api/leads/{id}", ok, http::Access::permission_required("lead:read"));
    router.add(http::Method::Get, "/api/health/live", ok, http::Access::public_route()).rate = http::RateClass::None;
    router.add(http::Method::Post, "/api/auth/login", ok, http::Access::public_route()).rate = http::RateClass::Login;
    monitor.attach(router);
  }

  http::Request request(http::Method method, std::string path) {
    http::Request req;
    req.method = method;
    req.method_text = std::string(http::to_string(method));
    req.path = std::move(path);
    req.target = req.path;
    req.request_id = "req-1";
    req.matched = router.match(method, req.path).route;
    return req;
  }

  std::uint64_t count(const std::string& route, const std::string& method, int status) {
    auto& h = metrics.http().route(route, method);
    return h.statuses()[status_slot(status)];
  }
};

TEST(HttpMonitor, CountsARequestUnderItsRouteTemplate) {
  Fixture f;
  for (int i = 0; i < 3; ++i) {
    auto req = f.request(http::Method::Get, "/api/leads/" + std::to_string(i));
    f.monitor.started(req);
    f.monitor.finished(req, http::Response::json(200, {}), 2ms);
  }
  EXPECT_EQ(f.count("/api/leads/{id}", "GET", 200), 3u);
  EXPECT_EQ(f.metrics.http().route("/api/leads/{id}", "GET").latency().count(), 3u);
}

TEST(HttpMonitor, ARefusedRequestCountsUnderItsRouteAndItsClass) {
  Fixture f;
  auto req = f.request(http::Method::Post, "/api/auth/login");
  f.monitor.started(req);
  f.monitor.rate_limited(req, http::RateClass::Login);
  f.monitor.finished(req, http::Response::json(429, {}), 1ms);
  EXPECT_EQ(f.count("/api/auth/login", "POST", 429), 1u);
  EXPECT_EQ(f.metrics.http().rate_class("login").count(), 1u);
  EXPECT_EQ(f.metrics.http().rate_class("api").count(), 0u);
}

TEST(HttpMonitor, TheUisFilesAndUnknownPathsAreKeptApart) {
  Fixture f;
  auto page = f.request(http::Method::Get, "/leads/42");
  f.monitor.finished(page, http::Response::json(200, {}), 1ms);
  auto unknown = f.request(http::Method::Get, "/api/nothing/here");
  f.monitor.finished(unknown, http::Response::json(404, {}), 1ms);
  auto odd = f.request(http::Method::Other, "/api/leads/1");
  odd.method_text = "PROPFIND";
  odd.matched = nullptr;
  f.monitor.finished(odd, http::Response::json(405, {}), 1ms);
  EXPECT_EQ(f.count("static", "GET", 200), 1u);
  EXPECT_EQ(f.count("unmatched", "GET", 404), 1u);
  EXPECT_EQ(f.count("unmatched", "OTHER", 405), 1u);
}

TEST(HttpMonitor, ProbesAreNotApiCallsButLeadsAre) {
  Fixture f;
  for (const char* path : {"/api/health/live", "/api/leads/1"}) {
    auto req = f.request(http::Method::Get, path);
    f.monitor.finished(req, http::Response::json(200, {}), 1ms);
  }
  EXPECT_EQ(f.metrics.http().api_totals().calls, 1u);
}

TEST(HttpMonitor, TheInFlightCountLastsAsLongAsTheRequest) {
  Fixture f;
  {
    auto a = f.request(http::Method::Get, "/api/leads/1");
    f.monitor.started(a);
    auto b = f.request(http::Method::Get, "/api/leads/2");
    f.monitor.started(b);
    EXPECT_EQ(f.metrics.http().in_flight(), 2);
    http::Request moved = std::move(a);  // handed to another thread: still one request
    EXPECT_EQ(f.metrics.http().in_flight(), 2);
    http::Request copy = b;  // a copy is not another request
    EXPECT_EQ(f.metrics.http().in_flight(), 2);
  }
  // Gone, whether answered or not (a client that left mid-body).
  EXPECT_EQ(f.metrics.http().in_flight(), 0);
}

TEST(HttpMonitor, SignedInUsersAreSeen) {
  Fixture f;
  auto req = f.request(http::Method::Get, "/api/leads/1");
  auto p = std::make_shared<http::Principal>();
  p->user_id = 42;
  req.principal = p;
  f.monitor.finished(req, http::Response::json(200, {}), 1ms);
  EXPECT_EQ(f.users.take(), std::vector<std::int64_t>{42});
}

TEST(HttpMonitor, WithoutReportingNoTrailIsKeptAndNoEventSent) {
  Fixture f;
  auto req = f.request(http::Method::Get, "/api/leads/1");
  f.monitor.started(req);
  EXPECT_FALSE(req.breadcrumbs);
  EXPECT_EQ(f.monitor.failed(req, std::runtime_error("x")), "");
  f.monitor.finished(req, http::Response::json(500, {}), 1ms);
  EXPECT_EQ(req.error_event_id, "");
}

TEST(HttpMonitor, AnErrorReportNamesTheRouteTheUserAndTheTrail) {
  Fixture f;
  auto req = f.request(http::Method::Get, "/api/leads/7");
  req.target = "/api/leads/7?token=abc";
  req.headers.add("Host", "herald.example.com");
  req.https = true;
  auto p = std::make_shared<http::Principal>();
  p->user_id = 3;
  p->role = "manager";
  p->email = "m@example.com";
  req.principal = p;
  req.breadcrumbs = std::make_shared<log::Breadcrumbs>();
  req.breadcrumbs->add(std::chrono::system_clock::now(), log::Level::Warn, "slow query", {{"ms", 900}});
  const EventContext c = HttpMonitor::context_of(req, 500);
  EXPECT_EQ(c.logger, "herald.http");
  EXPECT_EQ(c.method, "GET");
  EXPECT_EQ(c.route, "/api/leads/{id}");
  EXPECT_EQ(c.target, "/api/leads/7?token=abc");  // filtered when the event is built
  EXPECT_EQ(c.base_url, "https://herald.example.com");
  EXPECT_EQ(c.request_id, "req-1");
  EXPECT_EQ(c.status, 500);
  EXPECT_EQ(c.user_id, 3);
  EXPECT_EQ(c.user_role, "manager");
  ASSERT_EQ(c.breadcrumbs.size(), 1u);
  EXPECT_EQ(c.breadcrumbs[0].message, "slow query ms=900");
  auto unknown = f.request(http::Method::Get, "/api/nope");
  EXPECT_EQ(HttpMonitor::context_of(unknown, 503).route, "unmatched");
}

}  // namespace
}  // namespace herald::observability

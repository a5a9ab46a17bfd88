// GET /metrics on the running server: promtool accepts what it serves, and
// the counters move as requests, refusals, jobs and failures happen; the
// bearer token and the separate listen address protect it.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <stdexcept>
#include <thread>

#include "jobs/worker.hpp"
#include "support/api_client.hpp"
#include "support/metrics_text.hpp"
#include "support/test_server.hpp"

namespace herald::test {
namespace {

using namespace std::chrono_literals;

void add_test_routes(http::Router& router) {
  router.add(
      http::Method::Get, "/api/test/boom", [](http::Request&) -> http::Response { throw std::runtime_error("boom"); },
      http::Access::public_route());
}

void add_test_jobs(jobs::HandlerRegistry& jobs) {
  jobs.add("test.ok", [](jobs::JobContext&) {});
  jobs.add("test.fails", [](jobs::JobContext&) { throw std::runtime_error("job failure"); });
}

bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout = 20s) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(50ms);
  }
  return done();
}

double value(const std::string& text, const std::string& series) {
  const double v = sample_value(text, series);
  return v < 0 ? 0 : v;  // a series not written yet counts as 0
}

TEST(MetricsEndpoint, PromtoolAcceptsItAndTheCountersFollowWhatHappens) {
  TestServer server(
      [](Config& c) {
        c.rate_limit = RateSpec{40, std::chrono::seconds(60)};
        // No hourly retention job on the analytics queue: the counts below are the test's jobs only.
        c.analytics_retention_days = 0;
      },
      {}, add_test_routes, [](app::AppOptions& options) { options.extra_jobs = add_test_jobs; });
  HttpClient client(server.port());
  auto scrape = [&] {
    auto r = client.get("/metrics");
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
    return r.body;
  };
  const std::string before = scrape();
  const std::string ok_series = R"(herald_http_requests_total{method="GET",route="/api/health",status="200"})";
  const std::string boom_series = R"(herald_http_requests_total{method="GET",route="/api/test/boom",status="500"})";
  const std::string refused_series = R"(herald_http_rate_limit_refusals_total{class="api"})";

  for (int i = 0; i < 7; ++i) ASSERT_EQ(client.get("/api/health").status, 200);
  for (int i = 0; i < 3; ++i) ASSERT_EQ(client.get("/api/test/boom").status, 500);
  EXPECT_EQ(client.get("/").status, 200);  // the UI (or its placeholder page)
  // Spend the API budget (40/min): the rest are refused and counted by class.
  int refused = 0;
  for (int i = 0; i < 60; ++i) refused += client.get("/api/openapi.json").status == 429 ? 1 : 0;
  EXPECT_GT(refused, 0);

  jobs::JobSpec ok;
  ok.name = "test.ok";
  ok.queue = "analytics";
  jobs::JobSpec failing;
  failing.name = "test.fails";
  failing.queue = "analytics";
  failing.max_attempts = 1;
  auto& queue = server.app().job_queue();
  for (int i = 0; i < 4; ++i) queue.enqueue(ok);
  queue.enqueue(failing);
  const std::string processed = R"(herald_jobs_processed_total{queue="analytics"})";
  const std::string failed = R"(herald_jobs_failed_total{queue="analytics"})";
  std::string after;
  ASSERT_TRUE(eventually([&] {
    after = scrape();
    return value(after, processed) >= 4 && value(after, failed) >= 1;
  })) << after;

  EXPECT_EQ(value(after, ok_series) - value(before, ok_series), 7);
  EXPECT_EQ(value(after, boom_series) - value(before, boom_series), 3);
  EXPECT_EQ(value(after, refused_series) - value(before, refused_series), refused);
  EXPECT_EQ(value(after, R"(herald_http_requests_total{method="GET",route="/api/openapi.json",status="429"})"),
            refused);
  EXPECT_GE(value(after, R"(herald_http_requests_total{method="GET",route="static",status="200"})"), 1);
  EXPECT_EQ(value(after, processed), 4);
  EXPECT_EQ(value(after, failed), 1);
  EXPECT_EQ(value(after, R"(herald_job_duration_seconds_count{queue="analytics"})"), 5);
  // Exported from the start (0: no tracking event lost).
  EXPECT_EQ(sample_value(after, "herald_tracking_events_dropped_total"), 0);
  // The scrape that produced `after` was in flight itself.
  EXPECT_GE(value(after, "herald_http_requests_in_flight"), 1);
  // Scrape-time sources: pool, queues, build, process.
  EXPECT_GE(sample_value(after, "herald_db_pool_max_connections"), 1);
  EXPECT_GE(sample_value(after, "herald_db_pool_wait_seconds_count"), 1);
  EXPECT_GE(sample_value(after, R"(herald_queue_jobs{queue="emails",state="pending"})"), 0);
  EXPECT_EQ(sample_value(after, std::string(R"(herald_build_info{version=")") + HERALD_VERSION + "\"}"), 1);
  EXPECT_GT(sample_value(after, "process_resident_memory_bytes"), 0);
  EXPECT_GT(sample_value(after, "process_open_fds"), 0);
  // /metrics and the probes are not API calls (class none), and never refused.
  EXPECT_EQ(client.get("/metrics").status, 200);

  TempDir dir;
  const PromtoolResult check = promtool_check(after, dir.path());
  EXPECT_EQ(check.exit_code, 0) << check.output << "\n" << after;
}

TEST(MetricsEndpoint, ABearerTokenProtectsIt) {
  const std::string token = "metrics-token-0123456789";
  TestServer server([&](Config& c) { c.metrics_token = token; });
  HttpClient client(server.port());
  auto none = client.get("/metrics");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.header("Content-Type"), "application/problem+json");
  EXPECT_EQ(none.header("WWW-Authenticate"), "Bearer");
  EXPECT_EQ(client.get("/metrics", {{"Authorization", "Bearer wrong-token-0123456789"}}).status, 401);
  EXPECT_EQ(client.get("/metrics", {{"Authorization", "Bearer " + token + "x"}}).status, 401);
  EXPECT_EQ(client.get("/metrics", {{"Authorization", "Basic " + token}}).status, 401);
  EXPECT_EQ(client.get("/metrics", {{"Authorization", "Bearer "}}).status, 401);
  // A user's access token is not the metrics token.
  const auto session = login(server.port(), std::string(kAdminEmail), std::string(kAdminPassword));
  EXPECT_EQ(client.get("/metrics", {{"Authorization", "Bearer " + session["token"].get<std::string>()}}).status, 401);
  auto ok = client.get("/metrics", {{"Authorization", "Bearer " + token}});
  EXPECT_EQ(ok.status, 200);
  EXPECT_NE(ok.body.find("herald_http_requests_total"), std::string::npos);
}

TEST(MetricsEndpoint, ItsOwnListenAddressServesItAndTheApiAddressDoesNot) {
  TestServer server([](Config& c) { c.metrics_listen = ListenAddress{"127.0.0.1", 0}; });
  const std::uint16_t port = server.app().metrics_port();
  ASSERT_NE(port, 0);
  ASSERT_NE(port, server.port());
  HttpClient api(server.port());
  auto hidden = api.get("/metrics");
  EXPECT_EQ(hidden.status, 404);
  EXPECT_EQ(hidden.header("Content-Type"), "application/problem+json");
  ASSERT_EQ(api.get("/api/health").status, 200);

  HttpClient own(port, "prometheus.internal:9100");  // scraped by address: any Host
  auto r = own.get("/metrics");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find(R"(herald_http_requests_total{method="GET",route="/api/health",status="200"} 1)"),
            std::string::npos)
      << r.body;
  EXPECT_NE(own.get("/api/health").status, 200);  // only /metrics is there
  EXPECT_EQ(own.request("POST", "/metrics").status, 405);
}

TEST(MetricsEndpoint, BadRequestsAreRefusedClearly) {
  TestServer server;
  HttpClient client(server.port());
  auto post = client.request("POST", "/metrics", "x", {{"Content-Type", "text/plain"}});
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(post.header("Allow"), "GET, HEAD");
  EXPECT_EQ(client.request("DELETE", "/metrics").status, 405);
  // Query parameters change nothing and break nothing.
  EXPECT_EQ(client.get("/metrics?name[]=%00&x=%ff").status, 200);
}

}  // namespace
}  // namespace herald::test

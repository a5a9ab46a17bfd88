// Error reports from the running server, received by a local server speaking
// Sentry's envelope endpoint: an exception escaping a handler is exactly one
// event and a 500 problem that names it; another 5xx is one event too; a job
// attempt that throws is one event tagged with its queue and job; and a
// Sentry that accepts connections and never answers costs requests nothing,
// while the events it could not take are counted.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "core/errors.hpp"
#include "core/log.hpp"
#include "jobs/queue.hpp"
#include "jobs/worker.hpp"
#include "support/api_client.hpp"
#include "support/metrics_text.hpp"
#include "support/sentry_sink.hpp"
#include "support/test_server.hpp"

namespace herald::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr auto kArrival = 20s;  // generous: the machine is shared

// A handler that logs a line (a breadcrumb) and then fails unexpectedly;
// one that fails with a 503; one that answers normally.
void add_failing_routes(http::Router& router) {
  router.add(
      http::Method::Get, "/api/test/boom/{token}",
      [](http::Request&) -> http::Response {
        log::warn("about to fail", {{"step", 3}});
        throw std::logic_error("internal detail: pointer 0xdeadbeef in table secret_stuff");
      },
      http::Access::authenticated());
  router.add(
      http::Method::Get, "/api/test/unavailable",
      [](http::Request&) -> http::Response { throw ServiceUnavailable("the mail relay is down"); },
      http::Access::public_route());
  router.add(
      http::Method::Get, "/api/test/fine",
      [](http::Request&) {
        return http::Response::json(200, {{"ok", true}});
      },
      http::Access::public_route());
}

std::function<void(Config&)> with_sentry(const std::string& dsn) {
  // The breadcrumbs are the lines the log writes: other tests of this binary
  // may have raised the level.
  log::init(log::Format::Json, log::Level::Warn);
  return [dsn](Config& c) {
    c.sentry_dsn = parse_sentry_dsn("HERALD_SENTRY_DSN", dsn);
    c.sentry_environment = "test";
    c.sentry_release = "herald@1.2.3-test";
    c.sentry_server_name = "api-under-test";
  };
}

// Every event the sink received, in arrival order.
std::vector<json> events_of(const SentrySink& sink) {
  std::vector<json> out;
  for (const auto& r : sink.received()) {
    auto env = parse_envelope(r.body);
    if (env) out.push_back(env->event);
  }
  return out;
}

TEST(ErrorReports, AnExceptionInAHandlerIsOneEventAndA500NamingIt) {
  SentrySink sink;
  TestServer server(with_sentry(sink.dsn("k3y", "7")), {}, add_failing_routes);
  const auto session = login(server.port(), std::string(kAdminEmail), std::string(kAdminPassword));
  HttpClient client(server.port());
  auto r =
      client.get("/api/test/boom/tok-s3cr3t?access_token=qs-s3cr3t&page=2",
                 {{"Authorization", "Bearer " + session["token"].get<std::string>()}, {"X-Request-ID", "req-boom-1"}});

  // The answer: 500 problem+json naming the request and the report, nothing of the exception.
  ASSERT_EQ(r.status, 500) << r.body;
  EXPECT_EQ(r.header("Content-Type"), "application/problem+json");
  const json problem = r.json();
  ASSERT_TRUE(problem["event_id"].is_string()) << r.body;
  const std::string event_id = problem["event_id"];
  EXPECT_EQ(event_id.size(), 32u);
  EXPECT_NE(problem["detail"].get<std::string>().find("req-boom-1"), std::string::npos) << r.body;
  EXPECT_NE(problem["detail"].get<std::string>().find(event_id), std::string::npos) << r.body;
  for (const char* leak : {"0xdeadbeef", "secret_stuff", "logic_error", "#0 ", ".cpp"})
    EXPECT_EQ(r.body.find(leak), std::string::npos) << leak << " in " << r.body;

  // Exactly one event, and it is the one the answer names.
  ASSERT_TRUE(sink.wait_for(1, kArrival));
  std::this_thread::sleep_for(300ms);  // a second event would have arrived by now
  const auto requests = sink.received();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].target, "/api/7/envelope/");
  EXPECT_NE(requests[0].header("X-Sentry-Auth").value_or("").find("sentry_key=k3y"), std::string::npos);
  const auto env = parse_envelope(requests[0].body);
  ASSERT_TRUE(env);
  EXPECT_EQ(env->header["event_id"], event_id);
  EXPECT_EQ(env->item_header["type"], "event");
  const json& e = env->event;
  EXPECT_EQ(e["event_id"], event_id);
  EXPECT_EQ(e["release"], "herald@1.2.3-test");
  EXPECT_EQ(e["environment"], "test");
  EXPECT_EQ(e["server_name"], "api-under-test");
  EXPECT_EQ(e["exception"]["values"][0]["type"], "std::logic_error");
  EXPECT_EQ(e["request"]["method"], "GET");
  EXPECT_EQ(e["request"]["url"], "http://127.0.0.1/api/test/boom/[Filtered]");
  EXPECT_EQ(e["request"]["query_string"], "access_token=[Filtered]&page=2");
  EXPECT_EQ(e["tags"]["route"], "/api/test/boom/{token}");
  EXPECT_EQ(e["tags"]["request_id"], "req-boom-1");
  EXPECT_EQ(e["tags"]["status"], "500");
  EXPECT_EQ(e["user"]["id"], std::to_string(session["user"]["id"].get<std::int64_t>()));
  EXPECT_EQ(e["user"]["role"], "admin");
  EXPECT_FALSE(e["user"].contains("email"));
  EXPECT_EQ(requests[0].body.find("s3cr3t"), std::string::npos) << requests[0].body;
  EXPECT_EQ(requests[0].body.find(std::string(kAdminEmail)), std::string::npos);
  // The handler's log line is the trail.
  ASSERT_TRUE(e["breadcrumbs"]["values"].is_array()) << e.dump();
  const auto& crumbs = e["breadcrumbs"]["values"];
  EXPECT_TRUE(std::any_of(crumbs.begin(), crumbs.end(), [](const json& c) {
    return c["message"] == "about to fail step=3";
  })) << crumbs.dump();
}

TEST(ErrorReports, Another5xxIsOneEventAndOrdinaryAnswersAreNone) {
  SentrySink sink;
  TestServer server(with_sentry(sink.dsn()), {}, add_failing_routes);
  HttpClient client(server.port());
  for (int i = 0; i < 5; ++i) EXPECT_EQ(client.get("/api/test/fine").status, 200);
  EXPECT_EQ(client.get("/api/no/such/route").status, 404);
  auto r = client.get("/api/test/unavailable");
  ASSERT_EQ(r.status, 503) << r.body;

  ASSERT_TRUE(sink.wait_for(1, kArrival));
  std::this_thread::sleep_for(300ms);
  const auto events = events_of(sink);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["level"], "error");
  EXPECT_EQ(events[0]["tags"]["status"], "503");
  EXPECT_EQ(events[0]["tags"]["route"], "/api/test/unavailable");
  EXPECT_NE(events[0].dump().find("the mail relay is down"), std::string::npos) << events[0].dump();
}

TEST(ErrorReports, AJobAttemptThatThrowsIsOneEventWithItsQueueAndJob) {
  SentrySink sink;
  TestServer server(with_sentry(sink.dsn()), {}, {}, [](app::AppOptions& options) {
    options.extra_jobs = [](jobs::HandlerRegistry& jobs) {
      jobs.add("test.explode", [](jobs::JobContext&) {
        log::warn("exploding now");
        throw std::runtime_error("the job blew up");
      });
    };
  });
  jobs::JobSpec spec;
  spec.name = "test.explode";
  spec.queue = "campaigns";
  spec.max_attempts = 1;
  const auto job = server.app().job_queue().enqueue(spec);

  ASSERT_TRUE(sink.wait_for(1, kArrival));
  std::this_thread::sleep_for(300ms);
  const auto events = events_of(sink);
  ASSERT_EQ(events.size(), 1u);
  const json& e = events[0];
  EXPECT_EQ(e["logger"], "herald.jobs");
  EXPECT_EQ(e["tags"]["queue"], "campaigns");
  EXPECT_EQ(e["tags"]["job"], "test.explode");
  EXPECT_EQ(e["tags"]["job_id"], job.id);
  EXPECT_EQ(e["exception"]["values"][0]["value"], "the job blew up");
  ASSERT_TRUE(e["breadcrumbs"]["values"].is_array()) << e.dump();
  const auto& crumbs = e["breadcrumbs"]["values"];
  EXPECT_TRUE(std::any_of(crumbs.begin(), crumbs.end(), [](const json& c) { return c["message"] == "exploding now"; }))
      << crumbs.dump();
}

TEST(ErrorReports, ASentryThatNeverAnswersCostsRequestsNothingAndDropsAreCounted) {
  SentrySink sink;
  sink.stay_silent();
  TestServer server(with_sentry(sink.dsn()), {}, add_failing_routes);
  const auto session = login(server.port(), std::string(kAdminEmail), std::string(kAdminPassword));
  const HeaderList auth = {{"Authorization", "Bearer " + session["token"].get<std::string>()}};
  HttpClient client(server.port());

  // More failures than the reporter's queue holds (100), while its one
  // connection waits on a server that never answers (5 s per attempt).
  constexpr int kFailures = 150;
  std::vector<std::chrono::nanoseconds> latencies;
  for (int i = 0; i < kFailures; ++i) {
    const auto start = std::chrono::steady_clock::now();
    auto r = client.get("/api/test/boom/t" + std::to_string(i), auth);
    latencies.push_back(std::chrono::steady_clock::now() - start);
    ASSERT_EQ(r.status, 500);
  }
  std::sort(latencies.begin(), latencies.end());
  // A request that waited on Sentry would take its connect or send timeout
  // (2 s, 5 s). The bound is generous for a loaded machine, far below those.
  EXPECT_LT(latencies.back(), 1500ms) << "slowest failing request";
  EXPECT_LT(latencies[latencies.size() / 2], 250ms) << "median failing request";
  ASSERT_TRUE(sink.wait_for(1, kArrival));  // the sender is stuck on its first event

  auto metrics = client.get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  const double dropped = sample_value(metrics.body, R"(herald_sentry_events_total{outcome="dropped_queue_full"})");
  EXPECT_GE(dropped, kFailures - 100 - 1) << metrics.body;
  EXPECT_LE(sample_value(metrics.body, "herald_sentry_queue_length"), 100 + 1);  // and the one being sent

  // The health report says so too.
  ApiClient admin(server.port(), session["token"]);
  auto health = admin.get("/api/health/detailed");
  ASSERT_EQ(health.status, 200) << health.body;
  const json sentry = health.json()["services"]["sentry"];
  EXPECT_EQ(sentry["configured"], true);
  EXPECT_GE(sentry["dropped_queue_full"].get<double>(), kFailures - 100 - 1);
  EXPECT_EQ(sentry["status"], "degraded") << sentry.dump();
  EXPECT_EQ(health.json()["status"], "degraded");
}

TEST(ErrorReports, WithoutADsnA500StillNamesTheRequestAndNoEventId) {
  TestServer server({}, {}, add_failing_routes);
  const auto session = login(server.port(), std::string(kAdminEmail), std::string(kAdminPassword));
  HttpClient client(server.port());
  auto r = client.get("/api/test/boom/x", {{"Authorization", "Bearer " + session["token"].get<std::string>()},
                                           {"X-Request-ID", "req-no-sentry"}});
  ASSERT_EQ(r.status, 500);
  EXPECT_FALSE(r.json().contains("event_id")) << r.body;
  EXPECT_NE(r.body.find("req-no-sentry"), std::string::npos);
  EXPECT_EQ(r.body.find("0xdeadbeef"), std::string::npos);
}

}  // namespace
}  // namespace herald::test

// GET /api/admin/system against known traffic: two API processes share one
// PostgreSQL database, each serves its own requests, and the figures either
// of them reports are the sum of both — calls, errors, error rate, response
// times, active users — with the chart series, the health report and the
// queues beside them. Permission and bad-input checks of the endpoint.
#include <gtest/gtest.h>

#include <stdexcept>

#include "jobs/queue.hpp"
#include "jobs/types.hpp"
#include "support/api_client.hpp"
#include "support/test_databases.hpp"

namespace herald::test {
namespace {

using nlohmann::json;

void add_failing_route(http::Router& router) {
  router.add(
      http::Method::Get, "/api/test/boom", [](http::Request&) -> http::Response { throw std::runtime_error("boom"); },
      http::Access::public_route());
}

std::string token_of(std::uint16_t port, const std::string& email, const std::string& password) {
  return login(port, email, password)["token"];
}

std::uint64_t series_calls(const json& doc) {
  std::uint64_t n = 0;
  for (const auto& m : doc["traffic"]) n += m["calls"].get<std::uint64_t>();
  return n;
}

TEST(AdminSystem, TwoApiProcessesAddUp) {
  if (postgres_server_url().empty()) {
    if (std::getenv("HERALD_TEST_SKIP_POSTGRES")) GTEST_SKIP() << "PostgreSQL tests skipped";
    FAIL() << "HERALD_TEST_POSTGRES_URL is unset: run through `make test` or scripts/test-services";
  }
  ScratchDatabase scratch(storage::Backend::Postgres);
  TestServer a({}, scratch.url(), add_failing_route);
  auto b = std::make_unique<TestServer>(std::function<void(Config&)>{}, scratch.url(), add_failing_route);
  const std::string admin_email(kAdminEmail), admin_password(kAdminPassword);

  // Process A: a login, 6 lead pages, 2 failures.
  ApiClient on_a(a.port(), token_of(a.port(), admin_email, admin_password));
  for (int i = 0; i < 6; ++i) ASSERT_EQ(on_a.get("/api/leads").status, 200);
  for (int i = 0; i < 2; ++i) ASSERT_EQ(on_a.get("/api/test/boom").status, 500);
  // Process B: the admin's login and a new member (2 calls), the member's
  // login, 4 lead pages and 1 failure.
  ApiClient admin_on_b(b->port(), token_of(b->port(), admin_email, admin_password));
  ASSERT_EQ(
      admin_on_b
          .post("/api/admin/users",
                {{"email", "m@example.com"}, {"name", "Member"}, {"role", "member"}, {"password", "password-123"}})
          .status,
      201);
  ApiClient member_on_b(b->port(), token_of(b->port(), "m@example.com", "password-123"));
  for (int i = 0; i < 4; ++i) ASSERT_EQ(member_on_b.get("/api/leads").status, 200);
  ASSERT_EQ(member_on_b.get("/api/test/boom").status, 500);
  // Probes and scrapes are not API calls.
  HttpClient probe_a(a.port()), probe_b(b->port());
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(probe_a.get("/api/health/live").status, 200);
    ASSERT_EQ(probe_b.get("/api/health/ready").status, 200);
    ASSERT_EQ(probe_b.get("/metrics").status, 200);
  }
  // A job waiting for its time, to show in the queue counts.
  jobs::JobSpec later;
  later.name = "test.later";
  later.queue = "emails";
  later.run_at = std::chrono::system_clock::now() + std::chrono::hours(1);
  a.app().job_queue().enqueue(later);
  b.reset();  // B stops: its last figures are written

  constexpr std::uint64_t kCalls = 9 + 8;
  constexpr std::uint64_t kErrors = 3;
  auto r = on_a.get("/api/admin/system");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("Content-Type"), "application/json");
  json doc = r.json();
  EXPECT_EQ(doc["api_calls_today"], kCalls) << doc.dump(2);
  EXPECT_EQ(doc["api_calls_24h"], kCalls);
  EXPECT_EQ(doc["errors_24h"], kErrors);
  EXPECT_NEAR(doc["error_rate_24h"].get<double>(), static_cast<double>(kErrors) / kCalls, 1e-6);
  EXPECT_GT(doc["avg_response_ms_24h"].get<double>(), 0);
  EXPECT_GT(doc["p95_response_ms_24h"].get<double>(), 0);
  EXPECT_GE(doc["p95_response_ms_24h"].get<double>(), doc["avg_response_ms_24h"].get<double>() * 0.5);
  EXPECT_EQ(doc["active_users_24h"], 2);  // the admin on both, the member on B: two people
  EXPECT_EQ(doc["active_campaigns"], 0);  // counted by the campaigns module (mail_metrics_test.cpp)
  // The chart series: 60 minutes by default, adding up to the same calls.
  ASSERT_EQ(doc["traffic"].size(), 60u);
  EXPECT_EQ(series_calls(doc), kCalls);
  EXPECT_TRUE(doc["traffic"].back()["t"].is_string());
  // Health: status, reason, uptime, CPU/MEM/DISK, services.
  EXPECT_EQ(doc["status"], "healthy") << doc.dump(2);
  EXPECT_EQ(doc["version"], HERALD_VERSION);
  EXPECT_GE(doc["uptime_s"].get<std::int64_t>(), 0);
  for (const char* k : {"cpu_percent", "memory_percent", "disk_percent"}) {
    ASSERT_TRUE(doc["system"][k].is_number()) << k;
    EXPECT_GE(doc["system"][k].get<double>(), 0) << k;
    EXPECT_LE(doc["system"][k].get<double>(), 100) << k;
  }
  EXPECT_EQ(doc["services"]["database"]["status"], "healthy");
  // Queues with their counts.
  ASSERT_EQ(doc["queues"].size(), 3u);
  EXPECT_EQ(doc["queues"][0]["name"], "emails");
  EXPECT_EQ(doc["queues"][0]["scheduled"], 1);
  EXPECT_EQ(doc["queues"][0]["pending"], 0);

  // More traffic on A alone: the first read itself and 5 more calls.
  for (int i = 0; i < 5; ++i) ASSERT_EQ(on_a.get("/api/leads").status, 200);
  doc = on_a.get("/api/admin/system?minutes=5").json();
  EXPECT_EQ(doc["api_calls_today"], kCalls + 1 + 5);
  EXPECT_EQ(doc["errors_24h"], kErrors);
  ASSERT_EQ(doc["traffic"].size(), 5u);
  EXPECT_EQ(series_calls(doc), kCalls + 1 + 5);
}

TEST(AdminSystem, NeedsSystemRead) {
  AuthedServer server;
  HttpClient anonymous(server.port());
  auto r = anonymous.get("/api/admin/system");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.header("Content-Type"), "application/problem+json");
  EXPECT_EQ(ApiClient(server.port(), "not-a-token").get("/api/admin/system").status, 401);
  for (const char* role : {"viewer", "member"}) {
    auto denied = server.as(role).get("/api/admin/system");
    EXPECT_EQ(denied.status, 403) << role;
    EXPECT_NE(denied.body.find("system:read"), std::string::npos) << denied.body;
  }
  EXPECT_EQ(server.as("manager").get("/api/admin/system").status, 200);
  EXPECT_EQ(server.admin().get("/api/admin/system").status, 200);
}

TEST(AdminSystem, ABadMinutesParameterIsRefusedNamingIt) {
  AuthedServer server;
  for (const char* bad : {"0", "1441", "-1", "abc", "1.5", "", "60x", "99999999999999999999"}) {
    auto r = server.admin().get(std::string("/api/admin/system?minutes=") + bad);
    EXPECT_EQ(r.status, 422) << bad << ": " << r.body;
    EXPECT_EQ(r.header("Content-Type"), "application/problem+json");
    if (r.status == 422) {
      EXPECT_EQ(r.json()["errors"][0]["field"], "minutes") << r.body;
    }
  }
  auto ok = server.admin().get("/api/admin/system?minutes=1440");
  ASSERT_EQ(ok.status, 200);
  EXPECT_EQ(ok.json()["traffic"].size(), 1440u);
  EXPECT_EQ(server.admin().call("POST", "/api/admin/system", json::object()).status, 405);
}

}  // namespace
}  // namespace herald::test

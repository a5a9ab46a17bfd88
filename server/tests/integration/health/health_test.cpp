// Liveness, and the detailed report when a dependency goes away: Redis down
// leaves Herald serving (degraded, 200); the database down makes it
// unhealthy (503). Both recover when the dependency returns.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "core/clock.hpp"
#include "health/routes.hpp"
#include "health/service.hpp"
#include "health/system_stats.hpp"
#include "integration/jobs/fixture.hpp"
#include "support/api_client.hpp"
#include "support/test_databases.hpp"
#include "support/test_server.hpp"

namespace herald::test {
namespace {

using std::chrono::milliseconds;

TEST(Health, LivenessIsPublicAndCheap) {
  TestServer server;
  auto r = server.client()->get("/api/health");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"status":"healthy"})");
}

// The overall status, the HTTP status and each service's status, as one line
// for failure messages.
std::string summary(const HttpResponse& r) {
  auto doc = nlohmann::json::parse(r.body, nullptr, false);
  if (!doc.is_object() || !doc.contains("services")) return fmt::format("{} {}", r.status, r.body);
  std::string out = fmt::format("{} {}", r.status, doc.value("status", "?"));
  for (const auto& [name, service] : doc["services"].items()) out += " " + name + "=" + service.value("status", "?");
  return out;
}

TEST(Health, RedisDownIsDegradedWith200AndHealthyAgainWhenItReturns) {
  TempDirPath dir;
  RedisProcess redis(dir.path / "redis");  // not running yet
  AuthedServer s({}, [&](Config& c) { c.redis_url = redis.url(); });
  auto report = [&] { return s.admin().get("/api/health/detailed"); };

  auto down = report();
  EXPECT_EQ(down.status, 200) << summary(down);
  EXPECT_EQ(down.json()["status"], "degraded") << summary(down);
  EXPECT_EQ(down.json()["services"]["redis"]["status"], "unhealthy");
  EXPECT_TRUE(down.json()["services"]["redis"].contains("error"));
  EXPECT_EQ(down.json()["services"]["database"]["status"], "healthy");

  redis.start();
  HttpResponse up;
  EXPECT_TRUE(eventually(
      [&] {
        up = report();
        return up.status == 200 && up.json()["status"] == "healthy";
      },
      milliseconds(20000)))
      << summary(up);
  EXPECT_EQ(up.json()["services"]["redis"]["status"], "healthy");

  redis.stop();
  auto again = report();
  EXPECT_EQ(again.status, 200) << summary(again);
  EXPECT_EQ(again.json()["status"], "degraded") << summary(again);
  EXPECT_EQ(again.json()["services"]["redis"]["status"], "unhealthy");
}

// The database is what every request needs: without it the node is
// unhealthy and answers 503, so a load balancer takes it out. The admin who
// signed in a moment ago is still recognised (a recently verified principal
// is remembered for system:read GETs), so the answer is the report itself,
// naming the database as the cause; built directly by the same checks on the
// same (dead) database, it says the same.
TEST(Health, DatabaseDownIsUnhealthyWith503AndHealthyAgainWhenItReturns) {
  HERALD_REQUIRE_POSTGRES();
  ScratchDatabase scratch(storage::Backend::Postgres);
  const auto name = scratch.url().substr(scratch.url().rfind('/') + 1);
  auto admin_sql = [&](const std::string& sql) {
    storage::open_database(postgres_server_url(), {.pool_size = 1})->acquire()->execute_script(sql);
  };
  AuthedServer s(scratch.url());
  HttpClient http(s.port());
  http.set_default_headers({{"Authorization", "Bearer " + s.admin().token()}});
  auto healthy = http.get("/api/health/detailed");
  ASSERT_EQ(healthy.status, 200) << summary(healthy);
  ASSERT_EQ(healthy.json()["status"], "healthy") << summary(healthy);

  admin_sql(
      fmt::format("ALTER DATABASE {0} ALLOW_CONNECTIONS false; "
                  "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{0}'",
                  name));
  auto down = http.get("/api/health/detailed");
  EXPECT_EQ(down.status, 503) << summary(down);
  EXPECT_EQ(down.header("Content-Type"), "application/json") << down.body;
  EXPECT_EQ(down.json()["status"], "unhealthy") << down.body;
  EXPECT_EQ(down.json()["services"]["database"]["status"], "unhealthy") << down.body;
  // Liveness does no I/O: the process still answers.
  EXPECT_EQ(http.get("/api/health").status, 200);

  {
    TempDir dir;
    SystemClock clock;
    health::SystemMonitor monitor(dir.path());
    health::HealthChecks checks = {std::make_shared<health::DatabaseCheck>(s.server().app().database())};
    health::HealthService service(clock, monitor, "test", checks);
    health::Readiness readiness(s.server().app().database(), checks);
    health::Routes routes(service, readiness);
    http::Request req;
    const auto report = routes.detailed(req);
    EXPECT_EQ(report.status, 503);
    const auto doc = nlohmann::json::parse(report.body);
    EXPECT_EQ(doc["status"], "unhealthy") << report.body;
    EXPECT_EQ(doc["services"]["database"]["status"], "unhealthy") << report.body;
    EXPECT_TRUE(doc["services"]["database"].contains("error")) << report.body;
    EXPECT_EQ(routes.ready(req).status, 503);
  }

  admin_sql(fmt::format("ALTER DATABASE {} ALLOW_CONNECTIONS true", name));
  HttpResponse back;
  EXPECT_TRUE(eventually(
      [&] {
        back = http.get("/api/health/detailed");
        return back.status == 200 && back.json()["status"] == "healthy";
      },
      milliseconds(20000)))
      << summary(back);
}

}  // namespace
}  // namespace herald::test

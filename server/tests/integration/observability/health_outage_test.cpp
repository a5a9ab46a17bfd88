// Liveness, readiness and the detailed report while the dependencies come and
// go: Herald runs on a PostgreSQL and a Redis of the test's own, which the
// test stops and starts again. Liveness never changes; readiness fails while
// the database (or Redis) is down; the report turns degraded (Redis) or
// unhealthy (PostgreSQL) with the reason, and healthy again after.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <thread>

#include "support/api_client.hpp"
#include "support/own_services.hpp"
#include "support/test_databases.hpp"

namespace herald::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout = 30s) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(100ms);
  }
  return done();
}

// GET /api/health/live answers 200 quickly whatever the dependencies do.
void expect_alive(HttpClient& client) {
  const auto start = std::chrono::steady_clock::now();
  auto r = client.get("/api/health/live");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["status"], "healthy");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
}

class HealthOutage : public ::testing::Test {
 protected:
  void SetUp() override {
    if (postgres_server_url().empty() && std::getenv("HERALD_TEST_SKIP_POSTGRES")) GTEST_SKIP();
    services_ = std::make_unique<OwnServices>();
    server_ = std::make_unique<AuthedServer>(services_->postgres_url(),
                                             [this](Config& c) { c.redis_url = services_->redis_url(); });
    probe_ = std::make_unique<HttpClient>(server_->port());
  }

  json detailed(int* status = nullptr) {
    auto r = server_->admin().get("/api/health/detailed");
    if (status) *status = r.status;
    return r.header("Content-Type") == "application/json" ? r.json() : json{{"problem", r.body}};
  }
  int ready_status() { return probe_->get("/api/health/ready").status; }

  std::unique_ptr<OwnServices> services_;
  std::unique_ptr<AuthedServer> server_;
  std::unique_ptr<HttpClient> probe_;
};

TEST_F(HealthOutage, RedisStoppedIsDegradedAndNotReadyThenHealthyAgain) {
  int status = 0;
  ASSERT_TRUE(eventually([&] { return detailed(&status)["status"] == "healthy"; })) << detailed().dump();
  EXPECT_EQ(detailed()["reason"], "");
  auto ready = probe_->get("/api/health/ready");
  ASSERT_EQ(ready.status, 200) << ready.body;
  EXPECT_EQ(ready.json()["checks"], (json{{"database", "ok"}, {"migrations", "ok"}, {"redis", "ok"}}));

  services_->pause("redis");
  expect_alive(*probe_);
  json down = detailed(&status);
  EXPECT_EQ(status, 200) << down.dump();  // degraded still serves
  EXPECT_EQ(down["status"], "degraded") << down.dump();
  EXPECT_EQ(down["services"]["redis"]["status"], "unhealthy");
  EXPECT_NE(down["reason"].get<std::string>().find("redis: unhealthy"), std::string::npos) << down.dump();
  auto not_ready = probe_->get("/api/health/ready");
  EXPECT_EQ(not_ready.status, 503) << not_ready.body;
  EXPECT_EQ(not_ready.header("Content-Type"), "application/problem+json");
  EXPECT_EQ(not_ready.json()["checks"]["redis"], "unreachable") << not_ready.body;
  EXPECT_EQ(not_ready.json()["checks"]["database"], "ok");

  services_->resume("redis");
  EXPECT_TRUE(eventually([&] { return detailed()["status"] == "healthy"; })) << detailed().dump();
  EXPECT_TRUE(eventually([&] { return ready_status() == 200; }));
  expect_alive(*probe_);
}

TEST_F(HealthOutage, PostgresStoppedIsUnhealthyAndNotReadyButAliveThenHealthyAgain) {
  ASSERT_TRUE(eventually([&] { return detailed()["status"] == "healthy"; })) << detailed().dump();
  ASSERT_EQ(ready_status(), 200);

  services_->pause("postgres");
  expect_alive(*probe_);
  auto not_ready = probe_->get("/api/health/ready");
  EXPECT_EQ(not_ready.status, 503) << not_ready.body;
  EXPECT_EQ(not_ready.header("Content-Type"), "application/problem+json");
  EXPECT_EQ(not_ready.json()["checks"]["database"], "unreachable") << not_ready.body;
  EXPECT_EQ(not_ready.body.find("Connection refused"), std::string::npos) << "no error text on a public probe";
  // The report itself: the admin was confirmed by the database minutes ago.
  int status = 0;
  const json down = detailed(&status);
  EXPECT_EQ(status, 503) << down.dump();
  EXPECT_EQ(down["status"], "unhealthy") << down.dump();
  EXPECT_EQ(down["services"]["database"]["status"], "unhealthy");
  EXPECT_NE(down["reason"].get<std::string>().find("database: unhealthy"), std::string::npos) << down.dump();
  expect_alive(*probe_);

  services_->resume("postgres");
  EXPECT_TRUE(eventually([&] { return ready_status() == 200; }));
  EXPECT_TRUE(eventually([&] { return detailed()["status"] == "healthy"; })) << detailed().dump();
  expect_alive(*probe_);
}

TEST(HealthProbes, ArePublicAndRefuseOtherMethods) {
  AuthedServer server;
  HttpClient anonymous(server.port());
  EXPECT_EQ(anonymous.get("/api/health/live").status, 200);
  auto ready = anonymous.get("/api/health/ready");
  EXPECT_EQ(ready.status, 200) << ready.body;
  // SQLite, no Redis: the database and the migrations are all there is to check.
  EXPECT_EQ(ready.json(), (json{{"status", "ready"}, {"checks", {{"database", "ok"}, {"migrations", "ok"}}}}));
  EXPECT_EQ(ready.header("Cache-Control"), "no-store");
  for (const char* path : {"/api/health/live", "/api/health/ready"}) {
    auto post = anonymous.request("POST", path, "{}", {{"Content-Type", "application/json"}});
    EXPECT_EQ(post.status, 405) << path;
    EXPECT_EQ(post.header("Allow"), "GET, HEAD") << path;
    EXPECT_EQ(anonymous.get(std::string(path) + "?verbose=%ff").status, 200) << path;
  }
  // The detailed report is for system:read only.
  EXPECT_EQ(anonymous.get("/api/health/detailed").status, 401);
  EXPECT_EQ(server.as("viewer").get("/api/health/detailed").status, 403);
  EXPECT_EQ(server.as("manager").get("/api/health/detailed").status, 200);
}

// They are in the rate class none: never refused, however often called.
TEST(HealthProbes, AreNeverRateLimited) {
  AuthedServer server({}, [](Config& c) { c.rate_limit = RateSpec{5, std::chrono::seconds(60)}; });
  HttpClient client(server.port());
  for (int i = 0; i < 30; ++i) {
    ASSERT_EQ(client.get("/api/health/live").status, 200) << i;
    ASSERT_EQ(client.get("/api/health/ready").status, 200) << i;
  }
}

}  // namespace
}  // namespace herald::test

// While PostgreSQL refuses connections, GET /api/health/detailed still
// answers with its document (HTTP 503) saying the database is down and
// listing every service. The caller is authorised from the principals the
// database confirmed in the last few minutes; nobody else gets in.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "support/api_client.hpp"
#include "support/test_databases.hpp"

namespace herald::test {
namespace {

using std::chrono::milliseconds;

void on_server(const std::string& sql) {
  auto admin = storage::open_database(postgres_server_url(), {.pool_size = 1});
  admin->acquire()->execute_script(sql);
}

std::string database_name(const std::string& url) { return url.substr(url.rfind('/') + 1); }

bool eventually(const std::function<bool()>& done, milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(milliseconds(50));
  }
  return done();
}

TEST(HealthWhileTheDatabaseIsDown, TheDetailedReportStillAnswersWithItsDocument) {
  if (postgres_server_url().empty()) {
    if (std::getenv("HERALD_TEST_SKIP_POSTGRES")) GTEST_SKIP() << "PostgreSQL tests skipped";
    FAIL() << "HERALD_TEST_POSTGRES_URL is unset: run through `make test` or scripts/test-services";
  }
  ScratchDatabase scratch(storage::Backend::Postgres);
  const std::string name = database_name(scratch.url());
  AuthedServer server(scratch.url());
  auto& admin = server.admin();
  auto healthy = admin.get("/api/health/detailed");
  ASSERT_EQ(healthy.status, 200) << healthy.body;
  EXPECT_EQ(healthy.json()["services"]["database"]["status"], "healthy");
  // Signed in, but never confirmed by the database before the outage.
  ApiClient unconfirmed(server.port(),
                        login(server.port(), std::string(kAdminEmail), std::string(kAdminPassword))["token"]);
  ApiClient viewer = server.as("viewer");
  EXPECT_EQ(viewer.get("/api/health/detailed").status, 403);

  on_server("ALTER DATABASE " + name + " WITH ALLOW_CONNECTIONS false; SELECT pg_terminate_backend(pid) FROM " +
            "pg_stat_activity WHERE datname = '" + name + "'");

  auto down = admin.get("/api/health/detailed");
  EXPECT_EQ(down.status, 503) << down.body;
  EXPECT_EQ(down.header("Content-Type"), "application/json");
  auto doc = down.json();
  EXPECT_EQ(doc["status"], "unhealthy");
  EXPECT_EQ(doc["services"]["database"]["status"], "unhealthy");
  EXPECT_TRUE(doc["services"]["database"]["error"].is_string()) << doc.dump();
  for (const char* service : {"database", "redis", "queue", "smtp", "sentry"})
    EXPECT_TRUE(doc["services"][service]["status"].is_string()) << service << ": " << doc.dump();
  EXPECT_TRUE(doc["system"].contains("disk_percent"));

  // Only callers the database confirmed get the document; and only it.
  auto stranger = unconfirmed.get("/api/health/detailed");
  EXPECT_EQ(stranger.status, 503);
  EXPECT_EQ(stranger.header("Content-Type"), "application/problem+json");
  EXPECT_EQ(viewer.get("/api/health/detailed").status, 503);
  ApiClient forged(server.port(), "not-a-token");
  EXPECT_EQ(forged.get("/api/health/detailed").status, 401);
  EXPECT_EQ(HttpClient(server.port()).get("/api/health/detailed").status, 401);
  auto write = admin.post("/api/admin/queues/emails/retry", nlohmann::json::object());
  EXPECT_EQ(write.status, 503) << write.body;
  EXPECT_EQ(admin.get("/api/leads").status, 503);

  on_server("ALTER DATABASE " + name + " WITH ALLOW_CONNECTIONS true");
  EXPECT_TRUE(eventually([&] { return admin.get("/api/health/detailed").status == 200; }, milliseconds(20000)));
  EXPECT_EQ(admin.get("/api/leads").status, 200);
}

}  // namespace
}  // namespace herald::test

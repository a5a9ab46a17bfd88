// The health report's "smtp" entry against a real SMTP server (aiosmtpd):
// healthy while it answers, the answer reused for a few seconds (a polling
// dashboard costs the server one NOOP per period), unhealthy — and the report
// degraded with the reason — once the server is gone. The pool's connections
// are in /metrics.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <thread>

#include "support/api_client.hpp"
#include "support/mail_tools.hpp"
#include "support/metrics_text.hpp"

namespace herald::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout = 30s) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(200ms);
  }
  return done();
}

TEST(SmtpHealth, ANoopOnThePoolCachedAFewSecondsThenTheOutageWithItsReason) {
  TestSmtpServer smtp;
  AuthedServer server({}, [&](Config& c) {
    c.smtp_url = smtp.url();
    c.smtp_pool = 2;
  });
  auto& admin = server.admin();
  auto first = admin.get("/api/health/detailed");
  ASSERT_EQ(first.status, 200) << first.body;
  const json entry = first.json()["services"]["smtp"];
  EXPECT_EQ(entry["status"], "healthy") << entry.dump();
  EXPECT_FALSE(entry.contains("cached"));
  EXPECT_EQ(entry["connections"]["size"], 2);
  EXPECT_EQ(first.json()["status"], "healthy") << first.body;

  // Within the next seconds the same answer comes back without a round trip.
  const json again = admin.get("/api/health/detailed").json()["services"]["smtp"];
  EXPECT_EQ(again["cached"], true) << again.dump();
  EXPECT_EQ(again["status"], "healthy");

  auto metrics = HttpClient(server.port()).get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_EQ(sample_value(metrics.body, R"(herald_smtp_connections{state="idle"})"), 1) << metrics.body;
  EXPECT_EQ(sample_value(metrics.body, R"(herald_smtp_connections{state="in_use"})"), 0);

  smtp.stop();
  json down;
  ASSERT_TRUE(eventually([&] {
    down = admin.get("/api/health/detailed").json();
    return down["services"]["smtp"]["status"] == "unhealthy";
  })) << down.dump();
  EXPECT_EQ(down["status"], "degraded");  // mail waits; the API serves
  EXPECT_NE(down["reason"].get<std::string>().find("smtp: unhealthy"), std::string::npos) << down.dump();
  EXPECT_TRUE(down["services"]["smtp"]["error"].is_string());
}

}  // namespace
}  // namespace herald::test

// The campaigns domain's figures in the observability endpoints: a campaign
// sent to a real SMTP server (support/smtp_server.py) moves the mail counters
// on /metrics by outcome and reason, promtool accepts them, the SMTP pool
// gauge shows the process's connections; GET /api/admin/system and the
// analytics overview count the active campaigns alike, from the campaigns' rows.
#include <gtest/gtest.h>

#include <sstream>

#include "integration/campaigns/fixture.hpp"
#include "support/metrics_text.hpp"
#include "support/test_databases.hpp"

namespace herald::test {
namespace {

using nlohmann::json;

class MailMetricsTest : public CampaignTest {
 protected:
  std::string scrape() {
    HttpClient client(server().port());
    auto r = client.get("/metrics");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.body;
  }
};

double value(const std::string& text, const std::string& series) {
  const double v = sample_value(text, series);
  return v < 0 ? 0 : v;
}

TEST_P(MailMetricsTest, ACampaignSendMovesTheEmailCountersByOutcome) {
  mail_server();
  const std::string before = scrape();
  // Every series is there before the first message, at 0.
  EXPECT_EQ(sample_value(before, "herald_emails_sent_total"), 0) << before;
  for (const char* reason : {"bounced", "rejected", "attempts_exhausted", "invalid_message"})
    EXPECT_EQ(sample_value(before, std::string(R"(herald_emails_failed_total{reason=")") + reason + "\"}"), 0)
        << reason;
  for (const char* reason : {"temporary", "connection"})
    EXPECT_EQ(sample_value(before, std::string(R"(herald_emails_deferred_total{reason=")") + reason + "\"}"), 0)
        << reason;
  EXPECT_EQ(sample_value(before, R"(herald_smtp_connections{state="in_use"})"), 0);

  const auto tid = create_template();
  for (const char* e : {"ok1@example.org", "temponce1@example.org", "droponce1@example.org", "perm1@example.org",
                        "temp1@example.org", "permdata1@example.org"})
    create_lead(e);
  auto sent = create_campaign({{"template_id", tid}, {"audience", {{"all", true}}}, {"send_now", true}});
  const auto id = sent["id"].get<std::int64_t>();
  auto done = wait_status(id, "completed", std::chrono::seconds(180));
  ASSERT_EQ(done["stats"]["sent"], 3) << done.dump();
  ASSERT_EQ(done["stats"]["failed"], 3) << done.dump();

  const std::string after = scrape();
  // Accepted: ok1, and temponce1 and droponce1 on their second attempt.
  EXPECT_EQ(value(after, "herald_emails_sent_total"), 3) << after;
  // Failed for good: 550 to RCPT (a bounce), 554 after the data, 451 three times.
  EXPECT_EQ(value(after, R"(herald_emails_failed_total{reason="bounced"})"), 1) << after;
  EXPECT_EQ(value(after, R"(herald_emails_failed_total{reason="rejected"})"), 1) << after;
  EXPECT_EQ(value(after, R"(herald_emails_failed_total{reason="attempts_exhausted"})"), 1) << after;
  EXPECT_EQ(value(after, R"(herald_emails_failed_total{reason="invalid_message"})"), 0) << after;
  // Deferred: temponce1 once, temp1 on its first two attempts; droponce1's dropped connection once.
  EXPECT_EQ(value(after, R"(herald_emails_deferred_total{reason="temporary"})"), 3) << after;
  EXPECT_EQ(value(after, R"(herald_emails_deferred_total{reason="connection"})"), 1) << after;
  // No label names a lead, an address or a campaign.
  std::istringstream lines(after);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("herald_emails_", 0) != 0) continue;
    EXPECT_EQ(line.find('@'), std::string::npos) << line;
    EXPECT_EQ(line.find("campaign"), std::string::npos) << line;
  }
  // The pool: nothing in use once the campaign is done; its connections (at most
  // HERALD_SMTP_POOL = 2) stay open for the next messages.
  EXPECT_EQ(value(after, R"(herald_smtp_connections{state="in_use"})"), 0) << after;
  EXPECT_GE(value(after, R"(herald_smtp_connections{state="idle"})"), 1) << after;
  EXPECT_LE(value(after, R"(herald_smtp_connections{state="idle"})"), 2) << after;

  TempDir dir;
  const PromtoolResult check = promtool_check(after, dir.path());
  EXPECT_EQ(check.exit_code, 0) << check.output << "\n" << after;
}

// One definition of an active campaign — started and not finished:
// scheduled, sending or paused — in the admin system figures and in the
// analytics overview alike.
TEST_P(MailMetricsTest, AdminSystemAndAnalyticsOverviewCountActiveCampaignsAlike) {
  auto& s = mail_server();
  const auto tid = create_template();
  create_leads(5);
  auto active = [&] {
    auto r = s.admin().get("/api/admin/system");
    EXPECT_EQ(r.status, 200) << r.body;
    auto o = s.admin().get("/api/analytics/overview");
    EXPECT_EQ(o.status, 200) << o.body;
    EXPECT_EQ(r.json()["active_campaigns"], o.json()["campaigns_active"]) << r.body << "\n" << o.body;
    return r.json()["active_campaigns"];
  };
  EXPECT_EQ(active(), 0);

  // A draft is not active; a scheduled campaign is.
  create_campaign({{"template_id", tid}, {"audience", {{"all", true}}}});
  EXPECT_EQ(active(), 0);
  auto scheduled =
      create_campaign({{"template_id", tid}, {"audience", {{"all", true}}}, {"scheduled_at", "2030-01-01T09:00:00Z"}});
  const auto scheduled_id = scheduled["id"].get<std::int64_t>();
  auto r = s.admin().post("/api/campaigns/" + std::to_string(scheduled_id) + "/send", json::object());
  ASSERT_EQ(r.status, 202) << r.body;
  ASSERT_EQ(r.json()["status"], "scheduled");
  EXPECT_EQ(active(), 1);

  // Two sending at one message a minute: both stay `sending` for minutes.
  std::vector<std::int64_t> sending;
  for (int i = 0; i < 2; ++i) {
    auto c = create_campaign(
        {{"template_id", tid}, {"audience", {{"all", true}}}, {"throttle_per_minute", 1}, {"send_now", true}});
    ASSERT_EQ(c["status"], "sending") << c.dump();
    sending.push_back(c["id"].get<std::int64_t>());
  }
  EXPECT_EQ(active(), 3);

  // A paused one still is; a cancelled one is not.
  ASSERT_EQ(s.admin().post("/api/campaigns/" + std::to_string(sending[0]) + "/pause", json::object()).status, 200);
  EXPECT_EQ(active(), 3);
  ASSERT_EQ(s.admin().post("/api/campaigns/" + std::to_string(sending[1]) + "/cancel", json::object()).status, 200);
  EXPECT_EQ(active(), 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, MailMetricsTest, all_backends(), backend_test_name);

}  // namespace
}  // namespace herald::test

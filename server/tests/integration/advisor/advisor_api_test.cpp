// The AI assistant's built-in tools through the real server on both
// backends: the message check, and lead scoring end to end (the job on the
// analytics queue reading leads and the event log, writing each lead's score
// and reasons) with too little history (rules) and with enough (logistic);
// bad inputs are 422 naming the field; ai:use is needed.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "integration/auth/auth_fixture.hpp"
#include "support/test_databases.hpp"

namespace herald::test {
namespace {

using nlohmann::json;

template <typename F>
bool eventually(F done, std::chrono::seconds timeout = std::chrono::seconds(120)) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return done();
}

class AdvisorApiTest : public AuthTest {
 protected:
  std::int64_t add_lead(const std::string& email, const std::string& title, const std::string& company = "") {
    auto r = server().admin().post("/api/leads", {{"email", email}, {"title", title}, {"company", company}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? r.json()["id"].get<std::int64_t>() : 0;
  }
  std::int64_t add_campaign() {
    auto conn = db().acquire();
    std::int64_t id = 0;
    conn->execute(sql_for(GetParam(),
                          "INSERT INTO campaigns (name, template_id, audience, status, created_at, updated_at) "
                          "VALUES ('History', 1, '{\"all\":true}', 'completed', '2026-01-01T00:00:00.000Z', "
                          "'2026-01-01T00:00:00.000Z') RETURNING id"),
                  {}, [&](const storage::Row& r) { id = r.integer(0); });
    return id;
  }
  void event(std::int64_t campaign, std::int64_t lead, const std::string& type, std::int64_t at_ms) {
    auto conn = db().acquire();
    conn->execute(sql_for(GetParam(),
                          "INSERT INTO campaign_events (campaign_id, lead_id, type, occurred_at, user_agent, ip) "
                          "VALUES ($1, $2, $3, $4, '', '')"),
                  {campaign, lead, std::string_view(type), at_ms});
  }
  std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  // Starts a run and waits for it; returns the finished job's status body.
  json score_and_wait() {
    auto& admin = server().admin();
    auto started = admin.post("/api/ai/score-leads", json::object());
    EXPECT_EQ(started.status, 202) << started.body;
    const auto id = started.json().value("job_id", std::string());
    json status;
    EXPECT_TRUE(eventually([&] {
      status = admin.get("/api/ai/score-leads/" + id).json();
      return status.value("status", "") == "completed" || status.value("status", "") == "failed" ||
             status.value("status", "") == "dead";
    })) << status.dump();
    EXPECT_EQ(status["job_id"], id);
    return status;
  }
};

TEST_P(AdvisorApiTest, AnalyzeScoresAMessageAndFlagsSpam) {
  auto& admin = server().admin();
  auto r = admin.post("/api/ai/analyze", {{"subject", "FREE MONEY!!! ACT NOW"}, {"html", "<p>Click here</p>"}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.json();
  EXPECT_LT(j["score"].get<int>(), 50);
  bool spam = false, unsubscribe = false;
  for (const auto& f : j["findings"]) {
    spam = spam || f["rule"] == "spam_phrases";
    unsubscribe = unsubscribe || f["rule"] == "unsubscribe";
  }
  EXPECT_TRUE(spam) << j.dump();
  EXPECT_TRUE(unsubscribe) << j.dump();
  EXPECT_EQ(j["facts"]["link_count"], 0);
  auto good = admin.post("/api/ai/analyze", {{"subject", "A question about {{company}}"},
                                             {"text",
                                              "Hi {{first_name|there}}, could we talk next week? "
                                              "Unsubscribe: {{unsubscribe_url}}"}});
  ASSERT_EQ(good.status, 200) << good.body;
  EXPECT_GE(good.json()["score"].get<int>(), 90) << good.body;
  EXPECT_EQ(good.json()["facts"]["merge_tags"], json({"company", "first_name", "unsubscribe_url"}));
}

TEST_P(AdvisorApiTest, BadInputsAre422NamingTheField) {
  auto& admin = server().admin();
  auto field = [&](const json& body) {
    auto r = admin.post("/api/ai/analyze", body);
    expect_problem(r, 422);
    return r.json()["errors"][0]["field"].get<std::string>();
  };
  EXPECT_EQ(field({{"html", "<p>x</p>"}}), "subject");
  EXPECT_EQ(field({{"subject", "s"}, {"html", 5}}), "html");
  EXPECT_EQ(field({{"subject", "s"}}), "html");
  EXPECT_EQ(field({{"subject", "s"}, {"html", "x"}, {"tone", "warm"}}), "tone");
  auto extra = admin.post("/api/ai/score-leads", {{"model", "logistic"}});
  expect_problem(extra, 422);
  EXPECT_EQ(extra.json()["errors"][0]["field"], "model");
  expect_problem(admin.get("/api/ai/score-leads/not-a-job"), 404);
  expect_problem(admin.get("/api/ai/score-leads/01ARZ3NDEKTSV4RRFFQ69G5FAV"), 404);
}

TEST_P(AdvisorApiTest, AiUseIsNeeded) {
  auto viewer = server().as("viewer");
  expect_problem(viewer.post("/api/ai/analyze", {{"subject", "s"}, {"html", "x"}}), 403);
  expect_problem(viewer.post("/api/ai/score-leads", json::object()), 403);
  expect_problem(viewer.get("/api/ai/score-leads/01ARZ3NDEKTSV4RRFFQ69G5FAV"), 403);
  auto member = server().as("member");
  EXPECT_EQ(member.post("/api/ai/analyze", {{"subject", "s"}, {"html", "x"}}).status, 200);
}

TEST_P(AdvisorApiTest, LittleHistoryGivesTheRuleBasedScoreWithReasons) {
  const auto cto = add_lead("cto@example.org", "CTO", "Acme");
  const auto dev = add_lead("dev@example.org", "Developer");
  const auto none = add_lead("none@example.org", "");
  const auto c = add_campaign();
  event(c, dev, "delivered", now_ms() - 1000);
  event(c, dev, "click", now_ms() - 500);
  auto status = score_and_wait();
  ASSERT_EQ(status["status"], "completed") << status.dump();
  EXPECT_EQ(status["percent"], 100);
  const auto& result = status["result"];
  EXPECT_EQ(result["model"], "rules");
  EXPECT_EQ(result["leads_scored"], 3);
  EXPECT_FALSE(result.contains("auc"));
  EXPECT_NE(result["reason"].get<std::string>().find("too little history"), std::string::npos);

  auto& admin = server().admin();
  auto lead = admin.get("/api/leads/" + std::to_string(cto)).json();
  EXPECT_EQ(lead["score"], 40);  // c-level 30 + company 10
  ASSERT_EQ(lead["score_reasons"].size(), 2u) << lead.dump();
  EXPECT_EQ(lead["score_reasons"][0]["feature"], "seniority_c_level");
  EXPECT_EQ(lead["score_reasons"][0]["weight"], 30.0);
  EXPECT_EQ(admin.get("/api/leads/" + std::to_string(dev)).json()["score"], 5 + 8 + 10);
  EXPECT_EQ(admin.get("/api/leads/" + std::to_string(none)).json()["score_reasons"], json::array());
  // The list carries them too.
  auto list = admin.get("/api/leads?sort=id").json();
  ASSERT_EQ(list["items"].size(), 3u) << list.dump();
  EXPECT_EQ(list["items"][0]["score"], 40);
  EXPECT_EQ(list["items"][0]["score_reasons"][0]["feature"], "seniority_c_level");
}

TEST_P(AdvisorApiTest, EnoughHistoryFitsTheModelAndChecksItOnHeldOutLeads) {
  // 240 contacted leads: managers reply half the time, executives one in ten
  // (the rules rank executives first, so only a fitted model sees this).
  const auto c = add_campaign();
  const auto t = now_ms() - 86'400'000;
  std::int64_t a_ceo = 0;
  for (int i = 0; i < 240; ++i) {
    const bool manager = i % 3 == 0;
    const auto id = add_lead("lead" + std::to_string(i) + "@example.org", manager ? "Engineering Manager" : "CEO",
                             "Company " + std::to_string(i));
    if (i == 2) a_ceo = id;  // did not reply
    event(c, id, "delivered", t);
    if (manager ? i % 2 == 0 : i % 10 == 1) event(c, id, "reply", t + 1000);
  }
  const auto fresh_id = add_lead("fresh@example.org", "Engineering Manager");  // never contacted: scored, not labelled
  auto status = score_and_wait();
  ASSERT_EQ(status["status"], "completed") << status.dump();
  const auto& result = status["result"];
  EXPECT_EQ(result["model"], "logistic") << result.dump();
  EXPECT_EQ(result["leads_scored"], 241);
  EXPECT_EQ(result["labelled"], 240);
  EXPECT_GE(result["positives"].get<int>(), 30);
  ASSERT_TRUE(result.contains("auc")) << result.dump();
  EXPECT_GT(result["auc"].get<double>(), 0.6) << result.dump();
  EXPECT_GT(result["auc"].get<double>(), result["rules_auc"].get<double>()) << result.dump();
  auto& admin = server().admin();
  auto fresh = admin.get("/api/leads/" + std::to_string(fresh_id)).json();
  auto ceo = admin.get("/api/leads/" + std::to_string(a_ceo)).json();
  EXPECT_GT(fresh["score"].get<int>(), ceo["score"].get<int>()) << fresh.dump() << ceo.dump();
  ASSERT_FALSE(fresh["score_reasons"].empty());
  bool manager_reason = false;
  for (const auto& r : fresh["score_reasons"]) manager_reason = manager_reason || r["feature"] == "seniority_manager";
  EXPECT_TRUE(manager_reason) << fresh.dump();
}

// Send times. 2026-01-05T00:00:00Z is a Monday.
constexpr std::int64_t kMonday = 1'767'571'200'000;
constexpr std::int64_t kHour = 3'600'000;
constexpr std::int64_t kDay = 24 * kHour;

TEST_P(AdvisorApiTest, SendTimesWithNoHistoryGiveTheDefault) {
  auto r = server().admin().get("/api/ai/send-times");
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.json();
  EXPECT_EQ(j["level"], "global");
  EXPECT_EQ(j["events"], 0);
  EXPECT_EQ(j["best"], json({{"day", 1}, {"hour", 10}}));
  EXPECT_EQ(j["tz"], "UTC");
  ASSERT_EQ(j["histogram"].size(), 7u);
  EXPECT_EQ(j["histogram"][0].size(), 24u);
}

TEST_P(AdvisorApiTest, SendTimesUseTheLeadThenItsSegmentThenEveryone) {
  auto& admin = server().admin();
  const auto c = add_campaign();
  // A New York lead with 5 opens and replies on Thursdays at 14:00 UTC (09:00 there in January).
  auto ny =
      admin.post("/api/leads", {{"email", "ny@example.org"}, {"timezone", "America/New_York"}, {"tags", {"vip"}}});
  ASSERT_EQ(ny.status, 201) << ny.body;
  const auto ny_id = ny.json()["id"].get<std::int64_t>();
  for (int i = 0; i < 5; ++i) event(c, ny_id, i % 2 ? "reply" : "open", kMonday + 3 * kDay + 14 * kHour + i * 60'000);
  event(c, ny_id, "click", kMonday + 5 * kHour);  // not engagement for send times
  // A second VIP with 2 opens on Saturday 08:00 UTC; an outsider with 6 on Monday 06:00 UTC.
  auto vip = admin.post("/api/leads", {{"email", "vip@example.org"}, {"tags", {"vip"}}});
  ASSERT_EQ(vip.status, 201) << vip.body;
  const auto vip_id = vip.json()["id"].get<std::int64_t>();
  for (int i = 0; i < 2; ++i) event(c, vip_id, "open", kMonday + 5 * kDay + 8 * kHour + i * 1000);
  const auto other = add_lead("other@example.org", "");
  for (int i = 0; i < 6; ++i) event(c, other, "open", kMonday + 7 * kDay + 6 * kHour + i * 1000);
  auto segment = admin.post("/api/segments", {{"name", "VIPs"}, {"filter", {{"tag", "vip"}}}});
  ASSERT_EQ(segment.status, 201) << segment.body;
  const auto segment_id = segment.json()["id"].get<std::int64_t>();

  // The lead's own: on its clock.
  auto own = admin.get("/api/ai/send-times?lead_id=" + std::to_string(ny_id)).json();
  EXPECT_EQ(own["level"], "lead") << own.dump();
  EXPECT_EQ(own["events"], 5);
  EXPECT_EQ(own["tz"], "America/New_York");
  EXPECT_EQ(own["best"], json({{"day", 3}, {"hour", 9}})) << own.dump();
  EXPECT_EQ(own["histogram"][3][9], 5);

  // The segment's: 7 events (5 + 2) of its members, in UTC.
  auto seg = admin.get("/api/ai/send-times?segment_id=" + std::to_string(segment_id)).json();
  EXPECT_EQ(seg["level"], "segment") << seg.dump();
  EXPECT_EQ(seg["events"], 7);
  EXPECT_EQ(seg["tz"], "UTC");
  EXPECT_EQ(seg["best"], json({{"day", 3}, {"hour", 14}})) << seg.dump();

  // A lead with too little history falls back to the segment given, then to everyone.
  auto vip_seg =
      admin.get("/api/ai/send-times?lead_id=" + std::to_string(vip_id) + "&segment_id=" + std::to_string(segment_id))
          .json();
  EXPECT_EQ(vip_seg["level"], "segment") << vip_seg.dump();
  EXPECT_EQ(vip_seg["events"], 7);
  auto vip_alone = admin.get("/api/ai/send-times?lead_id=" + std::to_string(vip_id)).json();
  EXPECT_EQ(vip_alone["level"], "global") << vip_alone.dump();
  EXPECT_EQ(vip_alone["events"], 13);
  EXPECT_EQ(vip_alone["best"], json({{"day", 0}, {"hour", 6}})) << vip_alone.dump();

  // Everyone's.
  auto global = admin.get("/api/ai/send-times").json();
  EXPECT_EQ(global["level"], "global");
  EXPECT_EQ(global["events"], 13);
  EXPECT_EQ(global["best"], json({{"day", 0}, {"hour", 6}}));
  EXPECT_EQ(global["histogram"][0][6], 6);
  EXPECT_EQ(global["histogram"][5][8], 2);
}

TEST_P(AdvisorApiTest, SendTimesBadInputsUnknownIdsAndPermission) {
  auto& admin = server().admin();
  auto field = [&](const std::string& query) {
    auto r = admin.get("/api/ai/send-times?" + query);
    expect_problem(r, 422);
    return r.json()["errors"][0]["field"].get<std::string>();
  };
  EXPECT_EQ(field("lead_id=abc"), "lead_id");
  EXPECT_EQ(field("lead_id=0"), "lead_id");
  EXPECT_EQ(field("lead_id=-2"), "lead_id");
  EXPECT_EQ(field("segment_id=1.5"), "segment_id");
  EXPECT_EQ(field("segment_id="), "segment_id");
  expect_problem(admin.get("/api/ai/send-times?lead_id=999999"), 404);
  expect_problem(admin.get("/api/ai/send-times?segment_id=999999"), 404);
  expect_problem(server().as("viewer").get("/api/ai/send-times"), 403);
  EXPECT_EQ(server().as("member").get("/api/ai/send-times").status, 200);
}

INSTANTIATE_TEST_SUITE_P(Backends, AdvisorApiTest, all_backends(), backend_test_name);

}  // namespace
}  // namespace herald::test

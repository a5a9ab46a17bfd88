// The "best_time" schedule through the real server on both backends, with
// the real SMTP sink: a history of opens and replies at known hours (written
// to the event log as the advisor's send-time tests do) gives each recipient
// the next occurrence of its best hour of the week — its own when it has
// enough history (on its own clock, or UTC), else everyone's — within 7 days;
// nothing is mailed before then; scheduled_at starts the week; a bad
// schedule_mode is 422 naming the field.
#include <gtest/gtest.h>

#include "core/time.hpp"
#include "integration/campaigns/fixture.hpp"
#include "support/test_databases.hpp"

namespace herald::test {
namespace {

using nlohmann::json;

// 2026-01-05T00:00:00Z is a Monday.
constexpr std::int64_t kMonday = 1'767'571'200'000;
constexpr std::int64_t kHour = 3'600'000;
constexpr std::int64_t kDay = 24 * kHour;
constexpr std::int64_t kWeek = 7 * kDay;

std::string iso(std::int64_t ms) {
  return rfc3339(std::chrono::system_clock::time_point(std::chrono::milliseconds(ms)));
}

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The first instant at or after `t` (ms) at which a clock `offset_h` hours
// east of UTC (a zone without daylight saving) shows `hour`:00 on weekday
// `day` (Monday = 0).
std::int64_t next_slot(std::int64_t t, int offset_h, int day, int hour) {
  const std::int64_t local = t + offset_h * kHour;
  const std::int64_t week_start = kMonday + ((local - kMonday) / kWeek) * kWeek;  // local Monday 00:00
  std::int64_t at = week_start + day * kDay + hour * kHour;
  if (at < local) at += kWeek;
  return at - offset_h * kHour;
}

class CampaignBestTimeTest : public CampaignTest {
 protected:
  std::int64_t lead(const std::string& email, const std::string& timezone, const std::string& tag) {
    json body = {{"email", email}, {"first_name", "Ann"}};
    if (!timezone.empty()) body["timezone"] = timezone;
    if (!tag.empty()) body["tags"] = {tag};
    auto r = server().admin().post("/api/leads", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? r.json()["id"].get<std::int64_t>() : 0;
  }
  // A past campaign to hang the history on.
  std::int64_t history_campaign(std::int64_t template_id) {
    std::int64_t id = 0;
    db().acquire()->execute(sql_for(GetParam(),
                                    "INSERT INTO campaigns (name, template_id, audience, status, created_at, "
                                    "updated_at) VALUES ('History', $1, '{\"all\":true}', 'completed', "
                                    "'2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z') RETURNING id"),
                            {template_id}, [&](const storage::Row& r) { id = r.integer(0); });
    return id;
  }
  // `n` events alternating open and reply, a minute apart from `at_ms`.
  void engagement(std::int64_t campaign, std::int64_t lead, std::int64_t at_ms, int n) {
    auto conn = db().acquire();
    for (int i = 0; i < n; ++i)
      conn->execute(sql_for(GetParam(),
                            "INSERT INTO campaign_events (campaign_id, lead_id, type, occurred_at, user_agent, ip) "
                            "VALUES ($1, $2, $3, $4, '', '')"),
                    {campaign, lead, std::string_view(i % 2 ? "reply" : "open"), at_ms + i * 60'000});
  }
  bool expanded(std::int64_t id) {
    return scalar("SELECT expanded FROM campaigns WHERE id = " + std::to_string(id)) != 0;
  }
  static std::int64_t due_ms(const json& recipient) {
    auto at = parse_rfc3339(recipient.value("due_at", std::string()));
    EXPECT_TRUE(at.has_value()) << recipient.dump();
    return at ? std::chrono::duration_cast<std::chrono::milliseconds>(at->time_since_epoch()).count() : 0;
  }
};

TEST_P(CampaignBestTimeTest, EachRecipientWaitsForItsBestHourWithinAWeek) {
  auto& s = mail_server();
  const auto tid = create_template();
  const auto past = history_campaign(tid);
  // Tokyo (UTC+9, no daylight saving): 5 opens and replies on Thursdays at
  // 01:00 UTC — 10:00 on its own clock.
  const auto tokyo = lead("tokyo@example.org", "Asia/Tokyo", "go");
  engagement(past, tokyo, kMonday + 3 * kDay + 1 * kHour, 5);
  // No time zone: 6 on Saturdays at 15:00 UTC.
  const auto utc = lead("utc@example.org", "", "go");
  engagement(past, utc, kMonday + 12 * kDay + 15 * kHour, 6);
  // Too little history (2): everyone's best hour, Monday 07:00 UTC, which
  // an outsider's 8 opens and replies make.
  const auto few = lead("few@example.org", "", "go");
  engagement(past, few, kMonday + 6 * kDay + 20 * kHour, 2);
  const auto outsider = lead("outsider@example.org", "", "");
  engagement(past, outsider, kMonday + 7 * kDay + 7 * kHour, 8);
  // No history, in Tokyo: everyone's best hour on its clock (Monday 16:00
  // there), the same instant.
  lead("fresh@example.org", "Asia/Tokyo", "go");

  // The advice the schedule follows.
  auto global = s.admin().get("/api/ai/send-times").json();
  ASSERT_EQ(global["best"], json({{"day", 0}, {"hour", 7}})) << global.dump();
  EXPECT_EQ(global["events"], 21);

  // The campaign's own time zone is not the clock for leads without one:
  // their best hours were counted in UTC.
  const auto t0 = wall_ms();
  auto c = create_campaign({{"template_id", tid},
                            {"audience", {{"tags", {"go"}}}},
                            {"schedule_mode", "best_time"},
                            {"timezone", "America/New_York"},
                            {"send_now", true}});
  const auto id = c["id"].get<std::int64_t>();
  EXPECT_EQ(c["status"], "sending") << c.dump();
  EXPECT_EQ(get_campaign(id)["schedule_mode"], "best_time");

  json rows;
  ASSERT_TRUE(eventually([&] {
    rows = recipients(id);
    return rows.size() == 4 && expanded(id);
  })) << rows.dump();
  const auto t1 = wall_ms();

  // Each due_at is the first occurrence of the slot at or after the moment
  // the campaign was expanded (somewhere between t0 and t1).
  auto expect_due = [&](const std::string& email, int offset_h, int day, int hour) {
    const auto due = due_ms(recipient(id, email));
    const auto early = next_slot(t0, offset_h, day, hour), late = next_slot(t1, offset_h, day, hour);
    EXPECT_TRUE(due == early || due == late)
        << email << " due " << iso(due) << ", expected " << iso(early) << (early == late ? "" : " or " + iso(late));
    EXPECT_GE(due, t0) << email;
    EXPECT_LT(due, t1 + kWeek) << email;
  };
  expect_due("tokyo@example.org", 9, 3, 10);  // its own, on its clock
  expect_due("utc@example.org", 0, 5, 15);    // its own, UTC
  expect_due("few@example.org", 0, 0, 7);     // everyone's, UTC
  expect_due("fresh@example.org", 9, 0, 16);  // everyone's, on its clock
  for (const auto& r : rows) EXPECT_EQ(r["state"], "queued") << r.dump();

  // Nothing goes out before its hour: the campaign waits in "sending".
  std::this_thread::sleep_for(std::chrono::seconds(2));
  auto now = get_campaign(id);
  EXPECT_EQ(now["status"], "sending") << now.dump();
  EXPECT_EQ(now["stats"]["sent"], 0) << now.dump();
  EXPECT_TRUE(smtp().messages().empty());
  for (const auto& r : recipients(id)) EXPECT_EQ(r["state"], "queued") << r.dump();

  // The first recipient's hour (the emails jobs' run time) is still ahead.
  std::int64_t earliest = INT64_MAX;
  for (const auto& r : rows) earliest = std::min(earliest, due_ms(r));
  EXPECT_GT(earliest, t1);

  // With scheduled_at, the week starts there (as for local_time, the
  // campaign is sending and each recipient waits).
  auto later = create_campaign({{"template_id", tid},
                                {"audience", {{"tags", {"go"}}}},
                                {"schedule_mode", "best_time"},
                                {"scheduled_at", "2030-01-01T09:30:00Z"}});
  const auto later_id = later["id"].get<std::int64_t>();
  auto sent = s.admin().post("/api/campaigns/" + std::to_string(later_id) + "/send", json::object());
  ASSERT_EQ(sent.status, 202) << sent.body;
  EXPECT_EQ(get_campaign(later_id)["schedule_mode"], "best_time");
  ASSERT_TRUE(eventually([&] { return recipients(later_id).size() == 4 && expanded(later_id); }));
  EXPECT_EQ(get_campaign(later_id)["status"], "sending");
  const auto start =
      std::chrono::duration_cast<std::chrono::milliseconds>(parse_rfc3339("2030-01-01T09:30:00Z")->time_since_epoch())
          .count();  // a Tuesday
  EXPECT_EQ(iso(due_ms(recipient(later_id, "tokyo@example.org"))), iso(next_slot(start, 9, 3, 10)));
  EXPECT_EQ(iso(due_ms(recipient(later_id, "tokyo@example.org"))), "2030-01-03T01:00:00.000Z");
  EXPECT_EQ(iso(due_ms(recipient(later_id, "few@example.org"))), "2030-01-07T07:00:00.000Z");
  EXPECT_EQ(iso(due_ms(recipient(later_id, "utc@example.org"))), "2030-01-05T15:00:00.000Z");
}

TEST_P(CampaignBestTimeTest, TheAudienceSegmentComesBeforeEveryone) {
  auto& s = mail_server();
  const auto tid = create_template();
  const auto past = history_campaign(tid);
  // Members: one with 6 on Wednesdays at 18:00 UTC, one with 1 at another
  // hour; outside the segment, 9 on Fridays at 05:00 UTC.
  const auto busy = lead("busy@example.org", "", "vip");
  engagement(past, busy, kMonday + 2 * kDay + 18 * kHour, 6);
  const auto quiet = lead("quiet@example.org", "", "vip");
  engagement(past, quiet, kMonday + 1 * kDay + 3 * kHour, 1);
  const auto outsider = lead("outsider@example.org", "", "");
  engagement(past, outsider, kMonday + 4 * kDay + 5 * kHour, 9);
  auto segment = s.admin().post("/api/segments", {{"name", "VIPs"}, {"filter", {{"tag", "vip"}}}});
  ASSERT_EQ(segment.status, 201) << segment.body;
  const auto segment_id = segment.json()["id"].get<std::int64_t>();

  const auto t0 = wall_ms();
  auto c = create_campaign({{"template_id", tid},
                            {"audience", {{"segment_id", segment_id}}},
                            {"schedule_mode", "best_time"},
                            {"send_now", true}});
  const auto id = c["id"].get<std::int64_t>();
  ASSERT_TRUE(eventually([&] { return recipients(id).size() == 2 && expanded(id); }));
  const auto t1 = wall_ms();
  // The quiet member gets the segment's hour (7 events: Wednesday 18:00),
  // not everyone's (Friday 05:00).
  const auto due = due_ms(recipient(id, "quiet@example.org"));
  EXPECT_TRUE(due == next_slot(t0, 0, 2, 18) || due == next_slot(t1, 0, 2, 18)) << iso(due);
  EXPECT_EQ(get_campaign(id)["status"], "sending");
}

TEST_P(CampaignBestTimeTest, ABadScheduleModeIs422NamingTheField) {
  auto& s = server();
  const auto tid = create_template();
  const json base = {{"name", "x"}, {"template_id", tid}, {"audience", {{"all", true}}}};
  for (const json& mode : {json("best"), json("BEST_TIME"), json(5), json(nullptr)}) {
    auto body = base;
    body["schedule_mode"] = mode;
    auto r = s.admin().post("/api/campaigns", body);
    expect_problem(r, 422);
    EXPECT_EQ(error_fields(r), std::set<std::string>{"schedule_mode"}) << mode.dump() << " " << r.body;
  }
  auto c = create_campaign({{"template_id", tid}, {"audience", {{"all", true}}}});
  const auto id = c["id"].get<std::int64_t>();
  auto r = s.admin().patch("/api/campaigns/" + std::to_string(id), {{"schedule_mode", "best-time"}});
  expect_problem(r, 422);
  EXPECT_EQ(error_fields(r), std::set<std::string>{"schedule_mode"});
  // Nothing was written by the refused requests; the right spelling is taken.
  EXPECT_EQ(s.admin().get("/api/campaigns").json()["total"], 1);
  EXPECT_EQ(get_campaign(id)["schedule_mode"], "now");
  auto ok = s.admin().patch("/api/campaigns/" + std::to_string(id), {{"schedule_mode", "best_time"}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.json()["schedule_mode"], "best_time");
  // A member may choose it, but sending stays with campaign:send.
  expect_problem(s.as("member").post("/api/campaigns/" + std::to_string(id) + "/send", json::object()), 403);
  EXPECT_EQ(get_campaign(id)["status"], "draft");
}

INSTANTIATE_TEST_SUITE_P(Backends, CampaignBestTimeTest, all_backends(), backend_test_name);

}  // namespace
}  // namespace herald::test

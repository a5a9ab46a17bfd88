// The campaigns API: lifecycle, bad inputs (422 naming the field, unknown
// fields refused), conflicts (409) and permissions (member, viewer).
#include <gtest/gtest.h>

#include "integration/campaigns/fixture.hpp"
#include "support/test_databases.hpp"

namespace herald::test {
namespace {

using nlohmann::json;

class CampaignApiTest : public CampaignTest {
 protected:
  json draft(std::int64_t tid) { return create_campaign({{"template_id", tid}, {"audience", {{"all", true}}}}); }
  std::string path(std::int64_t id, const std::string& rest = "") {
    return "/api/campaigns/" + std::to_string(id) + rest;
  }
};

TEST_P(CampaignApiTest, CreateReadListUpdateDelete) {
  auto& s = server();
  const auto tid = create_template();
  auto c = draft(tid);
  const auto id = c["id"].get<std::int64_t>();
  EXPECT_EQ(c["status"], "draft");
  EXPECT_EQ(c["template_id"], tid);
  EXPECT_EQ(c["audience"], json({{"all", true}}));
  EXPECT_EQ(c["stats"]["recipients"], 0);
  EXPECT_EQ(s.admin().get(path(id)).json()["name"], "Campaign");

  auto list = s.admin().get("/api/campaigns?status=draft").json();
  EXPECT_EQ(list["total"], 1);
  EXPECT_EQ(list["page"], 1);
  EXPECT_EQ(list["items"][0]["id"], id);
  EXPECT_EQ(s.admin().get("/api/campaigns?status=sending").json()["total"], 0);

  auto patched = s.admin().patch(path(id), {{"name", "Winter sale"},
                                            {"throttle_per_minute", 600},
                                            {"track_opens", false},
                                            {"scheduled_at", "2030-01-01T09:00:00Z"}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.json()["name"], "Winter sale");
  EXPECT_EQ(patched.json()["schedule_mode"], "at");
  EXPECT_EQ(patched.json()["track_opens"], false);

  auto sent = s.admin().post(path(id, "/send"), json::object());
  ASSERT_EQ(sent.status, 202) << sent.body;
  EXPECT_EQ(sent.json()["status"], "scheduled");
  EXPECT_EQ(s.admin().del(path(id)).status, 409);  // scheduled: cancel first
  EXPECT_EQ(s.admin().post(path(id, "/cancel"), json::object()).json()["status"], "cancelled");
  EXPECT_EQ(s.admin().del(path(id)).status, 204);
  EXPECT_EQ(s.admin().get(path(id)).status, 404);

  auto audit = s.admin().get("/api/admin/audit-logs?limit=50&resource=campaign/" + std::to_string(id)).json();
  std::set<std::string> actions;
  for (const auto& e : audit["items"]) actions.insert(e["action"]);
  for (const char* a :
       {"CAMPAIGN_CREATED", "CAMPAIGN_UPDATED", "CAMPAIGN_SENT", "CAMPAIGN_CANCELLED", "CAMPAIGN_DELETED"})
    EXPECT_TRUE(actions.contains(a)) << a << " in " << audit.dump();
}

TEST_P(CampaignApiTest, BadInputsAre422NamingTheField) {
  auto& s = server();
  const auto tid = create_template();
  auto r = s.admin().post("/api/campaigns", json::object());
  expect_problem(r, 422);
  EXPECT_EQ(error_fields(r), (std::set<std::string>{"name", "template_id", "audience"}));

  r = s.admin().post("/api/campaigns",
                     {{"name", "x"}, {"template_id", tid}, {"audience", {{"all", true}}}, {"bogus", 1}});
  expect_problem(r, 422);
  EXPECT_EQ(error_fields(r), std::set<std::string>{"bogus"});

  r = s.admin().post("/api/campaigns", {{"name", "x"}, {"template_id", 999999}, {"audience", {{"all", true}}}});
  expect_problem(r, 422);
  EXPECT_EQ(error_fields(r), std::set<std::string>{"template_id"});

  r = s.admin().post("/api/campaigns", {{"name", "x"}, {"template_id", tid}, {"audience", {{"segment_id", 424242}}}});
  expect_problem(r, 422);
  EXPECT_EQ(error_fields(r), std::set<std::string>{"audience.segment_id"});

  r = s.admin().post("/api/campaigns",
                     {{"name", "x"}, {"template_id", tid}, {"audience", {{"all", true}}}, {"timezone", "Mars/Base"}});
  expect_problem(r, 422);
  EXPECT_EQ(error_fields(r), std::set<std::string>{"timezone"});

  r = s.admin().post("/api/campaigns",
                     {{"name", "x"}, {"template_id", tid}, {"audience", {{"all", true}, {"tags", {"a"}}}}});
  expect_problem(r, 422);
  EXPECT_EQ(error_fields(r), std::set<std::string>{"audience"});

  auto c = draft(tid);
  const auto id = c["id"].get<std::int64_t>();
  r = s.admin().patch(path(id), {{"from_email", "nope"}});
  expect_problem(r, 422);
  EXPECT_EQ(error_fields(r), std::set<std::string>{"from_email"});
  r = s.admin().patch(path(id), {{"status", "completed"}});
  expect_problem(r, 422);
  EXPECT_EQ(error_fields(r), std::set<std::string>{"status"});
  r = s.admin().patch(path(id), json::object());
  expect_problem(r, 422);

  r = s.admin().post(path(id, "/test"), {{"emails", json::array()}});
  expect_problem(r, 422);
  EXPECT_EQ(error_fields(r), std::set<std::string>{"emails"});
  r = s.admin().post(path(id, "/test"), {{"emails", {"a@example.org", "not-an-address"}}});
  expect_problem(r, 422);
  EXPECT_EQ(error_fields(r), std::set<std::string>{"emails[1]"});
  r = s.admin().post(path(id, "/send"), {{"now", true}});
  expect_problem(r, 422);
  EXPECT_EQ(error_fields(r), std::set<std::string>{"now"});

  expect_problem(s.admin().get("/api/campaigns?status=archived"), 422);
  expect_problem(s.admin().get(path(id, "/recipients?state=lost")), 422);
  expect_problem(s.admin().get("/api/campaigns?page_size=500"), 422);
  expect_problem(s.admin().get("/api/campaigns/999999"), 404);
  expect_problem(s.admin().get("/api/campaigns/abc"), 404);
  expect_problem(s.admin().post("/api/campaigns/999999/send", json::object()), 404);
  // Nothing was written by the refused requests.
  EXPECT_EQ(s.admin().get("/api/campaigns").json()["total"], 1);
}

TEST_P(CampaignApiTest, ActionsOutOfTurnAre409) {
  auto& s = mail_server();
  const auto tid = create_template();
  create_leads(2);
  auto c = draft(tid);
  const auto id = c["id"].get<std::int64_t>();
  expect_problem(s.admin().post(path(id, "/pause"), json::object()), 409);
  expect_problem(s.admin().post(path(id, "/resume"), json::object()), 409);
  expect_problem(s.admin().post(path(id, "/cancel"), json::object()), 409);
  ASSERT_EQ(s.admin().post(path(id, "/send"), json::object()).status, 202);
  expect_problem(s.admin().post(path(id, "/send"), json::object()), 409);
  wait_status(id, "completed");
  expect_problem(s.admin().patch(path(id), {{"name", "late"}}), 409);
  expect_problem(s.admin().post(path(id, "/send"), json::object()), 409);
  EXPECT_EQ(s.admin().del(path(id)).status, 204);
}

TEST_P(CampaignApiTest, PermissionsFollowTheRoles) {
  auto& s = server();
  const auto tid = create_template();
  auto c = draft(tid);
  const auto id = c["id"].get<std::int64_t>();
  auto viewer = s.as("viewer");
  auto member = s.as("member");
  const json body = {{"name", "x"}, {"template_id", tid}, {"audience", {{"all", true}}}};
  // A viewer reads but cannot create, change, send or delete.
  EXPECT_EQ(viewer.get("/api/campaigns").status, 200);
  EXPECT_EQ(viewer.get(path(id)).status, 200);
  EXPECT_EQ(viewer.get(path(id, "/recipients")).status, 200);
  expect_problem(viewer.post("/api/campaigns", body), 403);
  expect_problem(viewer.patch(path(id), {{"name", "y"}}), 403);
  expect_problem(viewer.del(path(id)), 403);
  // A member creates and edits, but cannot send (nor create with send_now, nor test).
  auto mine = member.post("/api/campaigns", body);
  ASSERT_EQ(mine.status, 201) << mine.body;
  EXPECT_EQ(member.patch(path(mine.json()["id"]), {{"name", "mine"}}).status, 200);
  expect_problem(member.post(path(id, "/send"), json::object()), 403);
  expect_problem(member.post(path(id, "/test"), {{"emails", {"a@example.org"}}}), 403);
  auto now = body;
  now["send_now"] = true;
  expect_problem(member.post("/api/campaigns", now), 403);
  EXPECT_EQ(s.admin().get("/api/campaigns").json()["total"], 2);  // the refused send_now created nothing
  for (const char* action : {"/pause", "/resume", "/cancel"})
    expect_problem(member.post(path(id, action), json::object()), 403);
  // Without a token: 401.
  ApiClient anonymous(s.port());
  expect_problem(anonymous.get("/api/campaigns"), 401);
}

INSTANTIATE_TEST_SUITE_P(Backends, CampaignApiTest, all_backends(), backend_test_name);

}  // namespace
}  // namespace herald::test

// POST /api/templates/{id}/test: the rendered template as a "[Test]" message
// to given addresses, through the real SMTP sink (support/smtp_server.py,
// DKIM checked by python3-dkim) and through the outbox; bad inputs,
// permissions and audit.
#include <gtest/gtest.h>

#include "integration/campaigns/fixture.hpp"
#include "support/test_databases.hpp"

namespace herald::test {
namespace {

using nlohmann::json;

class TemplateTestSend : public CampaignTest {
 protected:
  std::int64_t welcome() {
    auto r = server().admin().post("/api/templates", {{"name", "Welcome"},
                                                      {"subject", "Hi {{first_name|there}}"},
                                                      {"html",
                                                       "<p>Hello {{first_name|there}} from {{company}}</p>"
                                                       "<p><a href=\"{{unsubscribe_url}}\">Leave</a></p>"}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json().value("id", std::int64_t{0});
  }
  void set_sender() {
    auto r = server().admin().patch("/api/settings",
                                    {{"sender", {{"from_name", "Herald News"}, {"from_email", "news@herald.test"}}}});
    ASSERT_EQ(r.status, 200) << r.body;
  }
  static std::string path(std::int64_t id) { return "/api/templates/" + std::to_string(id) + "/test"; }
  static std::string html_of(const json& doc) {
    for (const auto& p : doc["parts"])
      if (p["content_type"] == "text/html") return p["content"];
    return {};
  }
};

TEST_P(TemplateTestSend, SendsTheRenderedSignedTestThroughSmtpNeverToTheLead) {
  mail_server();
  set_sender();
  const auto key = dkim_key("herald.test");
  const auto tid = welcome();
  auto lead = server().admin().post("/api/leads",
                                    {{"email", "grace@example.org"}, {"first_name", "Grace"}, {"company", "Navy"}});
  ASSERT_EQ(lead.status, 201) << lead.body;
  const auto lead_id = lead.json()["id"].get<std::int64_t>();

  auto r = server().admin().post(path(tid), {{"emails", {"Me@Team.Example", "me@team.example"}}, {"lead_id", lead_id}});
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(r.json()["results"].size(), 1u) << r.body;  // normalised, so the duplicate went
  EXPECT_EQ(r.json()["results"][0]["email"], "me@team.example");
  EXPECT_EQ(r.json()["results"][0]["delivered"], true) << r.body;

  ASSERT_TRUE(smtp().wait_for_messages(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // nothing more may come
  auto messages = smtp().messages();
  ASSERT_EQ(messages.size(), 1u);
  const auto& m = messages[0];
  EXPECT_EQ(m.rcpt_tos, std::vector<std::string>{"me@team.example"});  // not grace@example.org
  EXPECT_EQ(m.mail_from, "news@herald.test");
  auto doc = inspect_mime(m.data);
  EXPECT_TRUE(doc["defects"].empty()) << doc.dump();
  std::map<std::string, std::string> h;
  for (const auto& kv : doc["headers"]) h[kv[0].get<std::string>()] = kv[1].get<std::string>();
  EXPECT_EQ(h["Subject"], "[Test] Hi Grace");
  EXPECT_EQ(h["X-Herald-Test"], "template/" + std::to_string(tid));
  EXPECT_NE(h["To"].find("me@team.example"), std::string::npos) << h["To"];
  EXPECT_EQ(m.data.find("grace@example.org"), std::string::npos) << "the lead's address is nowhere in it";
  for (const char* name : {"Message-ID", "Date", "From", "List-Unsubscribe", "List-Unsubscribe-Post", "DKIM-Signature"})
    EXPECT_TRUE(h.contains(name)) << name << " missing in " << doc.dump();
  const auto html = html_of(doc);
  EXPECT_NE(html.find("Hello Grace from Navy"), std::string::npos) << html;
  EXPECT_NE(html.find("https://mail.herald.test/u/preview"), std::string::npos) << "no real unsubscribe token";
  EXPECT_EQ(html.find("/t/o/"), std::string::npos) << "no tracking";
  std::string why;
  EXPECT_TRUE(dkimpy_verify(m.data, key["dns_name"], key["dns_txt"], &why)) << why;

  // Without lead_id: the preview's sample lead.
  r = server().admin().post(path(tid), {{"emails", {"me@team.example"}}});
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_TRUE(smtp().wait_for_messages(2));
  EXPECT_NE(smtp().messages()[1].data.find("Subject: [Test] Hi Ada"), std::string::npos) << smtp().messages()[1].data;

  auto audit = server().admin().get("/api/admin/audit-logs?limit=50").json()["items"];
  const json* tested = nullptr;
  for (const auto& e : audit)
    if (e["action"] == "TEMPLATE_TESTED" && !tested) tested = &e;
  ASSERT_NE(tested, nullptr);
  EXPECT_EQ((*tested)["resource"], "template/" + std::to_string(tid));
  EXPECT_EQ((*tested)["success"], true);
  EXPECT_EQ((*tested)["details"]["delivered"], 1);
}

TEST_P(TemplateTestSend, WithoutSmtpTheTestLandsInTheOutbox) {
  auto& admin = server().admin();  // no SMTP URL: the outbox
  set_sender();
  const auto tid = welcome();
  auto r = admin.post(path(tid), {{"emails", {"qa@example.net", "boss@example.net"}}});
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(r.json()["results"].size(), 2u);
  EXPECT_EQ(r.json()["results"][0]["delivered"], true) << r.body;
  EXPECT_EQ(r.json()["results"][1]["delivered"], true) << r.body;
  auto list = admin.get("/api/admin/outbox").json();
  ASSERT_EQ(list["total"], 2) << list.dump();
  std::set<std::string> to;
  for (const auto& item : list["items"]) {
    to.insert(item["to"].get<std::string>());
    EXPECT_EQ(item["subject"], "[Test] Hi Ada");
    EXPECT_EQ(item["from"], "news@herald.test");
  }
  EXPECT_EQ(to, (std::set<std::string>{"qa@example.net", "boss@example.net"}));
  auto one = admin.get("/api/admin/outbox/" + std::to_string(list["items"][0]["id"].get<std::int64_t>())).json();
  EXPECT_NE(html_of(inspect_mime(one["raw"].get<std::string>())).find("Hello Ada from Analytical Engines Ltd"),
            std::string::npos)
      << one["raw"];
}

TEST_P(TemplateTestSend, BadInputsNameTheFieldAndSendNothing) {
  auto& admin = server().admin();
  const auto tid = welcome();
  // No sender configured yet: a conflict that says what to set.
  auto no_sender = admin.post(path(tid), {{"emails", {"qa@example.net"}}});
  expect_problem(no_sender, 409);
  EXPECT_NE(no_sender.json()["detail"].get<std::string>().find("from_email"), std::string::npos);
  set_sender();

  auto fields = [&](const json& body) { return error_fields(admin.post(path(tid), body)); };
  EXPECT_EQ(fields(json::object()), std::set<std::string>{"emails"});
  EXPECT_EQ(fields({{"emails", json::array()}}), std::set<std::string>{"emails"});
  EXPECT_EQ(fields({{"emails", "qa@example.net"}}), std::set<std::string>{"emails"});
  json eleven = json::array();
  for (int i = 0; i < 11; ++i) eleven.push_back("qa" + std::to_string(i) + "@example.net");
  EXPECT_EQ(fields({{"emails", eleven}}), std::set<std::string>{"emails"});
  EXPECT_EQ(fields({{"emails", {"qa@example.net", "not-an-address", 5}}}),
            (std::set<std::string>{"emails[1]", "emails[2]"}));
  EXPECT_EQ(fields({{"emails", {"qa@example.net"}}, {"lead_id", "x"}}), std::set<std::string>{"lead_id"});
  EXPECT_EQ(fields({{"emails", {"qa@example.net"}}, {"lead_id", 0}}), std::set<std::string>{"lead_id"});
  EXPECT_EQ(fields({{"emails", {"qa@example.net"}}, {"lead_id", 999999}}), std::set<std::string>{"lead_id"});
  EXPECT_EQ(fields({{"emails", {"qa@example.net"}}, {"to", "x"}}), std::set<std::string>{"to"});
  expect_problem(admin.post("/api/templates/999999/test", {{"emails", {"qa@example.net"}}}), 404);
  expect_problem(HttpClient(server().port())
                     .request("POST", path(tid), "{nope",
                              {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + admin.token()}}),
                 400);
  EXPECT_EQ(admin.get("/api/admin/outbox").json()["total"], 0);  // nothing was sent
}

TEST_P(TemplateTestSend, NeedsTemplateWrite) {
  auto& s = server();
  set_sender();
  const auto tid = welcome();
  expect_problem(s.as("viewer").post(path(tid), {{"emails", {"qa@example.net"}}}), 403);
  expect_problem(ApiClient(s.port()).post(path(tid), {{"emails", {"qa@example.net"}}}), 401);
  EXPECT_EQ(s.admin().get("/api/admin/outbox").json()["total"], 0);
  // A member writes templates, so may test them (but not send campaigns).
  auto r = s.as("member").post(path(tid), {{"emails", {"qa@example.net"}}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(s.admin().get("/api/admin/outbox").json()["total"], 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, TemplateTestSend, all_backends(), backend_test_name);

}  // namespace
}  // namespace herald::test

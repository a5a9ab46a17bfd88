// A campaign end to end against a real SMTP server: exactly one message per
// lead, parsed by Python's email package, DKIM verified by python3-dkim,
// 4xx / 5xx / dropped connections, suppressed leads, per-domain limits.
#include <gtest/gtest.h>

#include "integration/campaigns/fixture.hpp"
#include "support/test_databases.hpp"

namespace herald::test {
namespace {

using nlohmann::json;

class CampaignSendTest : public CampaignTest {};

TEST_P(CampaignSendTest, DeliversExactlyOneSignedMessagePerLeadWithTheHeaders) {
  constexpr int kLeads = 25;
  mail_server();
  const auto key = dkim_key("herald.test");
  const auto tid = create_template();
  create_leads(kLeads);
  auto sent = create_campaign({{"template_id", tid}, {"audience", {{"all", true}}}, {"send_now", true}});
  ASSERT_EQ(sent["status"], "sending") << sent.dump();
  EXPECT_EQ(sent["emails_queued"], kLeads);
  const auto id = sent["id"].get<std::int64_t>();
  auto done = wait_status(id, "completed");
  EXPECT_EQ(done["stats"]["sent"], kLeads);
  EXPECT_EQ(done["stats"]["recipients"], kLeads);
  EXPECT_EQ(done["stats"]["failed"], 0);
  EXPECT_NE(done["template_version"], nullptr);

  ASSERT_TRUE(smtp().wait_for_messages(kLeads));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // nothing more may come
  const auto messages = smtp().messages();
  ASSERT_EQ(messages.size(), static_cast<std::size_t>(kLeads));
  const auto ids = message_ids(messages);
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kLeads));
  std::set<std::string> rcpts;
  for (const auto& m : messages) {
    ASSERT_EQ(m.rcpt_tos.size(), 1u);
    rcpts.insert(m.rcpt_tos[0]);
    EXPECT_EQ(m.mail_from, "news@herald.test");
    auto doc = inspect_mime(m.data);
    EXPECT_EQ(doc["content_type"], "multipart/alternative") << doc.dump();
    EXPECT_TRUE(doc["defects"].empty()) << doc.dump();
    std::map<std::string, std::string> h;
    for (const auto& kv : doc["headers"]) h[kv[0].get<std::string>()] = kv[1].get<std::string>();
    for (const char* name : {"Message-ID", "Date", "From", "To", "Subject", "List-Unsubscribe", "List-Unsubscribe-Post",
                             "Feedback-ID", "DKIM-Signature", "MIME-Version"})
      EXPECT_TRUE(h.contains(name)) << name << " missing in " << doc.dump();
    EXPECT_EQ(h["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click");
    EXPECT_NE(h["List-Unsubscribe"].find("<https://mail.herald.test/u/"), std::string::npos) << h["List-Unsubscribe"];
    EXPECT_NE(h["List-Unsubscribe"].find("<mailto:"), std::string::npos) << h["List-Unsubscribe"];
    EXPECT_EQ(h["Subject"], "Hello Ann");
    ASSERT_EQ(doc["parts"].size(), 2u);
    EXPECT_EQ(doc["parts"][0]["content_type"], "text/plain");
    EXPECT_EQ(doc["parts"][1]["content_type"], "text/html");
    const auto html = doc["parts"][1]["content"].get<std::string>();
    EXPECT_NE(html.find("https://mail.herald.test/t/c/"), std::string::npos) << "clicks are tracked";
    EXPECT_NE(html.find("https://mail.herald.test/t/o/"), std::string::npos) << "opens are tracked";
    EXPECT_EQ(html.find("https://example.org/offer"), std::string::npos) << "the link goes through Herald";
    std::string why;
    EXPECT_TRUE(dkimpy_verify(m.data, key["dns_name"], key["dns_txt"], &why)) << why;
    EXPECT_NE(header_of(m.data, "Message-ID").find("c" + std::to_string(id) + ".l"), std::string::npos);
  }
  EXPECT_EQ(rcpts.size(), static_cast<std::size_t>(kLeads));
  for (const auto& r : recipients(id)) {
    EXPECT_EQ(r["state"], "sent");
    EXPECT_EQ(r["attempts"], 1);
    EXPECT_EQ(r["reply_code"], 250);
    EXPECT_NE(r["last_reply"].get<std::string>().find("queued as"), std::string::npos) << r.dump();
    EXPECT_NE(r["sent_at"], nullptr);
  }
}

TEST_P(CampaignSendTest, TemporaryPermanentAndDroppedFailuresBehaveAsSpecified) {
  mail_server();
  const auto tid = create_template();
  for (const char* e : {"ok1@example.org", "temponce1@example.org", "droponce1@example.org", "perm1@example.org",
                        "temp1@example.org", "permdata1@example.org"})
    create_lead(e);
  auto sent = create_campaign({{"template_id", tid}, {"audience", {{"all", true}}}, {"send_now", true}});
  const auto id = sent["id"].get<std::int64_t>();
  auto done = wait_status(id, "completed", std::chrono::seconds(180));
  auto ok = recipient(id, "ok1@example.org");
  EXPECT_EQ(ok["state"], "sent");
  // 4xx once, then accepted on the retry.
  auto temponce = recipient(id, "temponce1@example.org");
  EXPECT_EQ(temponce["state"], "sent") << temponce.dump();
  EXPECT_EQ(temponce["attempts"], 2);
  // The connection dropped in the middle of DATA: sent again, once.
  auto droponce = recipient(id, "droponce1@example.org");
  EXPECT_EQ(droponce["state"], "sent") << droponce.dump();
  EXPECT_EQ(droponce["attempts"], 2);
  // 5xx to RCPT: failed at once, the reply kept, the lead bounced and suppressed.
  auto perm = recipient(id, "perm1@example.org");
  EXPECT_EQ(perm["state"], "failed");
  EXPECT_EQ(perm["attempts"], 1);
  EXPECT_EQ(perm["reply_code"], 550);
  EXPECT_NE(perm["last_reply"].get<std::string>().find("User unknown"), std::string::npos) << perm.dump();
  auto lead = server().admin().get("/api/leads/" + std::to_string(perm["lead_id"].get<std::int64_t>())).json();
  EXPECT_EQ(lead["status"], "bounced");
  // 5xx after the message: failed, not a bounce of the address.
  auto permdata = recipient(id, "permdata1@example.org");
  EXPECT_EQ(permdata["state"], "failed");
  EXPECT_EQ(permdata["reply_code"], 554);
  // 4xx every time: retried with back-off until the attempts run out.
  auto temp = recipient(id, "temp1@example.org");
  EXPECT_EQ(temp["state"], "failed");
  EXPECT_EQ(temp["attempts"], 3);
  EXPECT_NE(temp["last_reply"].get<std::string>().find("gave up after 3 attempts"), std::string::npos) << temp.dump();
  EXPECT_NE(temp["last_reply"].get<std::string>().find("451"), std::string::npos) << temp.dump();

  EXPECT_EQ(done["stats"]["sent"], 3);
  EXPECT_EQ(done["stats"]["failed"], 3);
  EXPECT_EQ(done["stats"]["bounced"], 1);
  // The event log analytics reads: one `delivered` per accepted message (with
  // its `sent` state), `bounce` for the 5xx to RCPT, `rejected` for the 5xx
  // after the message; nothing for a deferral or for attempts that ran out.
  const auto events = [&](const std::string& type, const json& r) {
    return scalar("SELECT count(*) FROM campaign_events WHERE campaign_id = " + std::to_string(id) +
                  " AND lead_id = " + std::to_string(r["lead_id"].get<std::int64_t>()) + " AND type = '" + type + "'");
  };
  for (const auto& r : {ok, temponce, droponce}) EXPECT_EQ(events("delivered", r), 1) << r.dump();
  EXPECT_EQ(events("bounce", perm), 1);
  EXPECT_EQ(events("rejected", permdata), 1);
  for (const char* type : {"delivered", "bounce", "rejected"})
    EXPECT_EQ(scalar("SELECT count(*) FROM campaign_events WHERE campaign_id = " + std::to_string(id) +
                     " AND type = '" + std::string(type) + "'"),
              std::string(type) == "delivered" ? 3 : 1)
        << type;
  const auto counts = message_ids(smtp().messages());
  for (const auto& [mid, n] : counts) EXPECT_EQ(n, 1) << mid;
  EXPECT_EQ(counts.size(), 3u);
}

TEST_P(CampaignSendTest, SuppressedUnsubscribedAndBouncedLeadsGetNothing) {
  mail_server();
  const auto tid = create_template();
  create_leads(3, "keep");
  auto unsub = create_lead("gone1@example.org");
  ASSERT_EQ(server().admin().patch("/api/leads/" + std::to_string(unsub), {{"status", "unsubscribed"}}).status, 200);
  auto bounced = create_lead("gone2@example.org");
  ASSERT_EQ(server().admin().patch("/api/leads/" + std::to_string(bounced), {{"status", "bounced"}}).status, 200);
  create_lead("blocked@example.org");
  ASSERT_EQ(server().admin().post("/api/leads/suppressions", {{"email", "blocked@example.org"}}).status, 201);
  create_lead("someone@blocked.example");
  ASSERT_EQ(server().admin().post("/api/leads/suppressions", {{"domain", "blocked.example"}}).status, 201);

  auto sent = create_campaign({{"template_id", tid}, {"audience", {{"all", true}}}, {"send_now", true}});
  EXPECT_EQ(sent["emails_queued"], 3);
  auto done = wait_status(sent["id"].get<std::int64_t>(), "completed");
  EXPECT_EQ(done["stats"]["sent"], 3);
  ASSERT_TRUE(smtp().wait_for_messages(3));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  for (const auto& m : smtp().messages()) EXPECT_EQ(m.rcpt_tos[0].rfind("keep", 0), 0u) << m.rcpt_tos[0];
  EXPECT_EQ(smtp().messages().size(), 3u);
}

TEST_P(CampaignSendTest, PerDomainLimitsHoldWhileOtherDomainsGoAtFullSpeed) {
  mail_server();
  set_domain_limit("slow.example", 60);  // one a second, burst 1
  const auto tid = create_template();
  create_leads(5, "s", "slow.example");
  create_leads(5, "f", "fast.example");
  auto sent = create_campaign({{"template_id", tid}, {"audience", {{"all", true}}}, {"send_now", true}});
  wait_status(sent["id"].get<std::int64_t>(), "completed");
  std::vector<double> slow, fast;
  for (const auto& m : smtp().messages()) {
    (m.rcpt_tos[0].find("@slow.example") != std::string::npos ? slow : fast).push_back(m.received_at);
  }
  ASSERT_EQ(slow.size(), 5u);
  ASSERT_EQ(fast.size(), 5u);
  std::sort(slow.begin(), slow.end());
  // k messages in any window of t seconds: k ≤ rate·t + burst (1/s, burst 1),
  // so the k-th after the first needs at least k-1 seconds (less a little for clocks).
  for (std::size_t k = 1; k < slow.size(); ++k)
    EXPECT_GE(slow[k] - slow[0], static_cast<double>(k) - 1.0 - 0.05) << "message " << k;
  EXPECT_GE(slow.back() - slow.front(), 3.0);
}

TEST_P(CampaignSendTest, TestSendGoesOnlyToTheGivenAddresses) {
  auto& s = mail_server();
  const auto tid = create_template();
  create_leads(3);
  auto c = create_campaign({{"template_id", tid}, {"audience", {{"all", true}}}});
  const auto id = c["id"].get<std::int64_t>();
  auto r = s.admin().post("/api/campaigns/" + std::to_string(id) + "/test", {{"emails", {"me@team.example"}}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["results"][0]["delivered"], true) << r.body;
  ASSERT_TRUE(smtp().wait_for_messages(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto messages = smtp().messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].rcpt_tos, std::vector<std::string>{"me@team.example"});
  EXPECT_EQ(get_campaign(id)["status"], "draft");
  EXPECT_EQ(get_campaign(id)["stats"]["sent"], 0);
  // No tracking in a test message: no pixel, no rewritten link.
  EXPECT_EQ(messages[0].data.find("/t/o/"), std::string::npos);
  EXPECT_EQ(messages[0].data.find("/t/c/"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, CampaignSendTest, all_backends(), backend_test_name);

}  // namespace
}  // namespace herald::test

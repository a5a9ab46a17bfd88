// Inbound mail end to end on both backends: a campaign goes to a real SMTP
// server, then a real IMAP server (a throwaway Dovecot) receives a hard and
// a soft bounce, a spam report, an out-of-office, a reply and mail about
// nothing Herald sent — built from the sent messages' real Message-IDs. The
// inbound.poll job reads the mailbox and the test checks the events, lead
// statuses, suppressions, campaign stats, analytics and the mailbox's flags;
// a second poll (with copies of what was handled) changes nothing. Plus the
// settings' bad inputs, sealing and permission check.
#include <gtest/gtest.h>

#include "inbound/imap.hpp"
#include "integration/campaigns/fixture.hpp"
#include "support/imap_server.hpp"
#include "support/inbound_samples.hpp"
#include "support/test_databases.hpp"

namespace herald::test {
namespace {

using nlohmann::json;

class InboundTest : public CampaignTest {
 protected:
  std::string lead_status(std::int64_t id) {
    return server().admin().get("/api/leads/" + std::to_string(id)).json()["status"];
  }
  std::int64_t events(const std::string& type) {
    return scalar("SELECT count(*) FROM campaign_events WHERE type = '" + type + "'");
  }
  std::int64_t outcomes(const std::string& outcome) {
    return scalar("SELECT count(*) FROM inbound_messages WHERE outcome = '" + outcome + "'");
  }
  std::set<std::string> suppressed() {
    std::set<std::string> out;
    const auto page = server().admin().get("/api/leads/suppressions?page_size=200").json();
    for (const auto& s : page["items"])
      out.insert(s["value"].get<std::string>() + ":" + s["reason"].get<std::string>());
    return out;
  }
};

TEST_P(InboundTest, BouncesComplaintsAndRepliesFromTheMailboxDriveEventsStatusesAndAnalytics) {
  TestImapServer imap;
  mail_server();
  const auto tid = create_template();
  const auto leads = create_leads(6, "lead", "example.org");
  auto sent = create_campaign({{"template_id", tid}, {"audience", {{"all", true}}}, {"send_now", true}});
  const auto cid = sent["id"].get<std::int64_t>();
  wait_status(cid, "completed");
  ASSERT_TRUE(smtp().wait_for_messages(6));
  std::map<std::string, std::string> id_of;  // recipient → Message-ID as sent
  for (const auto& m : smtp().messages()) id_of[m.rcpt_tos.at(0)] = header_of(m.data, "Message-ID");
  ASSERT_EQ(id_of.size(), 6u);
  const std::string before = lead_status(leads[1]);

  const auto hard = postfix_dsn(id_of["lead1@example.org"], "lead1@example.org");
  const auto reply = human_reply(id_of["lead5@example.org"], "lead5@example.org", "<reply-5@mail.example.org>");
  imap.deliver(hard);
  imap.deliver(postfix_delayed_dsn(id_of["lead2@example.org"], "lead2@example.org"));
  imap.deliver(arf_report(id_of["lead3@example.org"], "lead3@example.org"));
  imap.deliver(out_of_office(id_of["lead4@example.org"], "lead4@example.org"));
  imap.deliver(reply);
  imap.deliver(human_reply("<c" + std::to_string(cid) + ".l999999.herald@herald.test>", "stranger@example.org"));
  imap.deliver(gmail_dsn("<not-ours@example.net>", "someone@example.net"));
  imap.deliver("this is not a mail message\n\x01\x02");

  auto& admin = server().admin();
  auto r = admin.patch("/api/settings", {{"inbound",
                                          {{"enabled", true},
                                           {"imap_url", imap.url()},
                                           {"user", imap.user()},
                                           {"password", imap.password()},
                                           {"poll_interval_s", 10}}}});
  ASSERT_EQ(r.status, 200) << r.body;

  // A new session for each look: one left open keeps the view of its SELECT.
  struct Mailbox {
    const TestImapServer& imap;
    std::vector<std::uint32_t> search(const std::string& criteria) const {
      return inbound::ImapSession({imap.url(), imap.user(), imap.password()}).search(criteria);
    }
    std::vector<std::uint32_t> waiting() const {
      return inbound::ImapSession({imap.url(), imap.user(), imap.password()}).waiting();
    }
  } mailbox{imap};
  ASSERT_TRUE(
      eventually([&] { return outcomes("reply") == 1 && mailbox.waiting().empty(); }, std::chrono::seconds(120)))
      << "outcomes: reply " << outcomes("reply") << ", waiting " << mailbox.waiting().size();

  // Lead statuses and suppressions, through leads' interface.
  EXPECT_EQ(lead_status(leads[0]), "bounced");
  EXPECT_EQ(lead_status(leads[1]), before) << "a soft bounce changes no status";
  EXPECT_EQ(lead_status(leads[2]), "unsubscribed") << "a complaint unsubscribes";
  EXPECT_EQ(lead_status(leads[3]), before) << "an out-of-office is not a reply";
  EXPECT_EQ(lead_status(leads[4]), "replied");
  EXPECT_EQ(lead_status(leads[5]), before);
  const auto s = suppressed();
  EXPECT_TRUE(s.contains("lead1@example.org:bounce")) << json(s).dump();
  EXPECT_TRUE(s.contains("lead3@example.org:complaint")) << json(s).dump();
  EXPECT_EQ(s.size(), 2u) << json(s).dump();

  // The campaign's events and stats.
  EXPECT_EQ(events("bounce_hard"), 1);
  EXPECT_EQ(events("bounce_soft"), 1);
  EXPECT_EQ(events("complaint"), 1);
  EXPECT_EQ(events("reply"), 1);
  const auto stats = get_campaign(cid)["stats"];
  EXPECT_EQ(stats["replied"], 1) << stats.dump();
  EXPECT_EQ(stats["bounced"], 1) << stats.dump();

  // What each message was, and how the mailbox is left.
  EXPECT_EQ(outcomes("bounce_hard"), 1);
  EXPECT_EQ(outcomes("bounce_soft"), 1);
  EXPECT_EQ(outcomes("complaint"), 1);
  EXPECT_EQ(outcomes("auto_reply"), 1);
  EXPECT_EQ(outcomes("unmatched"), 2) << "a reply to no recipient, a bounce of someone else's mail";
  EXPECT_EQ(outcomes("other") + outcomes("unreadable"), 1);
  EXPECT_EQ(mailbox.search("SEEN").size(), 5u) << "handled: reports, the reply, the auto-reply";
  EXPECT_EQ(mailbox.search("UNSEEN KEYWORD $HeraldSkipped").size(), 3u) << "left for a person to read";
  EXPECT_TRUE(mailbox.search("KEYWORD $HeraldPending").empty());

  // Analytics follows once the roll-up has run.
  auto overview = [&] { return admin.get("/api/analytics/overview").json(); };
  ASSERT_TRUE(eventually([&] { return overview()["replied"] == 1 && overview()["bounced"] == 1; }))
      << overview().dump();
  EXPECT_EQ(overview()["sent"], 6);

  // A second poll, with copies of the reply and the hard bounce: nothing changes.
  imap.deliver(reply);
  imap.deliver(hard);
  ASSERT_TRUE(eventually([&] { return mailbox.waiting().empty(); }, std::chrono::seconds(120)));
  EXPECT_EQ(mailbox.search("SEEN").size(), 7u);
  EXPECT_EQ(events("reply"), 1);
  EXPECT_EQ(events("bounce_hard"), 1);
  EXPECT_EQ(outcomes("reply"), 1);
  EXPECT_EQ(scalar("SELECT count(*) FROM inbound_messages"), 8);
  EXPECT_EQ(get_campaign(cid)["stats"]["replied"], 1);
  EXPECT_EQ(overview()["replied"], 1);
  EXPECT_EQ(suppressed().size(), 2u);
}

TEST_P(InboundTest, SettingsAreValidatedSealedAndForSettingsManagersOnly) {
  auto& admin = server().admin();
  auto s = admin.get("/api/settings").json()["inbound"];
  EXPECT_EQ(
      s, json({{"enabled", false}, {"imap_url", ""}, {"user", ""}, {"password_set", false}, {"poll_interval_s", 60}}));

  auto r = admin.patch("/api/settings", {{"inbound",
                                          {{"imap_url", "imaps://mail.example.com:993/INBOX"},
                                           {"user", "bounces@example.com"},
                                           {"password", "imap-very-secret-9"},
                                           {"enabled", true},
                                           {"poll_interval_s", 30}}}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body.find("imap-very-secret-9"), std::string::npos) << "the password is never returned";
  EXPECT_EQ(r.json()["inbound"], json({{"enabled", true},
                                       {"imap_url", "imaps://mail.example.com:993/INBOX"},
                                       {"user", "bounces@example.com"},
                                       {"password_set", true},
                                       {"poll_interval_s", 30}}));
  std::string stored;
  db().acquire()->execute("SELECT value FROM app_settings WHERE key = 'inbound.settings'", {},
                          [&](const storage::Row& row) { stored = row.str(0); });
  EXPECT_NE(stored.find("password_sealed"), std::string::npos) << stored;
  EXPECT_EQ(stored.find("imap-very-secret-9"), std::string::npos) << "sealed at rest";

  // Bad inputs name their field and change nothing.
  auto bad = admin.patch("/api/settings", {{"inbound",
                                            {{"imap_url", "pop3://mail.example.com"},
                                             {"poll_interval_s", 5},
                                             {"enabled", "yes"},
                                             {"password_set", false},
                                             {"folder", "x"}}}});
  expect_problem(bad, 422);
  EXPECT_EQ(error_fields(bad), (std::set<std::string>{"inbound.imap_url", "inbound.poll_interval_s", "inbound.enabled",
                                                      "inbound.password_set", "inbound.folder"}));
  bad = admin.patch("/api/settings", {{"inbound", {{"imap_url", "imaps://user:pw@mail.example.com/INBOX"}}}});
  EXPECT_EQ(error_fields(bad), (std::set<std::string>{"inbound.imap_url"}));
  bad = admin.patch("/api/settings", {{"inbound", {{"imap_url", nullptr}}}});
  EXPECT_EQ(error_fields(bad), (std::set<std::string>{"inbound.imap_url"})) << "enabled needs a URL";
  bad = admin.patch("/api/settings", {{"inbound", {{"user", std::string(400, 'u')}, {"password", 7}}}});
  EXPECT_EQ(error_fields(bad), (std::set<std::string>{"inbound.user", "inbound.password"}));
  expect_problem(admin.patch("/api/settings", {{"inbound", "on"}}), 422);
  EXPECT_EQ(admin.get("/api/settings").json()["inbound"]["poll_interval_s"], 30);

  for (auto role : {"member", "viewer", "manager"})
    expect_problem(server().as(role).patch("/api/settings", {{"inbound", {{"enabled", false}}}}), 403);
  EXPECT_EQ(admin.get("/api/settings").json()["inbound"]["enabled"], true);

  r = admin.patch("/api/settings", {{"inbound", {{"password", nullptr}, {"enabled", false}}}});
  EXPECT_EQ(r.json()["inbound"]["password_set"], false);
}

INSTANTIATE_TEST_SUITE_P(Backends, InboundTest, all_backends(), backend_test_name);

}  // namespace
}  // namespace herald::test

// POST /api/settings/inbound/test against a real throwaway Dovecot on both
// backends: the counts of a reachable mailbox, the stored password used when
// the body leaves it out, each failing step named (connect, TLS, login,
// folder) with a 502 and never the password, bad input as field errors, and
// the permission check.
#include <gtest/gtest.h>

#include "integration/auth/auth_fixture.hpp"
#include "support/imap_server.hpp"
#include "support/inbound_samples.hpp"

namespace herald::test {
namespace {

using nlohmann::json;

constexpr const char* kPath = "/api/settings/inbound/test";

class InboundProbeTest : public AuthTest {
 protected:
  static std::string type_of(const HttpResponse& r) { return json::parse(r.body).value("type", ""); }
  static std::set<std::string> fields_of(const HttpResponse& r) {
    std::set<std::string> out;
    for (const auto& e : json::parse(r.body).value("errors", json::array())) out.insert(e.value("field", ""));
    return out;
  }
  static void expect_failed_step(const HttpResponse& r, const std::string& step, const std::string& secret) {
    expect_problem(r, 502);
    EXPECT_EQ(type_of(r), "urn:herald:problem:inbound-" + step) << r.body;
    EXPECT_EQ(r.body.find(secret), std::string::npos) << "the password is never in the answer";
  }
};

TEST_P(InboundProbeTest, ReachableMailboxAnswersItsCountsAndTheStoredPasswordIsUsedWhenLeftOut) {
  TestImapServer imap;
  imap.deliver(human_reply("<a@example.org>", "one@example.org"));
  imap.deliver(human_reply("<b@example.org>", "two@example.org"));
  imap.deliver(human_reply("<c@example.org>", "three@example.org"));
  auto& admin = server().admin();

  auto r = admin.post(kPath, {{"imap_url", imap.url()}, {"user", imap.user()}, {"password", imap.password()}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json(), json({{"ok", true}, {"messages", 3}, {"unseen", 3}}));

  // Nothing stored yet: with no password in the body, the server refuses the login.
  expect_failed_step(admin.post(kPath, {{"imap_url", imap.url()}, {"user", imap.user()}}), "login", imap.password());

  // Saved (disabled), then tested with an empty body: every field from the stored settings.
  ASSERT_EQ(admin
                .patch("/api/settings",
                       {{"inbound", {{"imap_url", imap.url()}, {"user", imap.user()}, {"password", imap.password()}}}})
                .status,
            200);
  r = admin.post(kPath, json::object());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["messages"], 3);
  r = admin.post(kPath, {{"imap_url", imap.url()}, {"user", imap.user()}});
  ASSERT_EQ(r.status, 200) << r.body << " (the stored password is kept)";

  // The test reads nothing: every message is still unseen, nothing was applied.
  r = admin.post(kPath, json::object());
  EXPECT_EQ(r.json()["unseen"], 3) << r.body;
  EXPECT_EQ(admin.get("/api/settings").json()["inbound"]["enabled"], false) << "the test changes no setting";
}

TEST_P(InboundProbeTest, EachFailingStepIsNamedWithoutThePassword) {
  TestImapServer imap;
  auto& admin = server().admin();
  const auto url = imap.url();  // imap://127.0.0.1:PORT/INBOX?ca_file=…
  const std::string wrong = "not-the-password-7";

  expect_failed_step(admin.post(kPath, {{"imap_url", url}, {"user", imap.user()}, {"password", wrong}}), "login",
                     wrong);
  expect_failed_step(admin.post(kPath, {{"imap_url", url}, {"user", "nobody"}, {"password", imap.password()}}), "login",
                     imap.password());

  auto folder = url;
  folder.replace(folder.find("/INBOX"), 6, "/NoSuchFolder");
  expect_failed_step(admin.post(kPath, {{"imap_url", folder}, {"user", imap.user()}, {"password", imap.password()}}),
                     "folder", imap.password());

  const auto no_ca = url.substr(0, url.find('?'));  // the server's self-signed certificate is not trusted
  expect_failed_step(admin.post(kPath, {{"imap_url", no_ca}, {"user", imap.user()}, {"password", imap.password()}}),
                     "tls", imap.password());

  const auto closed = "imap://127.0.0.1:" + std::to_string(free_port()) + "/INBOX";
  expect_failed_step(admin.post(kPath, {{"imap_url", closed}, {"user", imap.user()}, {"password", imap.password()}}),
                     "connect", imap.password());
}

TEST_P(InboundProbeTest, BadInputNamesItsFieldAndOnlySettingsManagersMayTest) {
  auto& admin = server().admin();
  auto r = admin.post(kPath, {{"imap_url", "pop3://mail.example.com"}, {"user", "u"}, {"password", "p"}});
  expect_problem(r, 422);
  EXPECT_EQ(fields_of(r), std::set<std::string>{"imap_url"});
  r = admin.post(kPath, {{"imap_url", "imaps://user:pw@mail.example.com/INBOX"}, {"user", "u"}});
  EXPECT_EQ(fields_of(r), std::set<std::string>{"imap_url"});
  r = admin.post(kPath, {{"imap_url", "imaps://mail.example.com/INBOX?verify=no"}, {"user", "u"}});
  expect_problem(r, 422);
  EXPECT_EQ(fields_of(r), std::set<std::string>{"imap_url"}) << "an unknown URL parameter";
  r = admin.post(kPath, {{"imap_url", 5}, {"user", false}, {"password", 7}, {"folder", "x"}});
  expect_problem(r, 422);
  EXPECT_EQ(fields_of(r), (std::set<std::string>{"imap_url", "user", "password", "folder"}));
  r = admin.post(kPath, json::object());
  expect_problem(r, 422);
  EXPECT_EQ(fields_of(r), (std::set<std::string>{"imap_url", "user"})) << "nothing stored, nothing given";
  expect_problem(admin.post(kPath, "imaps://x"), 422);

  const json body = {{"imap_url", "imaps://127.0.0.1:1/INBOX"}, {"user", "u"}, {"password", "p"}};
  for (auto role : {"member", "viewer", "manager"}) expect_problem(server().as(role).post(kPath, body), 403);
  ApiClient anonymous(server().port());
  expect_problem(anonymous.post(kPath, body), 401);
}

INSTANTIATE_TEST_SUITE_P(Backends, InboundProbeTest, all_backends(), backend_test_name);

}  // namespace
}  // namespace herald::test

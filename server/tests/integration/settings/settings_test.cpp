// Settings over HTTP on both backends: the mail settings, DKIM keys (sealed
// at rest, verified by python3-dkim), the SMTP view and test send through a
// real SMTP server, the outbox listing, bad inputs and permissions.
#include <fstream>

#include "app/composition.hpp"
#include "integration/leads/leads_fixture.hpp"
#include "mail/dkim.hpp"
#include "mail/mime.hpp"
#include "settings/module.hpp"
#include "support/mail_tools.hpp"

namespace herald::test {
namespace {

class Settings : public LeadsTest {
 protected:
  settings::Module& settings_module() { return server().server().app().composition().module<settings::Module>(); }
};

std::string signed_message(const mail::DkimSigner& signer, const std::string& from) {
  mail::Message m;
  m.from = {"Sales", from};
  m.to = {"", "ann@example.net"};
  m.subject = "Signed with a stored key";
  m.text = "Hello\r\n";
  m.message_id = mail::random_message_id(mail::domain_of(from));
  m.date = std::chrono::system_clock::now();
  auto data = mail::build_message(m);
  return signer.sign(data, std::chrono::system_clock::now()) + data;
}

TEST_P(Settings, DefaultsThenPatchAndTheInterfaceSeesIt) {
  auto& admin = server().admin();
  auto s = admin.get("/api/settings").json();
  EXPECT_EQ(s["sender"]["from_email"], "");
  EXPECT_EQ(s["tracking"]["track_opens"], true);
  EXPECT_EQ(s["domain_limits"], nlohmann::json::array());
  EXPECT_EQ(s["smtp"]["transport"], "outbox");
  EXPECT_TRUE(s["public_url"].is_string());

  auto r =
      admin.patch("/api/settings", {{"sender", {{"from_name", "Acme Sales"}, {"from_email", "Sales@Acme.Example"}}},
                                    {"tracking", {{"track_clicks", false}}},
                                    {"domain_limits", {{{"domain", "Gmail.com"}, {"per_minute", 60}}}}});
  ASSERT_EQ(r.status, 200) << r.body;
  s = r.json();
  EXPECT_EQ(s["sender"]["from_email"], "sales@acme.example");
  EXPECT_EQ(s["sender"]["reply_to"], "");
  EXPECT_EQ(s["tracking"]["track_opens"], true);
  EXPECT_EQ(s["tracking"]["track_clicks"], false);
  EXPECT_EQ(s["domain_limits"], nlohmann::json({{{"domain", "gmail.com"}, {"per_minute", 60}}}));
  EXPECT_EQ(admin.get("/api/settings").json(), s);
  // Only what the body names changes.
  r = admin.patch("/api/settings", {{"sender", {{"reply_to", "replies@acme.example"}}}});
  EXPECT_EQ(r.json()["sender"]["from_name"], "Acme Sales");
  EXPECT_EQ(r.json()["sender"]["reply_to"], "replies@acme.example");
  EXPECT_EQ(r.json()["domain_limits"].size(), 1u);

  auto& iface = settings_module().settings();
  EXPECT_EQ(iface.default_sender().from_name, "Acme Sales");
  EXPECT_EQ(iface.default_sender().reply_to, "replies@acme.example");
  EXPECT_FALSE(iface.tracking_defaults().track_clicks);
  ASSERT_EQ(iface.domain_limits().size(), 1u);
  EXPECT_EQ(iface.domain_limits()[0].domain, "gmail.com");
  EXPECT_EQ(iface.domain_limits()[0].per_minute, 60);

  auto entries = audit("SETTINGS_UPDATED");
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0]["details"]["changed"], nlohmann::json({"sender"}));
}

TEST_P(Settings, BadInputsNameTheFieldAndChangeNothing) {
  auto& admin = server().admin();
  auto before = admin.get("/api/settings").json();
  auto fields = [&](const nlohmann::json& body) { return error_fields(admin.patch("/api/settings", body)); };
  EXPECT_EQ(fields({{"sender", {{"from_email", "not-an-address"}}}}), std::set<std::string>{"sender.from_email"});
  EXPECT_EQ(fields({{"sender", {{"reply_to", "a@b@c"}}}}), std::set<std::string>{"sender.reply_to"});
  EXPECT_EQ(fields({{"sender", {{"from_name", "two\nlines"}}}}), std::set<std::string>{"sender.from_name"});
  EXPECT_EQ(fields({{"sender", {{"from", "x"}}}}), std::set<std::string>{"sender.from"});
  EXPECT_EQ(fields({{"sender", "x"}}), std::set<std::string>{"sender"});
  EXPECT_EQ(fields({{"tracking", {{"track_opens", "yes"}}}}), std::set<std::string>{"tracking.track_opens"});
  EXPECT_EQ(fields({{"domain_limits", {{{"domain", "gmail.com"}, {"per_minute", 0}}}}}),
            std::set<std::string>{"domain_limits[0].per_minute"});
  EXPECT_EQ(fields({{"domain_limits", {{{"domain", "not a domain"}, {"per_minute", 5}}}}}),
            std::set<std::string>{"domain_limits[0].domain"});
  EXPECT_EQ(
      fields({{"domain_limits", {{{"domain", "a.com"}, {"per_minute", 5}}, {{"domain", "A.com"}, {"per_minute", 6}}}}}),
      std::set<std::string>{"domain_limits[1].domain"});
  EXPECT_EQ(fields({{"domain_limits", {{"domain", "a.com"}}}}), std::set<std::string>{"domain_limits"});
  EXPECT_EQ(fields({{"smtp", {{"host", "mail.example"}}}}), std::set<std::string>{"smtp"});
  EXPECT_EQ(fields({{"public_url", "https://x"}}), std::set<std::string>{"public_url"});
  EXPECT_EQ(fields({{"colour", "blue"}}), std::set<std::string>{"colour"});
  EXPECT_EQ(fields(nlohmann::json::object()), std::set<std::string>{"body"});
  // One bad field refuses the whole body.
  EXPECT_EQ(fields({{"sender", {{"from_name", "Fine"}}}, {"tracking", {{"track_opens", 1}}}}),
            std::set<std::string>{"tracking.track_opens"});
  EXPECT_EQ(admin.get("/api/settings").json(), before);
  auto entries = audit("SETTINGS_UPDATED");
  EXPECT_FALSE(entries.empty());
  for (const auto& e : entries) EXPECT_FALSE(e["success"].get<bool>()) << e;
}

TEST_P(Settings, OnlySettingsManagersSeeOrChangeSettings) {
  for (auto role : {"member", "viewer", "manager"}) {
    auto c = server().as(role);
    expect_problem(c.get("/api/settings"), 403);
    expect_problem(c.patch("/api/settings", {{"tracking", {{"track_opens", false}}}}), 403);
    expect_problem(c.get("/api/settings/dkim"), 403);
    expect_problem(c.post("/api/settings/dkim", {{"domain", "acme.example"}, {"selector", "s1"}}), 403);
    expect_problem(c.del("/api/settings/dkim/acme.example"), 403);
    expect_problem(c.post("/api/settings/smtp/test", {{"to", "a@example.com"}}), 403);
  }
  expect_problem(server().as("member").get("/api/admin/outbox"), 403);
  EXPECT_EQ(server().as("manager").get("/api/admin/outbox").status, 200);  // system:read
  ApiClient anonymous(server().port());
  expect_problem(anonymous.get("/api/settings"), 401);
  EXPECT_EQ(server().admin().get("/api/settings").json()["tracking"]["track_opens"], true);
}

TEST_P(Settings, DkimKeyIsGeneratedSealedAndSignsMailThatVerifies) {
  auto& admin = server().admin();
  auto r = admin.post("/api/settings/dkim", {{"domain", "Acme.Example"}, {"selector", "herald1"}});
  ASSERT_EQ(r.status, 201) << r.body;
  auto key = r.json();
  EXPECT_EQ(key["domain"], "acme.example");
  EXPECT_EQ(key["selector"], "herald1");
  EXPECT_EQ(key["dns_name"], "herald1._domainkey.acme.example");
  EXPECT_EQ(key["source"], "generated");
  const auto txt = key["dns_txt"].get<std::string>();
  EXPECT_TRUE(txt.starts_with("v=DKIM1; k=rsa; p=")) << txt;
  EXPECT_GT(txt.size(), 350u);  // a 2048-bit key's record
  EXPECT_EQ(r.body.find("PRIVATE"), std::string::npos);
  for (auto path : {"/api/settings/dkim", "/api/settings"}) {
    auto body = admin.get(path).body;
    EXPECT_NE(body.find("herald1._domainkey.acme.example"), std::string::npos) << path;
    EXPECT_EQ(body.find("PRIVATE"), std::string::npos) << path;
  }
  ASSERT_EQ(audit("DKIM_KEY_CREATED").size(), 1u);
  EXPECT_EQ(audit("DKIM_KEY_CREATED")[0]["resource"], "dkim_key/acme.example");

  // The row holds the key sealed, not in clear.
  auto conn = db().acquire();
  auto row = conn->query("SELECT private_key_enc FROM dkim_keys WHERE domain = 'acme.example'");
  ASSERT_EQ(row.rows.size(), 1u);
  const auto sealed = std::get<std::string>(row.rows[0][0]);
  EXPECT_TRUE(sealed.starts_with("v1:")) << sealed.substr(0, 20);
  EXPECT_EQ(sealed.find("BEGIN"), std::string::npos);
  // No base64 DER of a key: every PKCS#8 RSA key Herald writes has this run
  // at its start ("MIIEv…IBADANBgkq…"). Three letters ("MII") also turn up by
  // chance in 1,700 characters of sealed base64, about one run in 150.
  EXPECT_EQ(sealed.find("ADANBgkqhkiG9w0BAQEFAASC"), std::string::npos);

  // Mail signed with the stored key verifies against the published record.
  auto signer = settings_module().settings().signer_for("ACME.example");
  ASSERT_TRUE(signer);
  std::string why;
  EXPECT_TRUE(dkimpy_verify(signed_message(*signer, "sales@acme.example"), key["dns_name"], txt, &why)) << why;
  EXPECT_FALSE(settings_module().settings().signer_for("other.example"));

  // A new key replaces the old one.
  auto second = admin.post("/api/settings/dkim", {{"domain", "acme.example"}, {"selector", "herald2"}}).json();
  EXPECT_NE(second["dns_txt"], key["dns_txt"]);
  EXPECT_EQ(admin.get("/api/settings/dkim").json()["items"].size(), 1u);

  EXPECT_EQ(admin.del("/api/settings/dkim/acme.example").status, 204);
  EXPECT_EQ(admin.get("/api/settings/dkim").json()["items"], nlohmann::json::array());
  EXPECT_FALSE(settings_module().settings().signer_for("acme.example"));
  expect_problem(admin.del("/api/settings/dkim/acme.example"), 404);
  auto deleted = audit("DKIM_KEY_DELETED");
  ASSERT_EQ(deleted.size(), 2u);
  EXPECT_FALSE(deleted[0]["success"].get<bool>());  // the 404
  EXPECT_TRUE(deleted[1]["success"].get<bool>());
}

TEST_P(Settings, DkimBadInputs) {
  auto& admin = server().admin();
  auto fields = [&](const nlohmann::json& body) { return error_fields(admin.post("/api/settings/dkim", body)); };
  EXPECT_EQ(fields(nlohmann::json::object()), (std::set<std::string>{"domain", "selector"}));
  EXPECT_EQ(fields({{"domain", "no_underscore.example"}, {"selector", "s"}}), std::set<std::string>{"domain"});
  EXPECT_EQ(fields({{"domain", "localhost"}, {"selector", "s"}}), std::set<std::string>{"domain"});
  EXPECT_EQ(fields({{"domain", "acme.example"}, {"selector", "bad selector"}}), std::set<std::string>{"selector"});
  EXPECT_EQ(fields({{"domain", "acme.example"}, {"selector", std::string(64, 's')}}),
            std::set<std::string>{"selector"});
  EXPECT_EQ(fields({{"domain", "acme.example"}, {"selector", "s"}, {"private_key", "x"}}),
            std::set<std::string>{"private_key"});
  EXPECT_EQ(admin.get("/api/settings/dkim").json()["items"], nlohmann::json::array());
  expect_problem(admin.del("/api/settings/dkim/not%20a%20domain"), 404);
}

TEST_P(Settings, OperatorKeyFromTheConfigurationIsListedReadOnly) {
  TempDir dir;
  const auto key = mail::generate_dkim_key(1024);
  const auto file = dir.path() / "dkim.pem";
  std::ofstream(file) << key.private_key_pem;
  auto& admin = server([&](Config& c) {
                  c.dkim_domain = "ops.example";
                  c.dkim_selector = "ops";
                  c.dkim_key_file = file;
                }).admin();
  auto items = admin.get("/api/settings/dkim").json()["items"];
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["source"], "config");
  EXPECT_EQ(items[0]["dns_txt"], key.dns_txt);
  EXPECT_EQ(error_fields(admin.post("/api/settings/dkim", {{"domain", "ops.example"}, {"selector", "x"}})),
            std::set<std::string>{"domain"});
  EXPECT_EQ(error_fields(admin.del("/api/settings/dkim/ops.example")), std::set<std::string>{"domain"});
  EXPECT_TRUE(settings_module().settings().signer_for("ops.example"));
}

TEST_P(Settings, SmtpIsShownWithoutItsPasswordAndTheTestSendArrivesSigned) {
  TestSmtpServer smtp;
  auto& admin = server([&](Config& c) {
                  c.smtp_url = smtp.url("", "starttls=never");
                  c.smtp_pool = 2;
                }).admin();
  auto view = admin.get("/api/settings").json()["smtp"];
  EXPECT_EQ(view["transport"], "smtp");
  EXPECT_EQ(view["host"], "127.0.0.1");
  EXPECT_EQ(view["port"], smtp.port());
  EXPECT_EQ(view["tls"], "never");
  EXPECT_EQ(view["pool"], 2);

  admin.patch("/api/settings", {{"sender", {{"from_name", "Acme"}, {"from_email", "sales@acme.example"}}}});
  auto key = admin.post("/api/settings/dkim", {{"domain", "acme.example"}, {"selector", "s1"}}).json();
  auto r = admin.post("/api/settings/smtp/test", {{"to", "Ops@Example.net"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["delivered"], true) << r.body;
  EXPECT_EQ(r.json()["transport"], "smtp");
  EXPECT_TRUE(r.json()["detail"].get<std::string>().starts_with("250")) << r.body;
  ASSERT_TRUE(smtp.wait_for_messages(1));
  auto got = smtp.messages();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].rcpt_tos, std::vector<std::string>{"ops@example.net"});
  EXPECT_EQ(got[0].mail_from, "sales@acme.example");
  std::string why;
  EXPECT_TRUE(dkimpy_verify(got[0].data, key["dns_name"], key["dns_txt"], &why)) << why;
  auto entries = audit("SMTP_TESTED");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0]["details"]["delivered"], true);

  auto health = admin.get("/api/health/detailed").json();
  EXPECT_EQ(health["services"]["smtp"]["status"], "healthy") << health;

  EXPECT_EQ(error_fields(admin.post("/api/settings/smtp/test", {{"to", "nobody"}})), std::set<std::string>{"to"});
  EXPECT_EQ(error_fields(admin.post("/api/settings/smtp/test", nlohmann::json::object())), std::set<std::string>{"to"});
  EXPECT_EQ(error_fields(admin.post("/api/settings/smtp/test", {{"to", "a@b.example"}, {"cc", "x"}})),
            std::set<std::string>{"cc"});

  // With the server gone the answer says so, as a 200 with delivered false.
  smtp.stop();
  r = admin.post("/api/settings/smtp/test", {{"to", "ops@example.net"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["delivered"], false);
  EXPECT_FALSE(r.json()["detail"].get<std::string>().empty());
}

TEST_P(Settings, SmtpPasswordNeverShown) {
  auto& admin =
      server([](Config& c) { c.smtp_url = "smtp://mailer:s3cret-pass@127.0.0.1:2?starttls=required"; }).admin();
  auto r = admin.get("/api/settings");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body.find("s3cret-pass"), std::string::npos);
  EXPECT_EQ(r.json()["smtp"]["username"], "mailer");
  EXPECT_EQ(r.json()["smtp"]["tls"], "required");
}

TEST_P(Settings, OutboxCapturesMailWithoutSmtpAndListsItNewestFirst) {
  auto& admin = server().admin();
  auto r = admin.post("/api/settings/smtp/test", {{"to", "first@example.net"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["delivered"], true);
  EXPECT_EQ(r.json()["transport"], "outbox");

  // What campaigns send goes through the module's transport.
  mail::Message m;
  m.from = {"Acme", "sales@acme.example"};
  m.to = {"Bob", "bob@example.net"};
  m.subject = "Grüße, Bob";
  m.text = "Hi\r\n";
  m.message_id = mail::make_message_id(7, 42, "acme.example");
  m.date = std::chrono::system_clock::now();
  m.feedback_id = mail::make_feedback_id(7);
  auto data = mail::build_message(m);
  auto result = settings_module().transport().send({"sales@acme.example", "bob@example.net", data, m.message_id});
  EXPECT_TRUE(result.accepted()) << result.to_string();

  auto list = admin.get("/api/admin/outbox").json();
  EXPECT_EQ(list["total"], 2);
  ASSERT_EQ(list["items"].size(), 2u);
  auto newest = list["items"][0];
  EXPECT_EQ(newest["to"], "bob@example.net");
  EXPECT_EQ(newest["from"], "sales@acme.example");
  EXPECT_EQ(newest["subject"], "Grüße, Bob");
  EXPECT_EQ(newest["campaign_id"], 7);
  EXPECT_EQ(newest["message_id"], m.message_id);
  EXPECT_FALSE(newest.contains("raw"));
  EXPECT_EQ(list["items"][1]["to"], "first@example.net");
  EXPECT_EQ(list["items"][1]["subject"], "Herald SMTP test");
  EXPECT_TRUE(list["items"][1]["campaign_id"].is_null());

  auto one = admin.get("/api/admin/outbox/" + std::to_string(newest["id"].get<std::int64_t>())).json();
  EXPECT_EQ(one["raw"], data);
  EXPECT_EQ(admin.get("/api/admin/outbox?campaign_id=7").json()["total"], 1);
  EXPECT_EQ(admin.get("/api/admin/outbox?page_size=1&page=2").json()["items"][0]["to"], "first@example.net");
  expect_problem(admin.get("/api/admin/outbox/999999"), 404);
  expect_problem(admin.get("/api/admin/outbox?page=0"), 422);
  expect_problem(admin.get("/api/admin/outbox?campaign_id=x"), 422);
}

INSTANTIATE_TEST_SUITE_P(Backends, Settings, all_backends(), backend_test_name);

}  // namespace
}  // namespace herald::test

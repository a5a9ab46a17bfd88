#include "mail/composer.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "mail/reference/opendkim.hpp"

namespace herald::mail {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

struct ComposerTest : ::testing::Test {
  static const GeneratedDkimKey& key() {
    static const GeneratedDkimKey k = generate_dkim_key(2048);
    return k;
  }
  CompiledTemplate tpl = CompiledTemplate::compile(
      {"{{first_name|Hello}}, news from {{campaign_name}}",
       "<body><p>Hi {{first_name|there}} ({{custom.plan}})</p><a href=\"https://acme.example/a\">a</a>"
       "<a href=\"{{unsubscribe_url}}\">unsubscribe</a><p>{{from_name}}</p></body>",
       ""});
  TokenSigner tokens{std::string(40, 's')};
  Tracker tracker{tokens, "https://h.acme.example"};
  DkimSigner signer{{"acme.example", "herald", key().private_key_pem}};
  ManualClock clock;
  nlohmann::json lead = {{"id", 17},
                         {"email", "ann@example.com"},
                         {"first_name", "Ann"},
                         {"last_name", "Lee"},
                         {"custom_fields", {{"plan", "pro"}}}};
  CampaignMail campaign() {
    CampaignMail c;
    c.campaign_id = 5;
    c.campaign_name = "December";
    c.content = &tpl;
    c.from = {"Acme News", "news@acme.example"};
    c.bounce_address = "bounces@acme.example";
    c.unsubscribe_mailto = "mailto:unsubscribe@acme.example";
    return c;
  }
};

TEST_F(ComposerTest, ASignedTrackedMessageForOneLead) {
  Composer composer(tracker, &signer, clock);
  auto out = composer.compose(campaign(), lead);
  EXPECT_EQ(out.message.mail_from, "bounces@acme.example");
  EXPECT_EQ(out.message.rcpt_to, "ann@example.com");
  EXPECT_EQ(out.message.message_id, "<c5.l17.herald@acme.example>");
  EXPECT_THAT(out.links, ElementsAre("https://acme.example/a"));
  const std::string& data = out.message.data;
  EXPECT_THAT(data, StartsWith("DKIM-Signature: v=1; a=rsa-sha256;"));
  EXPECT_THAT(data, HasSubstr("\r\nSubject: Ann, news from December\r\n"));
  EXPECT_THAT(data, HasSubstr("\r\nTo: Ann Lee <ann@example.com>\r\n"));
  EXPECT_THAT(data, HasSubstr("\r\nMessage-ID: <c5.l17.herald@acme.example>\r\n"));
  EXPECT_THAT(data, HasSubstr("List-Unsubscribe: <" + tracker.unsubscribe_url(5, 17) + ">,"));
  EXPECT_THAT(data, HasSubstr("Hi Ann (pro)"));
  EXPECT_THAT(data, HasSubstr("Acme News"));
  std::string html = data;  // the HTML part is quoted-printable: join its soft line breaks
  for (std::size_t p; (p = html.find("=\r\n")) != std::string::npos;) html.erase(p, 3);
  EXPECT_THAT(html, HasSubstr("https://h.acme.example/t/c/"));
  EXPECT_THAT(html, HasSubstr("https://h.acme.example/t/o/"));
  std::string error;
  EXPECT_TRUE(reference::opendkim_verify(data, key().dns_txt, &error)) << error;
}

TEST_F(ComposerTest, WithoutAKeyOrTrackingAndWithDefaults) {
  Composer composer(tracker, nullptr, clock);
  auto c = campaign();
  c.track_clicks = false;
  c.track_opens = false;
  c.bounce_address.clear();
  auto out = composer.compose(c, {{"id", 3}, {"email", "bo@example.org"}});
  EXPECT_EQ(out.message.mail_from, "news@acme.example");
  EXPECT_TRUE(out.links.empty());
  EXPECT_THAT(out.message.data, StartsWith("Date: "));
  EXPECT_THAT(out.message.data, HasSubstr("Subject: Hello, news from December"));
  EXPECT_THAT(out.message.data, HasSubstr("To: <bo@example.org>"));
  EXPECT_THAT(out.message.data, Not(HasSubstr("/t/c/")));
}

TEST_F(ComposerTest, BadLeadsAreRefused) {
  Composer composer(tracker, &signer, clock);
  EXPECT_THROW(composer.compose(campaign(), {{"email", "x@example.com"}}), std::invalid_argument);
  EXPECT_THROW(composer.compose(campaign(), {{"id", 1}, {"email", "not an address"}}), MimeError);
  auto c = campaign();
  c.content = nullptr;
  EXPECT_THROW(composer.compose(c, lead), std::invalid_argument);
}

}  // namespace
}  // namespace herald::mail

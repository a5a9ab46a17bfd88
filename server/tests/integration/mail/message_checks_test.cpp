// Messages as independent tools read them: Python's email package parses
// what build_message writes, python3-dkim verifies what DkimSigner signs, and
// the whole engine (render, track, build, sign, deliver) ends in messages a
// real SMTP server received intact.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "mail/dkim.hpp"
#include "mail/mime.hpp"
#include "mail/reference/opendkim.hpp"
#include "mail/smtp_pool.hpp"
#include "mail/template.hpp"
#include "mail/tracking.hpp"
#include "support/mail_tools.hpp"

namespace herald::mail {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const GeneratedDkimKey& key() {
  static const GeneratedDkimKey k = generate_dkim_key(2048);
  return k;
}
const std::string kDnsName = "herald._domainkey.acme.example";

std::string header(const nlohmann::json& parsed, std::string_view name) {
  for (const auto& h : parsed["headers"])
    if (h[0].get<std::string>() == name) return h[1].get<std::string>();
  return "<missing>";
}

Message sample() {
  Message m;
  m.from = {"Équipe Acme, \"News\"", "news@acme.example"};
  m.to = {"Zoë Lee", "zoe@example.com"};
  m.reply_to = Address{"Support", "support@acme.example"};
  m.subject = "Grüße, Zoë — your plan 👋 and a long subject line that needs folding across lines";
  m.text = "Hello Zoë,\n\nLine with trailing space \nand a line that is very long: " + std::string(300, 'a') +
           "\n.leading dot\n";
  m.html = "<p>Hello Zoë,</p>\n<p>" + std::string(1200, 'b') + "</p>\n";
  m.message_id = make_message_id(42, 7, "acme.example");
  m.date = std::chrono::system_clock::time_point(std::chrono::seconds(1767225600));
  m.list_unsubscribe_url = "https://h.acme.example/u/TOKEN";
  m.list_unsubscribe_mailto = "mailto:unsubscribe@acme.example?subject=TOKEN";
  m.feedback_id = make_feedback_id(42);
  return m;
}

TEST(MimeParse, PythonsEmailPackageReadsWhatWeWrite) {
  auto m = sample();
  auto parsed = test::inspect_mime(build_message(m));
  EXPECT_TRUE(parsed["defects"].empty()) << parsed["defects"].dump();
  EXPECT_EQ(header(parsed, "Subject"), m.subject);
  EXPECT_EQ(parsed["from"][0][0], "Équipe Acme, \"News\"");
  EXPECT_EQ(parsed["from"][0][1], "news@acme.example");
  EXPECT_EQ(parsed["to"][0][0], "Zoë Lee");
  EXPECT_EQ(parsed["to"][0][1], "zoe@example.com");
  EXPECT_EQ(parsed["reply-to"][0][1], "support@acme.example");
  EXPECT_EQ(header(parsed, "Message-ID"), "<c42.l7.herald@acme.example>");
  EXPECT_EQ(parsed["date_epoch"].get<double>(), 1767225600.0);
  EXPECT_EQ(header(parsed, "List-Unsubscribe"),
            "<https://h.acme.example/u/TOKEN>, <mailto:unsubscribe@acme.example?subject=TOKEN>");
  EXPECT_EQ(header(parsed, "List-Unsubscribe-Post"), "List-Unsubscribe=One-Click");
  EXPECT_EQ(header(parsed, "Feedback-ID"), "c42:campaign:herald");
  EXPECT_EQ(header(parsed, "MIME-Version"), "1.0");
  EXPECT_EQ(parsed["content_type"], "multipart/alternative");
  ASSERT_EQ(parsed["parts"].size(), 2u);
  EXPECT_EQ(parsed["parts"][0]["content_type"], "text/plain");
  EXPECT_EQ(parsed["parts"][0]["charset"], "utf-8");
  EXPECT_EQ(parsed["parts"][0]["content"], m.text);
  EXPECT_EQ(parsed["parts"][1]["content_type"], "text/html");
  EXPECT_EQ(parsed["parts"][1]["content"], m.html);
}

TEST(MimeParse, EveryTransferEncodingRoundTrips) {
  for (std::string text : {std::string("Plain short ASCII.\n"), std::string("Zwölf Boxkämpfer jagen Viktor.\n"),
                           std::string("Здравствуйте! Это письмо на русском языке.\n"),
                           std::string("日本語のテキストです。\n") + std::string(500, 'x') + "\n"}) {
    auto m = sample();
    m.html.clear();
    m.text = text;
    auto parsed = test::inspect_mime(build_message(m));
    EXPECT_TRUE(parsed["defects"].empty()) << parsed["defects"].dump();
    ASSERT_EQ(parsed["parts"].size(), 1u);
    EXPECT_EQ(parsed["parts"][0]["content"], text) << parsed["parts"][0]["transfer_encoding"];
  }
}

TEST(DkimVerify, PythonDkimVerifiesOurSignature) {
  DkimSigner signer({"acme.example", "herald", key().private_key_pem});
  auto message = build_message(sample());
  auto signed_message = signer.sign(message, std::chrono::system_clock::now()) + message;
  std::string error;
  EXPECT_TRUE(test::dkimpy_verify(signed_message, kDnsName, key().dns_txt, &error)) << error;
}

TEST(DkimVerify, PythonDkimRefusesTamperedMessages) {
  DkimSigner signer({"acme.example", "herald", key().private_key_pem});
  auto message = build_message(sample());
  auto sig = signer.sign(message, std::chrono::system_clock::now());
  auto verify = [&](const std::string& m) { return test::dkimpy_verify(sig + m, kDnsName, key().dns_txt); };
  ASSERT_TRUE(verify(message));
  std::string body = message;
  body.replace(body.rfind("bbbb"), 4, "cccc");
  EXPECT_FALSE(verify(body)) << "modified body";
  std::string subject = message;
  subject.replace(subject.find("Subject: ") + 9, 0, "X");
  EXPECT_FALSE(verify(subject)) << "modified subject";
  EXPECT_FALSE(verify("Subject: Another subject\r\n" + message)) << "added Subject (oversigned)";
  EXPECT_FALSE(verify("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" + message)) << "added header";
  EXPECT_FALSE(test::dkimpy_verify(sig + message, kDnsName, generate_dkim_key(2048).dns_txt)) << "another key";
}

TEST(DkimVerify, PythonDkimAlsoVerifiesLibopendkim) {
  // The reference implementation and the independent verifier agree on the same message.
  reference::OpendkimSigner reference("acme.example", "herald", key().private_key_pem);
  auto message = build_message(sample());
  std::string error;
  EXPECT_TRUE(test::dkimpy_verify(reference.sign(message) + message, kDnsName, key().dns_txt, &error)) << error;
}

TEST(MailEngine, RenderTrackBuildSignDeliver) {
  auto tpl = CompiledTemplate::compile(
      {"Hi {{first_name|there}}, news for {{company}}",
       "<html><body><p>Hi {{first_name|there}},</p><p>Read <a href=\"https://blog.example/post?id=1&amp;x=2\">the "
       "post</a> or <a href=\"https://blog.example/\">the blog</a>.</p><p><a "
       "href=\"{{unsubscribe_url}}\">Unsubscribe</a></p></body></html>",
       ""});
  TokenSigner tokens(std::string(40, 's'));
  Tracker tracker(tokens, "https://h.acme.example");
  DkimSigner signer({"acme.example", "herald", key().private_key_pem});
  test::SmtpServerOptions options;
  options.pipelining = true;
  test::TestSmtpServer server(options);
  SmtpPool pool(parse_smtp_url(server.url({}, "starttls=never")), 2);

  const std::vector<std::pair<std::string, std::string>> leads = {
      {"Ann", "ann@example.com"}, {"", "bo@example.org"}, {"Zoë <b>", "zoe@example.net"}};
  for (std::size_t i = 0; i < leads.size(); ++i) {
    std::int64_t lead_id = static_cast<std::int64_t>(i) + 1;
    Variables v;
    v.set("first_name", leads[i].first);
    v.set("company", "Acme & Co");
    v.set("unsubscribe_url", tracker.unsubscribe_url(9, lead_id));
    auto content = tpl.render(v);
    auto tracked = tracker.apply(content.html, 9, lead_id, true, true);
    ASSERT_EQ(tracked.links.size(), 2u);
    EXPECT_EQ(tracked.links[0], "https://blog.example/post?id=1&x=2");
    Message m;
    m.from = {"Acme", "news@acme.example"};
    m.to = {leads[i].first, leads[i].second};
    m.subject = content.subject;
    m.text = content.text;
    m.html = tracked.html;
    m.message_id = make_message_id(9, lead_id, "acme.example");
    m.date = std::chrono::system_clock::now();
    m.list_unsubscribe_url = tracker.unsubscribe_url(9, lead_id);
    m.feedback_id = make_feedback_id(9);
    auto data = build_message(m);
    data = signer.sign(data, std::chrono::system_clock::now()) + data;
    auto r = pool.send("bounces@acme.example", leads[i].second, data);
    ASSERT_TRUE(r.accepted()) << r.to_string();
  }
  ASSERT_TRUE(server.wait_for_messages(leads.size()));
  auto stored = server.messages();
  ASSERT_EQ(stored.size(), leads.size());
  for (std::size_t i = 0; i < stored.size(); ++i) {
    std::string error;
    EXPECT_TRUE(test::dkimpy_verify(stored[i].data, kDnsName, key().dns_txt, &error)) << error;
    EXPECT_TRUE(reference::opendkim_verify(stored[i].data, key().dns_txt, &error)) << error;
    auto parsed = test::inspect_mime(stored[i].data);
    EXPECT_TRUE(parsed["defects"].empty());
    std::string name = leads[i].first.empty() ? "there" : leads[i].first;
    EXPECT_EQ(header(parsed, "Subject"), "Hi " + name + ", news for Acme & Co");
    EXPECT_EQ(header(parsed, "Message-ID"), make_message_id(9, static_cast<std::int64_t>(i) + 1, "acme.example"));
    std::string text = parsed["parts"][0]["content"];
    std::string html = parsed["parts"][1]["content"];
    EXPECT_THAT(text, HasSubstr("Hi " + name + ","));
    EXPECT_THAT(text, HasSubstr("the post (https://blog.example/post?id=1&x=2)"));
    EXPECT_THAT(html, Not(HasSubstr("https://blog.example/post")));  // click-tracked
    EXPECT_THAT(html, HasSubstr("https://h.acme.example/t/c/"));
    EXPECT_THAT(html, HasSubstr("https://h.acme.example/t/o/"));
    EXPECT_THAT(html, HasSubstr("href=\"https://h.acme.example/u/"));  // unsubscribe stays direct
    if (i == 2) {
      EXPECT_THAT(html, HasSubstr("Zoë &lt;b&gt;"));
    }
  }
}

}  // namespace
}  // namespace herald::mail

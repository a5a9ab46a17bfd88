#include "mail/mime.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace herald::mail {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

Message sample() {
  Message m;
  m.from = {"Acme News", "news@acme.example"};
  m.to = {"Ann Lee", "ann@example.com"};
  m.reply_to = Address{"", "support@acme.example"};
  m.subject = "Hello Ann";
  m.text = "Hi Ann,\nplain text.\n";
  m.html = "<p>Hi Ann,</p><p>html</p>";
  m.message_id = make_message_id(12, 345, "acme.example");
  m.date = std::chrono::system_clock::time_point(std::chrono::seconds(1796119200));
  m.list_unsubscribe_url = "https://herald.acme.example/u/TOKEN";
  m.list_unsubscribe_mailto = "mailto:unsubscribe@acme.example?subject=unsubscribe%20TOKEN";
  m.feedback_id = make_feedback_id(12);
  return m;
}

std::string header_block(const std::string& msg) { return msg.substr(0, msg.find("\r\n\r\n") + 2); }

TEST(Mime, CarriesTheRequiredHeaders) {
  auto msg = build_message(sample());
  auto headers = header_block(msg);
  EXPECT_THAT(headers, HasSubstr("Date: Tue, 01 Dec 2026 10:00:00 +0000\r\n"));
  EXPECT_THAT(headers, HasSubstr("From: Acme News <news@acme.example>\r\n"));
  EXPECT_THAT(headers, HasSubstr("To: Ann Lee <ann@example.com>\r\n"));
  EXPECT_THAT(headers, HasSubstr("Reply-To: <support@acme.example>\r\n"));
  EXPECT_THAT(headers, HasSubstr("Subject: Hello Ann\r\n"));
  EXPECT_THAT(headers, HasSubstr("Message-ID: <c12.l345.herald@acme.example>\r\n"));
  EXPECT_THAT(headers, HasSubstr("MIME-Version: 1.0\r\n"));
  EXPECT_THAT(headers, HasSubstr("List-Unsubscribe: <https://herald.acme.example/u/TOKEN>,\r\n"
                                 " <mailto:unsubscribe@acme.example?subject=unsubscribe%20TOKEN>\r\n"));
  EXPECT_THAT(headers, HasSubstr("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"));
  EXPECT_THAT(headers, HasSubstr("Feedback-ID: c12:campaign:herald\r\n"));
  EXPECT_THAT(headers, HasSubstr("Content-Type: multipart/alternative;\r\n boundary=\"=_herald_"));
}

TEST(Mime, IsMultipartAlternativeTextThenHtml) {
  auto msg = build_message(sample());
  auto b = msg.find("boundary=\"") + 10;
  std::string boundary = msg.substr(b, msg.find('"', b) - b);
  auto text_at = msg.find("--" + boundary + "\r\nContent-Type: text/plain; charset=utf-8\r\n");
  auto html_at = msg.find("--" + boundary + "\r\nContent-Type: text/html; charset=utf-8\r\n");
  ASSERT_NE(text_at, std::string::npos);
  ASSERT_NE(html_at, std::string::npos);
  EXPECT_LT(text_at, html_at);
  EXPECT_TRUE(msg.ends_with("--" + boundary + "--\r\n"));
  EXPECT_THAT(msg, HasSubstr("Hi Ann,\r\nplain text.\r\n\r\n--" + boundary + "\r\n"));  // its own line break kept
}

TEST(Mime, OnlyCrlfAndNoLineAbove998) {
  auto m = sample();
  m.html = "<p>" + std::string(5000, 'x') + "</p>\n<p>Grüße</p>";
  m.subject = std::string(300, 'y') + " and more words to fold " + std::string(100, 'z');
  auto msg = build_message(m);
  std::size_t line = 0;
  for (std::size_t i = 0; i < msg.size(); ++i) {
    if (msg[i] == '\n') {
      ASSERT_GT(i, 0u);
      EXPECT_EQ(msg[i - 1], '\r') << "bare LF at " << i;
      line = 0;
    } else if (msg[i] == '\r') {
      ASSERT_LT(i + 1, msg.size());
      EXPECT_EQ(msg[i + 1], '\n') << "bare CR at " << i;
    } else {
      ++line;
      EXPECT_LE(line, 998u);
      EXPECT_LT(static_cast<unsigned char>(msg[i]), 0x80u) << "8-bit byte at " << i;
    }
  }
}

TEST(Mime, NonAsciiHeadersAreEncoded) {
  auto m = sample();
  m.subject = "Grüße, Ann 👋";
  m.from.name = "Équipe Acme";
  m.subject += " and a much longer tail so that the subject needs several encoded words: ÄÖÜ ÄÖÜ ÄÖÜ ÄÖÜ ÄÖÜ";
  auto headers = header_block(build_message(m));
  EXPECT_THAT(headers, HasSubstr("Subject: =?UTF-8?B?"));
  for (std::size_t pos = 0, end; (end = headers.find("\r\n", pos)) != std::string::npos; pos = end + 2)
    EXPECT_LE(end - pos, 76u) << headers.substr(pos, end - pos);
  EXPECT_THAT(headers, HasSubstr("From: =?UTF-8?B?w4lxdWlwZSBBY21l?= <news@acme.example>"));
}

TEST(Mime, HeaderInjectionIsNeutralised) {
  auto m = sample();
  m.subject = "Hi\r\nBcc: victim@example.com";
  m.to.name = "Ann\r\nX-Evil: 1";
  auto headers = header_block(build_message(m));
  EXPECT_THAT(headers, Not(HasSubstr("\r\nBcc:")));
  EXPECT_THAT(headers, Not(HasSubstr("\r\nX-Evil:")));
}

TEST(Mime, SinglePartWhenOneSideIsEmpty) {
  auto m = sample();
  m.html.clear();
  auto msg = build_message(m);
  EXPECT_THAT(msg, HasSubstr("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n"));
  EXPECT_THAT(msg, Not(HasSubstr("multipart")));
}

TEST(Mime, SameInputSameBytes) {
  EXPECT_EQ(build_message(sample()), build_message(sample()));
  auto other = sample();
  other.message_id = make_message_id(12, 346, "acme.example");
  EXPECT_NE(build_message(other), build_message(sample()));
}

TEST(Mime, OneClickNeedsTheHttpsUri) {
  auto m = sample();
  m.list_unsubscribe_url.clear();
  auto headers = header_block(build_message(m));
  EXPECT_THAT(headers, HasSubstr("List-Unsubscribe: <mailto:"));
  EXPECT_THAT(headers, Not(HasSubstr("List-Unsubscribe-Post")));
}

TEST(Mime, BadInputIsRefused) {
  auto m = sample();
  m.to.email = "not an address";
  EXPECT_THROW(build_message(m), MimeError);
  m = sample();
  m.message_id = "no-brackets@x";
  EXPECT_THROW(build_message(m), MimeError);
  m = sample();
  m.extra_headers = {{"Bcc", "x@example.com"}};
  EXPECT_THROW(build_message(m), MimeError);
  m.extra_headers = {{"Bad Name", "x"}};
  EXPECT_THROW(build_message(m), MimeError);
  m = sample();
  m.list_unsubscribe_url = "https://x.example/u/a b";
  EXPECT_THROW(build_message(m), MimeError);
}

TEST(Mime, ExtraHeadersAreWritten) {
  auto m = sample();
  m.extra_headers = {{"X-Campaign", "12"}};
  EXPECT_THAT(header_block(build_message(m)), HasSubstr("X-Campaign: 12\r\n"));
}

TEST(MessageId, DeterministicPerCampaignAndLead) {
  EXPECT_EQ(make_message_id(1, 2, "Acme.Example"), "<c1.l2.herald@acme.example>");
  EXPECT_EQ(make_message_id(1, 2, "acme.example", "inst-7"), "<c1.l2.inst-7@acme.example>");
  EXPECT_THROW(make_message_id(1, 2, "acme.example", "bad tag"), MimeError);
  EXPECT_THROW(make_message_id(1, 2, "bad domain>"), MimeError);
  auto r1 = random_message_id("acme.example");
  EXPECT_NE(r1, random_message_id("acme.example"));
  EXPECT_TRUE(r1.ends_with("@acme.example>"));
  EXPECT_EQ(domain_of("Ann@Example.COM"), "example.com");
}

}  // namespace
}  // namespace herald::mail

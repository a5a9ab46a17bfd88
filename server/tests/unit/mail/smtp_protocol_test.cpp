#include "mail/smtp_protocol.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "mail/delivery.hpp"

namespace herald::mail {
namespace {

using ::testing::ElementsAre;

SmtpReply parse(std::initializer_list<std::string_view> lines) {
  ReplyParser p;
  std::optional<SmtpReply> out;
  for (auto l : lines) {
    EXPECT_FALSE(out.has_value()) << "reply ended early";
    out = p.feed(l);
  }
  EXPECT_TRUE(out.has_value());
  return out.value_or(SmtpReply{});
}

TEST(SmtpReply, SingleAndMultiLine) {
  auto r = parse({"250 OK"});
  EXPECT_EQ(r.code, 250);
  EXPECT_TRUE(r.positive());
  auto multi = parse({"250-mail.example Hello", "250-PIPELINING", "250 SIZE 1000"});
  EXPECT_THAT(multi.lines, ElementsAre("mail.example Hello", "PIPELINING", "SIZE 1000"));
  EXPECT_EQ(parse({"354"}).code, 354);
  EXPECT_TRUE(parse({"354 go on"}).intermediate());
  EXPECT_TRUE(parse({"451 4.7.1 try later"}).transient());
}

TEST(SmtpReply, MalformedLinesAreProtocolErrors) {
  ReplyParser p;
  EXPECT_THROW(p.feed("hello"), SmtpProtocolError);
  EXPECT_THROW(p.feed("25"), SmtpProtocolError);
  EXPECT_THROW(p.feed("250_x"), SmtpProtocolError);
  EXPECT_THROW(p.feed("999 x"), SmtpProtocolError);
  ReplyParser q;
  EXPECT_FALSE(q.feed("250-first").has_value());
  EXPECT_THROW(q.feed("550 changed"), SmtpProtocolError);
}

TEST(SmtpReply, EnhancedCodeAndText) {
  auto r = parse({"550-5.1.1 <x@example.com>: Recipient", "550 5.1.1 address rejected"});
  EXPECT_EQ(r.enhanced_code(), "5.1.1");
  EXPECT_EQ(r.to_string(), "550 5.1.1 <x@example.com>: Recipient / 5.1.1 address rejected");
  EXPECT_EQ(parse({"250 OK queued"}).enhanced_code(), "");
  auto weird = parse({"554 bad \x01 \xff"});
  EXPECT_EQ(weird.to_string(), "554 bad   \xEF\xBF\xBD");
}

TEST(SmtpCapabilities, FromEhlo) {
  auto caps = parse_ehlo(
      parse({"250-mx.example greets you", "250-PIPELINING", "250-SIZE 10240000", "250-STARTTLS", "250-AUTH PLAIN login",
             "250-AUTH=LOGIN", "250-8BITMIME", "250-ENHANCEDSTATUSCODES", "250 SMTPUTF8"}));
  EXPECT_TRUE(caps.pipelining);
  EXPECT_TRUE(caps.starttls);
  EXPECT_TRUE(caps.eightbitmime);
  EXPECT_TRUE(caps.smtputf8);
  EXPECT_TRUE(caps.enhanced_status_codes);
  EXPECT_EQ(caps.size, 10240000u);
  EXPECT_THAT(caps.auth, ElementsAre("LOGIN", "PLAIN"));
  auto bare = parse_ehlo(parse({"250 mx.example"}));
  EXPECT_FALSE(bare.pipelining);
  EXPECT_EQ(bare.size, 0u);
  EXPECT_EQ(parse_ehlo(parse({"250-x", "250 SIZE"})).size, 0u);
}

TEST(SmtpEnvelope, AddressesAreChecked) {
  EXPECT_EQ(envelope_address_problem("ann@example.com", false), "");
  EXPECT_EQ(envelope_address_problem("", true), "");
  EXPECT_NE(envelope_address_problem("", false), "");
  EXPECT_NE(envelope_address_problem("ann@example.com>\r\nRCPT TO:<x@y", false), "");
  EXPECT_NE(envelope_address_problem("a b@example.com", false), "");
  EXPECT_NE(envelope_address_problem("jösé@example.com", false), "");
  EXPECT_NE(envelope_address_problem("no-at", false), "");
}

TEST(SmtpData, DotStuffingAndTerminator) {
  EXPECT_EQ(dot_stuff(".a\r\nb\r\n.c"), "..a\r\nb\r\n..c\r\n.\r\n");
  EXPECT_EQ(dot_stuff("x\r\n.\r\ny\r\n"), "x\r\n..\r\ny\r\n.\r\n");
  EXPECT_EQ(dot_stuff("lf end\n"), "lf end\r\n.\r\n");
  EXPECT_EQ(dot_stuff(""), "\r\n.\r\n");
}

TEST(SmtpAuth, PlainPayload) { EXPECT_EQ(auth_plain("user", "pass"), "AHVzZXIAcGFzcw=="); }

TEST(Delivery, StatusFromReplyCode) {
  EXPECT_EQ(status_for_code(250), DeliveryStatus::Accepted);
  EXPECT_EQ(status_for_code(421), DeliveryStatus::Deferred);
  EXPECT_EQ(status_for_code(452), DeliveryStatus::Deferred);
  EXPECT_EQ(status_for_code(550), DeliveryStatus::Rejected);
  DeliveryResult r{DeliveryStatus::Dropped, 0, "the server closed the connection", "message", true};
  EXPECT_TRUE(r.retryable());
  EXPECT_EQ(r.to_string(), "dropped at message: the server closed the connection (after the whole message)");
}

}  // namespace
}  // namespace herald::mail

// The inbound classifier on mail as real servers write it: DSNs from
// Postfix, Exim, Gmail and Exchange Online, an ARF report, an out-of-office,
// a person's reply, and input that is no mail at all.
#include <gtest/gtest.h>

#include <random>

#include "inbound/classify.hpp"
#include "inbound/report.hpp"
#include "support/inbound_samples.hpp"

namespace herald::inbound {
namespace {

const std::string kOurs = "<c12.l345.herald@herald.test>";
const std::string kRcpt = "jane@example.org";

void expect_about_ours(const Verdict& v) {
  EXPECT_EQ(v.original_id, kOurs);
  ASSERT_TRUE(v.original.has_value());
  EXPECT_EQ(v.original->campaign_id, 12);
  EXPECT_EQ(v.original->lead_id, 345);
}

TEST(InboundClassifyTest, PostfixHardBounce) {
  const auto v = classify(test::postfix_dsn(kOurs, kRcpt));
  EXPECT_EQ(v.kind, Kind::Bounce);
  EXPECT_TRUE(v.hard);
  EXPECT_EQ(v.status, "5.1.1");
  EXPECT_EQ(v.recipient, kRcpt);
  EXPECT_NE(v.diagnostic.find("User unknown in virtual mailbox table"), std::string::npos) << v.diagnostic;
  expect_about_ours(v);
  EXPECT_TRUE(v.message_id.ends_with("@mx.example.net>")) << v.message_id;
}

TEST(InboundClassifyTest, PostfixTemporaryFailuresAreSoft) {
  const auto delayed = classify(test::postfix_delayed_dsn(kOurs, kRcpt));
  EXPECT_EQ(delayed.kind, Kind::Bounce);
  EXPECT_FALSE(delayed.hard);
  EXPECT_EQ(delayed.status, "4.4.1");
  expect_about_ours(delayed);
  // A failed action with a 4.x.x status (mailbox full, given up) is still temporary.
  const auto full = classify(test::postfix_dsn(kOurs, kRcpt, "4.2.2"));
  EXPECT_EQ(full.kind, Kind::Bounce);
  EXPECT_FALSE(full.hard);
}

TEST(InboundClassifyTest, EximBounceWithTheReturnedMessage) {
  const auto v = classify(test::exim_dsn(kOurs, kRcpt));
  EXPECT_EQ(v.kind, Kind::Bounce);
  EXPECT_TRUE(v.hard);
  EXPECT_EQ(v.status, "5.0.0");
  EXPECT_EQ(v.recipient, kRcpt);
  expect_about_ours(v);
}

TEST(InboundClassifyTest, GmailBounce) {
  const auto v = classify(test::gmail_dsn(kOurs, kRcpt));
  EXPECT_EQ(v.kind, Kind::Bounce);
  EXPECT_TRUE(v.hard);
  EXPECT_EQ(v.status, "5.1.1");
  EXPECT_EQ(v.recipient, kRcpt);
  expect_about_ours(v);
}

TEST(InboundClassifyTest, MicrosoftBounceIsABounceNotAReply) {
  // Exchange threads its NDR on our message (In-Reply-To): the report wins.
  const auto v = classify(test::microsoft_dsn(kOurs, kRcpt));
  EXPECT_EQ(v.kind, Kind::Bounce);
  EXPECT_TRUE(v.hard);
  EXPECT_EQ(v.status, "5.1.10");
  EXPECT_EQ(v.recipient, kRcpt);
  expect_about_ours(v);
}

TEST(InboundClassifyTest, ArfReportIsAComplaint) {
  const auto v = classify(test::arf_report(kOurs, kRcpt));
  EXPECT_EQ(v.kind, Kind::Complaint);
  EXPECT_EQ(v.diagnostic, "abuse");
  EXPECT_EQ(v.recipient, "<" + kRcpt + ">");
  expect_about_ours(v);
}

TEST(InboundClassifyTest, OutOfOfficeIsNotAReply) {
  const auto v = classify(test::out_of_office(kOurs, kRcpt));
  EXPECT_EQ(v.kind, Kind::AutoReply);
  EXPECT_EQ(v.reason, "Auto-Submitted: auto-generated");
}

TEST(InboundClassifyTest, AutoReplyMarkers) {
  auto msg = [&](std::string_view extra, std::string_view subject) {
    return "From: a@example.org\nTo: news@herald.test\nSubject: " + std::string(subject) + "\nIn-Reply-To: " + kOurs +
           "\n" + std::string(extra) + "Message-ID: <x1@example.org>\n\nbody\n";
  };
  EXPECT_EQ(classify(msg("X-Autoreply: yes\n", "Re: hi")).kind, Kind::AutoReply);
  EXPECT_EQ(classify(msg("Precedence: bulk\n", "Re: hi")).kind, Kind::AutoReply);
  EXPECT_EQ(classify(msg("Precedence: auto_reply\n", "Re: hi")).kind, Kind::AutoReply);
  EXPECT_EQ(classify(msg("", "Out of Office: Re: hi")).kind, Kind::AutoReply);
  EXPECT_EQ(classify(msg("", "Abwesenheitsnotiz: Re: hi")).kind, Kind::AutoReply);
  EXPECT_EQ(classify(msg("", "Auto: hi")).kind, Kind::AutoReply);
  // "no" is RFC 3834's "a person wrote this".
  EXPECT_EQ(classify(msg("Auto-Submitted: no\n", "Re: hi")).kind, Kind::Reply);
  EXPECT_EQ(classify(msg("Precedence: list\n", "Re: hi")).kind, Kind::Reply);
}

TEST(InboundClassifyTest, ReplyWithQuotedText) {
  const auto v = classify(test::human_reply(kOurs, kRcpt, "<CAJ7abc@mail.gmail.com>"));
  EXPECT_EQ(v.kind, Kind::Reply);
  expect_about_ours(v);
  EXPECT_EQ(v.message_id, "<CAJ7abc@mail.gmail.com>");
}

TEST(InboundClassifyTest, ReplyFoundThroughReferencesAlone) {
  const auto v = classify("From: a@example.org\nSubject: Re: x\nReferences: <first@example.org>\n " + kOurs +
                          " <later@example.org>\nMessage-ID: <r2@example.org>\n\nyes\n");
  EXPECT_EQ(v.kind, Kind::Reply);
  expect_about_ours(v);
}

TEST(InboundClassifyTest, ReplyToSomethingElseIsOther) {
  const auto v = classify(
      "From: a@example.org\nSubject: Re: lunch\nIn-Reply-To: <abc@example.org>\nMessage-ID: <r3@example.org>\n\nok\n");
  EXPECT_EQ(v.kind, Kind::Other);
  EXPECT_FALSE(v.original.has_value());
}

TEST(InboundClassifyTest, BounceOfAMessageHeraldDidNotSendHasNoOriginal) {
  const auto v = classify(test::postfix_dsn("<someone-else@example.net>", kRcpt));
  EXPECT_EQ(v.kind, Kind::Bounce);
  EXPECT_EQ(v.original_id, "<someone-else@example.net>");
  EXPECT_FALSE(v.original.has_value());
}

TEST(InboundClassifyTest, GarbageNeverCrashes) {
  EXPECT_EQ(classify("").kind, Kind::Unreadable);
  for (std::string_view s : {"\n", "\r\n\r\n", "not a message at all", "From:\n\n", ":\n:\n:",
                             "Content-Type: multipart/report; report-type=delivery-status; boundary=x\n\n--x\n",
                             "Content-Type: multipart/report; report-type=delivery-status; boundary=x\n\n--x\n"
                             "Content-Type: message/delivery-status\n\nFinal-Recipient: \nAction:\nStatus:\n--x--\n",
                             "Content-Type: multipart/report; report-type=feedback-report\n\n",
                             "In-Reply-To: <<<>>>\nReferences: <c1.l@>\n\n"}) {
    const auto v = classify(s);
    EXPECT_NE(v.kind, Kind::Reply) << s;
    EXPECT_NE(v.kind, Kind::Complaint) << s;
  }
  std::mt19937 rng(7);
  const auto sample = test::gmail_dsn(kOurs, kRcpt);
  for (int i = 0; i < 300; ++i) {  // truncations and bit flips of a real report
    std::string s = sample.substr(0, rng() % sample.size());
    for (int j = 0; j < 20 && !s.empty(); ++j) s[rng() % s.size()] = static_cast<char>(rng() % 256);
    (void)classify(s);
  }
  std::string binary(4096, '\0');
  for (auto& c : binary) c = static_cast<char>(rng() % 256);
  (void)classify(binary);
}

TEST(InboundClassifyTest, DedupeKeyIsTheMessageIdElseAHash) {
  const auto raw = test::human_reply(kOurs, kRcpt, "<CAJ7abc@mail.gmail.com>");
  EXPECT_EQ(dedupe_key(classify(raw), raw), "mid:<CAJ7abc@mail.gmail.com>");
  const std::string anonymous = "From: a@example.org\nSubject: hi\n\nbody\n";
  const auto key = dedupe_key(classify(anonymous), anonymous);
  EXPECT_TRUE(key.starts_with("sha256:")) << key;
  EXPECT_EQ(key, dedupe_key(classify(anonymous), anonymous));
  EXPECT_NE(key, dedupe_key(classify(anonymous + "x"), anonymous + "x"));
}

TEST(InboundReportTest, DeliveryStatusFieldsFoldedAndTyped) {
  const auto r = parse_delivery_status(
      "Reporting-MTA: dns; mx\r\n\r\nFinal-Recipient: RFC822; <a@b.c>\r\nAction: Failed\r\nStatus: 5.7.1 "
      "(delivery not authorized)\r\nDiagnostic-Code: smtp; 550 5.7.1\r\n  blocked\r\n");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].address, "a@b.c");
  EXPECT_EQ(r[0].action, "failed");
  EXPECT_EQ(r[0].status, "5.7.1");
  EXPECT_EQ(r[0].diagnostic, "smtp; 550 5.7.1 blocked");
}

}  // namespace
}  // namespace herald::inbound

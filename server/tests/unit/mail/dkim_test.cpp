#include "mail/dkim.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "core/strings.hpp"
#include "mail/mime.hpp"
#include "mail/reference/opendkim.hpp"

namespace herald::mail {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

const GeneratedDkimKey& test_key() {
  static const GeneratedDkimKey key = generate_dkim_key(2048);
  return key;
}

// In the past: verifiers refuse signatures from the future.
const auto kNow = std::chrono::system_clock::time_point(std::chrono::seconds(1767225600));

std::string sample_message() {
  Message m;
  m.from = {"Acme", "news@acme.example"};
  m.to = {"Ann", "ann@example.com"};
  m.subject = "Grüße, Ann";
  m.text = "Hello  Ann,\n\ttabs and  spaces   \n\n\n";
  m.html = "<p>Hello Ann</p>";
  m.message_id = make_message_id(1, 2, "acme.example");
  m.date = kNow;
  m.list_unsubscribe_url = "https://h.acme.example/u/TOKEN";
  m.list_unsubscribe_mailto = "mailto:u@acme.example";
  m.feedback_id = make_feedback_id(1);
  return build_message(m);
}

// The tags of a DKIM-Signature header, unfolded and without whitespace.
std::map<std::string, std::string> tags_of(std::string header) {
  header = header.substr(header.find(':') + 1);
  std::string compact;
  for (char c : header)
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') compact += c;
  std::map<std::string, std::string> tags;
  for (auto part : split(compact, ';')) {
    if (part.empty()) continue;
    auto eq = part.find('=');
    tags[std::string(part.substr(0, eq))] = std::string(part.substr(eq + 1));
  }
  return tags;
}

DkimSigner signer() { return DkimSigner({"acme.example", "herald", test_key().private_key_pem}); }

TEST(DkimCanonical, RelaxedHeaderAsInRfc6376) {
  EXPECT_EQ(relaxed_header("A: X"), "a:X\r\n");
  EXPECT_EQ(relaxed_header("B : Y\t\r\n\tZ  "), "b:Y Z\r\n");
  EXPECT_EQ(relaxed_header("Subject:   many    spaces  "), "subject:many spaces\r\n");
}

TEST(DkimCanonical, RelaxedBodyAsInRfc6376) {
  EXPECT_EQ(relaxed_body(" C \r\nD \t E\r\n\r\n\r\n"), " C\r\nD E\r\n");
  EXPECT_EQ(relaxed_body(""), "");
  EXPECT_EQ(relaxed_body("\r\n\r\n"), "");
  EXPECT_EQ(relaxed_body("no final newline"), "no final newline\r\n");
  EXPECT_EQ(relaxed_body("a\r\n\r\nb\r\n"), "a\r\n\r\nb\r\n");
}

TEST(Dkim, SignatureHasTheAgreedShape) {
  auto header = signer().sign(sample_message(), kNow);
  EXPECT_THAT(header, StartsWith("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=acme.example; s=herald;"));
  EXPECT_TRUE(header.ends_with("\r\n"));
  for (auto line : split(header.substr(0, header.size() - 2), '\n')) EXPECT_LE(line.size(), 80u) << line;
  auto tags = tags_of(header);
  EXPECT_EQ(tags["t"], "1767225600");
  EXPECT_EQ(tags.count("l"), 0u);
  EXPECT_EQ(tags["h"],
            "Date:From:To:Subject:Message-ID:MIME-Version:List-Unsubscribe:List-Unsubscribe-Post:Feedback-ID:"
            "Content-Type:From:Subject:List-Unsubscribe:List-Unsubscribe-Post");
}

TEST(Dkim, LibopendkimVerifiesOurSignature) {
  auto message = sample_message();
  auto signed_message = signer().sign(message, std::chrono::system_clock::now()) + message;
  std::string error;
  EXPECT_TRUE(reference::opendkim_verify(signed_message, test_key().dns_txt, &error)) << error;
}

TEST(Dkim, AnyChangeToSignedContentBreaksIt) {
  auto message = sample_message();
  auto header = signer().sign(message, std::chrono::system_clock::now());
  auto verify = [&](const std::string& m) { return reference::opendkim_verify(header + m, test_key().dns_txt); };
  ASSERT_TRUE(verify(message));
  std::string body_changed = message;
  body_changed.replace(body_changed.find("Hello Ann</p>"), 5, "Howdy");
  EXPECT_FALSE(verify(body_changed));
  std::string subject_changed = message;
  subject_changed.replace(subject_changed.find("Subject: "), 9, "Subject: Re: ");
  EXPECT_FALSE(verify(subject_changed));
  // Oversigned: a second From or List-Unsubscribe added on the way fails too.
  EXPECT_FALSE(verify("From: Evil <evil@example.org>\r\n" + message));
  EXPECT_FALSE(verify("List-Unsubscribe: <https://evil.example/x>\r\n" + message));
  // Relaxed: whitespace changes do not.
  std::string rewrapped = message;
  rewrapped.replace(rewrapped.find("Subject: "), 9, "Subject:    ");
  EXPECT_TRUE(verify(rewrapped));
}

TEST(Dkim, AgreesWithLibopendkim) {
  auto message = sample_message();
  reference::OpendkimSigner reference("acme.example", "herald", test_key().private_key_pem, 1767225600);
  auto theirs = tags_of(reference.sign(message));
  auto ours = tags_of(signer().sign(message, kNow));
  EXPECT_EQ(ours["bh"], theirs["bh"]);
  EXPECT_EQ(to_lower_ascii(ours["h"]), to_lower_ascii(theirs["h"]));
  EXPECT_EQ(theirs["c"], "relaxed/relaxed");
  std::string error;
  EXPECT_TRUE(reference::opendkim_verify(reference.sign(message) + message, test_key().dns_txt, &error)) << error;
}

TEST(Dkim, OnlyPresentHeadersAreSignedOnce) {
  std::string message = "From: a@acme.example\r\nTo: b@example.com\r\nX-Other: 1\r\n\r\nbody\r\n";
  auto tags = tags_of(signer().sign(message, kNow));
  EXPECT_EQ(tags["h"], "From:To:From:Subject:List-Unsubscribe:List-Unsubscribe-Post");
  std::string error;
  EXPECT_TRUE(reference::opendkim_verify(signer().sign(message, kNow) + message, test_key().dns_txt, &error)) << error;
}

TEST(Dkim, RefusesWhatCannotBeSigned) {
  EXPECT_THROW(signer().sign("To: b@example.com\r\n\r\nbody", kNow), DkimError);  // no From
  EXPECT_THROW(signer().sign("From: a@acme.example\r\nno end of header", kNow), DkimError);
}

TEST(DkimKeys, GeneratedKeyAndDnsRecord) {
  const auto& key = test_key();
  EXPECT_THAT(key.private_key_pem, StartsWith("-----BEGIN PRIVATE KEY-----"));
  EXPECT_THAT(key.dns_txt, StartsWith("v=DKIM1; k=rsa; p=MIIBIjAN"));  // SubjectPublicKeyInfo of RSA-2048
  EXPECT_EQ(dkim_dns_txt(key.private_key_pem), key.dns_txt);
  EXPECT_EQ(signer().key_bits(), 2048);
  EXPECT_EQ(dkim_dns_name("herald", "acme.example"), "herald._domainkey.acme.example");
}

TEST(DkimKeys, BadKeysDomainsAndSelectorsAreRefused) {
  EXPECT_THROW(DkimSigner({"acme.example", "herald", "not a key"}), DkimError);
  EXPECT_THROW(DkimSigner({"acme example", "herald", test_key().private_key_pem}), DkimError);
  EXPECT_THROW(DkimSigner({"acme.example", "bad selector", test_key().private_key_pem}), DkimError);
  EXPECT_THROW(DkimSigner({"acme.example", "herald", generate_dkim_key(768).private_key_pem}), DkimError);
  try {
    DkimSigner({"acme.example", "herald", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"});
    FAIL();
  } catch (const DkimError& e) {
    EXPECT_THAT(e.what(), HasSubstr("private key"));
  }
}

}  // namespace
}  // namespace herald::mail

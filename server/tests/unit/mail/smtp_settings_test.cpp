#include "mail/smtp_settings.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/errors.hpp"

namespace herald::mail {
namespace {

using ::testing::HasSubstr;

TEST(SmtpUrl, Defaults) {
  auto s = parse_smtp_url("smtp://mail.example.com");
  EXPECT_EQ(s.host, "mail.example.com");
  EXPECT_EQ(s.port, 25);
  EXPECT_EQ(s.tls, TlsMode::Opportunistic);
  EXPECT_TRUE(s.verify_certificate);
  EXPECT_TRUE(s.username.empty());
  auto smtps = parse_smtp_url("smtps://mail.example.com/");
  EXPECT_EQ(smtps.tls, TlsMode::Implicit);
  EXPECT_EQ(smtps.port, 465);
}

TEST(SmtpUrl, CredentialsPortAndOptions) {
  auto s = parse_smtp_url(
      "smtp://us%40er:p%3Ass@word@relay.example:587?starttls=required&tls_verify=false&ca_file=/etc/ca.pem"
      "&helo=herald.example&timeout=5s&connect_timeout=2s&data_timeout=3m&max_messages=100");
  EXPECT_EQ(s.username, "us@er");
  EXPECT_EQ(s.password, "p:ss@word");
  EXPECT_EQ(s.host, "relay.example");
  EXPECT_EQ(s.port, 587);
  EXPECT_EQ(s.tls, TlsMode::Required);
  EXPECT_FALSE(s.verify_certificate);
  EXPECT_EQ(s.ca_file, "/etc/ca.pem");
  EXPECT_EQ(s.helo_name, "herald.example");
  EXPECT_EQ(s.command_timeout, std::chrono::seconds(5));
  EXPECT_EQ(s.connect_timeout, std::chrono::seconds(2));
  EXPECT_EQ(s.data_timeout, std::chrono::minutes(3));
  EXPECT_EQ(s.max_messages_per_connection, 100u);
  EXPECT_EQ(s.describe(), "smtp://us@er@relay.example:587?starttls=required");
  EXPECT_EQ(parse_smtp_url("smtp://h?starttls=never").tls, TlsMode::Never);
}

TEST(SmtpUrl, Ipv6Hosts) {
  auto s = parse_smtp_url("smtp://[::1]:2525");
  EXPECT_EQ(s.host, "::1");
  EXPECT_EQ(s.port, 2525);
  EXPECT_EQ(s.describe(), "smtp://[::1]:2525");
}

TEST(SmtpUrl, BadUrlsNameTheVariable) {
  for (const char* bad :
       {"http://x", "smtp://", "smtp://h:0", "smtp://h:70000", "smtp://h:x", "smtp://h?starttls=maybe",
        "smtps://h?starttls=required", "smtp://h?tls_verify=perhaps", "smtp://h?timeout=1y", "smtp://h?bogus=1",
        "smtp://u:%zz@h", "smtp://[::1", "smtp://h?max_messages=-1", "smtp://u%00:p@h"}) {
    try {
      parse_smtp_url(bad);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const ConfigError& e) {
      EXPECT_EQ(e.variable(), "HERALD_SMTP_URL") << bad;
    }
  }
}

}  // namespace
}  // namespace herald::mail

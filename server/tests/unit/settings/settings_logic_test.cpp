// The settings domain's pure logic: PATCH parsing, domain names, the key box,
// the outbox's header reading.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "core/errors.hpp"
#include "settings/key_box.hpp"
#include "settings/outbox.hpp"
#include "settings/types.hpp"

namespace herald::settings {
namespace {

std::vector<std::string> fields_of(const nlohmann::json& body) {
  try {
    apply_patch({}, body);
  } catch (const ValidationError& e) {
    std::vector<std::string> out;
    for (const auto& f : e.errors()) out.push_back(f.field);
    return out;
  }
  return {};
}

TEST(SettingsPatch, AppliesOnlyWhatTheBodyNames) {
  MailSettings current;
  current.sender = {"Old", "old@acme.example", "r@acme.example"};
  current.domain_limits = {{"gmail.com", 10}};
  auto next = apply_patch(current, {{"sender", {{"from_name", "New"}}}, {"tracking", {{"track_opens", false}}}});
  EXPECT_EQ(next.sender.from_name, "New");
  EXPECT_EQ(next.sender.from_email, "old@acme.example");
  EXPECT_FALSE(next.tracking.track_opens);
  EXPECT_TRUE(next.tracking.track_clicks);
  ASSERT_EQ(next.domain_limits.size(), 1u);
  next = apply_patch(current, {{"sender", {{"reply_to", nullptr}}}, {"domain_limits", nlohmann::json::array()}});
  EXPECT_EQ(next.sender.reply_to, "");
  EXPECT_TRUE(next.domain_limits.empty());
}

TEST(SettingsPatch, NamesEveryBadField) {
  EXPECT_EQ(fields_of({{"sender", {{"from_email", "x"}}}, {"tracking", {{"track_clicks", "no"}}}}),
            (std::vector<std::string>{"sender.from_email", "tracking.track_clicks"}));
  EXPECT_EQ(fields_of({{"domain_limits", {{{"domain", "a.com"}, {"per_minute", 1000001}}}}}),
            std::vector<std::string>{"domain_limits[0].per_minute"});
  EXPECT_EQ(fields_of({{"domain_limits", {{{"domain", "a.com"}, {"per_minute", 1}, {"burst", 2}}}}}),
            std::vector<std::string>{"domain_limits[0].burst"});
  EXPECT_EQ(fields_of({{"smtp", nullptr}}), std::vector<std::string>{"smtp"});
  EXPECT_THROW(apply_patch({}, nlohmann::json::array()), ValidationError);
}

TEST(SettingsPatch, StoredDocumentRoundTrips) {
  MailSettings s;
  s.sender = {"A", "a@b.example", ""};
  s.tracking.track_clicks = false;
  s.domain_limits = {{"gmail.com", 5}, {"yahoo.com", 7}};
  auto back = mail_settings_from_json(nlohmann::json::parse(to_json(s).dump()));
  EXPECT_EQ(to_json(back), to_json(s));
  EXPECT_EQ(to_json(mail_settings_from_json(nlohmann::json::object())), to_json(MailSettings{}));
}

TEST(DomainNames, NormalisedOrRefused) {
  EXPECT_EQ(normalise_domain(" Gmail.COM. "), "gmail.com");
  EXPECT_EQ(normalise_domain("mail-1.acme.example"), "mail-1.acme.example");
  for (auto bad : {"", "localhost", "a..b", ".a.b", "-a.b", "a-.b", "a b.c", "a_b.c", "ä.de"})
    EXPECT_FALSE(normalise_domain(bad)) << bad;
  EXPECT_TRUE(valid_selector("herald-2026_a.b"));
  EXPECT_FALSE(valid_selector(""));
  EXPECT_FALSE(valid_selector("a b"));
  EXPECT_FALSE(valid_selector(".a"));
}

TEST(KeyBox, SealsAndOpensOnlyUnderItsKey) {
  KeyBox box("a secret of some length, 32+ bytes");
  auto sealed = box.seal("-----BEGIN PRIVATE KEY-----\nabc\n");
  EXPECT_TRUE(sealed.starts_with("v1:"));
  EXPECT_EQ(sealed.find("BEGIN"), std::string::npos);
  EXPECT_EQ(box.open(sealed), "-----BEGIN PRIVATE KEY-----\nabc\n");
  EXPECT_NE(box.seal("same"), box.seal("same"));  // a fresh nonce each time
  EXPECT_FALSE(KeyBox("another secret, also long enough").open(sealed));
  auto tampered = sealed;
  tampered[tampered.size() - 2] = tampered[tampered.size() - 2] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(box.open(tampered));
  EXPECT_FALSE(box.open("v2:" + sealed.substr(3)));
  EXPECT_FALSE(box.open("v1:"));
  EXPECT_THROW(KeyBox("short"), std::invalid_argument);
}

TEST(KeyBox, DataDirSecretIsCreatedOncePrivately) {
  auto dir = std::filesystem::temp_directory_path() / ("herald-keybox-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  auto first = data_dir_secret(dir);
  EXPECT_EQ(first.size(), 32u);
  EXPECT_EQ(data_dir_secret(dir), first);
  struct stat st {};
  ASSERT_EQ(::stat((dir / "secret.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::filesystem::remove_all(dir);
}

TEST(Outbox, ReadsSubjectAndCampaignFromTheHeader) {
  auto s = summarise_message(
      "From: a@b.example\r\nSubject: =?UTF-8?B?R3LDvMOfZQ==?=\r\n =?UTF-8?Q?_aus_K=C3=B6ln?=\r\n"
      "Feedback-ID: c42:campaign:herald\r\n\r\nSubject: not this\r\n");
  EXPECT_EQ(s.subject, "Grüße aus Köln");
  EXPECT_EQ(s.campaign_id, 42);
  s = summarise_message("Subject: plain\r\nFeedback-ID: x:y\r\n\r\n");
  EXPECT_EQ(s.subject, "plain");
  EXPECT_FALSE(s.campaign_id);
  EXPECT_EQ(decode_header_text("=?utf-8?q?a_b?= =?utf-8?q?c?= and =?x-unknown?q?d?="), "a bc and =?x-unknown?q?d?=");
  EXPECT_EQ(decode_header_text("=?UTF-8?B?broken"), "=?UTF-8?B?broken");
}

}  // namespace
}  // namespace herald::settings

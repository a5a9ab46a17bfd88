// Settings → Inbound mailbox → Test connection: which mailbox a request
// names, the stored settings filling in what it leaves out, and its field errors.
#include <gtest/gtest.h>

#include <set>

#include <nlohmann/json.hpp>

#include "core/errors.hpp"
#include "settings/interface.hpp"

namespace herald::settings {
namespace {

using nlohmann::json;

const InboundMailbox kStored{true, "imaps://mail.example.com/INBOX", "bounces", "stored-secret", 60};

std::set<std::string> fields_of(const json& body, const InboundMailbox& stored = kStored) {
  try {
    inbound_mailbox_to_test(stored, body);
  } catch (const ValidationError& e) {
    std::set<std::string> out;
    for (const auto& f : e.errors()) out.insert(f.field);
    return out;
  }
  return {};
}

TEST(InboundTestTargetTest, LeftOutFieldsAreTheStoredOnes) {
  auto t = inbound_mailbox_to_test(kStored, json::object());
  EXPECT_EQ(t.imap_url, kStored.imap_url);
  EXPECT_EQ(t.user, "bounces");
  EXPECT_EQ(t.password, "stored-secret") << "the saved mailbox is tested without typing its password";

  t = inbound_mailbox_to_test(kStored, {{"imap_url", " imap://127.0.0.1:1143/Bounces "}, {"user", "other"}});
  EXPECT_EQ(t.imap_url, "imap://127.0.0.1:1143/Bounces");
  EXPECT_EQ(t.user, "other");
  EXPECT_EQ(t.password, "stored-secret");

  t = inbound_mailbox_to_test(kStored, {{"password", "typed"}});
  EXPECT_EQ(t.password, "typed");
  t = inbound_mailbox_to_test(kStored, {{"password", nullptr}});
  EXPECT_EQ(t.password, "") << "null tests without a password";
}

TEST(InboundTestTargetTest, BadInputNamesItsFieldWithoutThePrefix) {
  EXPECT_EQ(fields_of({{"imap_url", "pop3://x"}}), std::set<std::string>{"imap_url"});
  EXPECT_EQ(fields_of({{"imap_url", "imaps://u:p@x/INBOX"}}), std::set<std::string>{"imap_url"});
  EXPECT_EQ(fields_of({{"user", 5}, {"password", false}, {"folder", "x"}}),
            (std::set<std::string>{"user", "password", "folder"}));
  EXPECT_EQ(fields_of({{"user", std::string(400, 'u')}}), std::set<std::string>{"user"});
  EXPECT_EQ(fields_of(json::object(), {}), (std::set<std::string>{"imap_url", "user"})) << "nothing to test";
  EXPECT_EQ(fields_of({{"imap_url", nullptr}}), std::set<std::string>{"imap_url"});
  EXPECT_EQ(fields_of("imaps://x"), std::set<std::string>{"body"});
  EXPECT_EQ(fields_of({{"enabled", true}}), std::set<std::string>{"enabled"}) << "the test changes no setting";
}

}  // namespace
}  // namespace herald::settings

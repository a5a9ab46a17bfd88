// The inbound mailbox settings' PATCH parser and views (pure).
#include <gtest/gtest.h>

#include <set>

#include "settings/inbound.hpp"

namespace herald::settings {
namespace {

std::set<std::string> fields(const ValidationError& e) {
  std::set<std::string> out;
  for (const auto& f : e.errors()) out.insert(f.field);
  return out;
}

TEST(InboundSettingsTest, PatchSetsWhatItNamesAndThePasswordApart) {
  ValidationError errors;
  auto p = apply_inbound_patch({},
                               {{"imap_url", " imaps://mail.example.com/INBOX "},
                                {"user", "b@example.com"},
                                {"password", " pass with blanks "},
                                {"enabled", true}},
                               errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(p.next.imap_url, "imaps://mail.example.com/INBOX");
  EXPECT_TRUE(p.next.enabled);
  EXPECT_EQ(p.next.poll_interval_s, 60);
  ASSERT_TRUE(p.password.has_value());
  EXPECT_EQ(*p.password, " pass with blanks ") << "a password keeps its blanks";
  const auto view = to_view_json(InboundSettings{true, "imap://h/INBOX", "u", "sealed", 15});
  EXPECT_EQ(view["password_set"], true);
  EXPECT_FALSE(view.contains("password"));
  EXPECT_FALSE(view.contains("password_sealed"));
  const auto back = inbound_settings_from_json(to_stored_json(InboundSettings{true, "imap://h/INBOX", "u", "s", 15}));
  EXPECT_EQ(back.password_sealed, "s");
  EXPECT_EQ(back.poll_interval_s, 15);
}

TEST(InboundSettingsTest, BadValuesNameTheirField) {
  ValidationError errors;
  apply_inbound_patch({}, {{"imap_url", "https://x"}, {"poll_interval_s", 86401}, {"user", 3}, {"password", "a\nb"}},
                      errors);
  EXPECT_EQ(fields(errors),
            (std::set<std::string>{"inbound.imap_url", "inbound.poll_interval_s", "inbound.user", "inbound.password"}));
  ValidationError enable;
  apply_inbound_patch({}, {{"enabled", true}}, enable);
  EXPECT_EQ(fields(enable), (std::set<std::string>{"inbound.imap_url", "inbound.user"}));
  ValidationError creds;
  apply_inbound_patch({}, {{"imap_url", "imap://u:p@host/INBOX"}}, creds);
  EXPECT_EQ(fields(creds), (std::set<std::string>{"inbound.imap_url"}));
  ValidationError shape;
  apply_inbound_patch({}, nlohmann::json::array(), shape);
  EXPECT_EQ(fields(shape), (std::set<std::string>{"inbound"}));
}

}  // namespace
}  // namespace herald::settings

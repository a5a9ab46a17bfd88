// The templates domain's pure logic: request parsing, the mapping of
// template issues to field errors, search patterns.
#include <gtest/gtest.h>

#include "core/errors.hpp"
#include "mail/dkim.hpp"
#include "templates/service.hpp"
#include "templates/store.hpp"
#include "templates/test_mail.hpp"
#include "templates/types.hpp"

namespace herald::templates {
namespace {

std::vector<std::string> fields_of(const nlohmann::json& body, bool creating) {
  try {
    parse_template_input(body, creating);
  } catch (const ValidationError& e) {
    std::vector<std::string> out;
    for (const auto& f : e.errors()) out.push_back(f.field);
    return out;
  }
  return {};
}

TEST(TemplateInput, RequiredOnCreateAnyOnUpdate) {
  EXPECT_EQ(fields_of(nlohmann::json::object(), true), (std::vector<std::string>{"name", "subject", "html"}));
  EXPECT_EQ(fields_of({{"subject", "s"}}, false), std::vector<std::string>{});
  EXPECT_EQ(fields_of(nlohmann::json::object(), false), std::vector<std::string>{"body"});
  EXPECT_EQ(fields_of({{"name", "n"}, {"subject", "s"}, {"html", "h"}, {"extra", 1}}, true),
            std::vector<std::string>{"extra"});
  auto in = parse_template_input({{"name", "  Padded  "}, {"text", nullptr}}, false);
  EXPECT_EQ(in.name, "Padded");
  EXPECT_EQ(in.text, "");
}

TEST(TemplateInput, IssuesBecomeFieldErrorsWithLineAndColumn) {
  try {
    compile_checked({"Hi {{nope}}", "<p>\n {{frist_name}}</p>", ""});
    FAIL() << "compiled";
  } catch (const ValidationError& e) {
    ASSERT_EQ(e.errors().size(), 2u);
    EXPECT_EQ(e.errors()[0].field, "subject");
    EXPECT_EQ(e.errors()[0].message.rfind("line 1, column 4: unknown variable nope", 0), 0u) << e.errors()[0].message;
    EXPECT_EQ(e.errors()[1].field, "html");
    EXPECT_EQ(e.errors()[1].message, "line 2, column 2: unknown variable frist_name (did you mean first_name?)");
  }
  EXPECT_NO_THROW(compile_checked({"{{first_name|there}}", "<p>{{custom.plan}}</p>", ""}));
}

TEST(TemplateInput, PreviewRequests) {
  EXPECT_EQ(parse_preview_request(nlohmann::json::object()).lead_id, std::nullopt);
  EXPECT_EQ(parse_preview_request({{"lead_id", 5}}).lead_id, 5);
  EXPECT_THROW(parse_preview_request({{"lead_id", -1}}), ValidationError);
  EXPECT_THROW(parse_preview_request({{"lead_id", 1.5}}), ValidationError);
  auto d = parse_draft_preview_request({{"subject", "s"}, {"html", "h"}});
  EXPECT_EQ(d.text, "");
  EXPECT_THROW(parse_draft_preview_request({{"subject", "s"}}), ValidationError);
}

std::vector<std::string> test_fields(const nlohmann::json& body) {
  try {
    parse_test_request(body);
  } catch (const ValidationError& e) {
    std::vector<std::string> out;
    for (const auto& f : e.errors()) out.push_back(f.field);
    return out;
  }
  return {};
}

TEST(TemplateTest, RequestsNormaliseAddressesAndNameEachBadOne) {
  auto ok = parse_test_request({{"emails", {"Qa@Example.NET", "qa@example.net", "boss@example.net"}}, {"lead_id", 3}});
  EXPECT_EQ(ok.emails, (std::vector<std::string>{"qa@example.net", "boss@example.net"}));
  EXPECT_EQ(ok.lead_id, 3);
  EXPECT_EQ(parse_test_request({{"emails", {"qa@example.net"}}}).lead_id, std::nullopt);
  EXPECT_EQ(test_fields(nlohmann::json::object()), std::vector<std::string>{"emails"});
  EXPECT_EQ(test_fields({{"emails", nlohmann::json::array()}}), std::vector<std::string>{"emails"});
  nlohmann::json eleven = nlohmann::json::array();
  for (int i = 0; i < 11; ++i) eleven.push_back("a" + std::to_string(i) + "@example.net");
  EXPECT_EQ(test_fields({{"emails", eleven}}), std::vector<std::string>{"emails"});
  EXPECT_EQ(test_fields({{"emails", {"a@example.net", "nope", 7}}}),
            (std::vector<std::string>{"emails[1]", "emails[2]"}));
  EXPECT_EQ(test_fields({{"emails", {"a@example.net"}}, {"lead_id", -2}}), std::vector<std::string>{"lead_id"});
  EXPECT_EQ(test_fields({{"emails", {"a@example.net"}}, {"cc", "x"}}), std::vector<std::string>{"cc"});
}

TEST(TemplateTest, MessageIsMarkedSignedAndGoesOnlyToTheGivenAddress) {
  static const auto key = mail::generate_dkim_key(2048);
  mail::DkimSigner signer{{"acme.example", "herald", key.private_key_pem}};
  Rendered content{"Hi Ada", "<p>Hello Ada</p>", "Hello Ada\n"};
  settings::Sender sender{"Acme", "sales@acme.example", "replies@acme.example"};
  const auto now = std::chrono::system_clock::now();
  auto m = compose_test_mail(42, content, sender, "qa@example.net", "https://h.example/u/preview", &signer, now);
  EXPECT_EQ(m.rcpt_to, "qa@example.net");
  EXPECT_EQ(m.mail_from, "sales@acme.example");
  EXPECT_TRUE(m.data.starts_with("DKIM-Signature:")) << m.data.substr(0, 80);
  EXPECT_NE(m.data.find("Subject: [Test] Hi Ada\r\n"), std::string::npos) << m.data;
  EXPECT_NE(m.data.find("X-Herald-Test: template/42\r\n"), std::string::npos);
  EXPECT_NE(m.data.find("List-Unsubscribe: <https://h.example/u/preview>"), std::string::npos) << m.data;
  EXPECT_NE(m.data.find("Reply-To: <replies@acme.example>"), std::string::npos) << m.data;
  EXPECT_NE(m.data.find("Message-ID: " + m.message_id), std::string::npos);
  auto unsigned_message =
      compose_test_mail(42, content, sender, "qa@example.net", "https://h.example/u/preview", nullptr, now);
  EXPECT_EQ(unsigned_message.data.find("DKIM-Signature:"), std::string::npos);
}

TEST(TemplateSearch, LikePatternEscapesWildcards) {
  EXPECT_EQ(like_pattern("Ab"), "%ab%");
  EXPECT_EQ(like_pattern("100%_x\\"), "%100\\%\\_x\\\\%");
}

}  // namespace
}  // namespace herald::templates

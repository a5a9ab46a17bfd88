// The templates domain's pure logic: request parsing, the mapping of
// template issues to field errors, search patterns.
#include <gtest/gtest.h>

#include "core/errors.hpp"
#include "templates/service.hpp"
#include "templates/store.hpp"
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

TEST(TemplateSearch, LikePatternEscapesWildcards) {
  EXPECT_EQ(like_pattern("Ab"), "%ab%");
  EXPECT_EQ(like_pattern("100%_x\\"), "%100\\%\\_x\\\\%");
}

}  // namespace
}  // namespace herald::templates

#include "mail/template.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

namespace herald::mail {
namespace {

using ::testing::HasSubstr;

RenderedContent render(const TemplateSource& src, const Variables& vars) {
  return CompiledTemplate::compile(src).render(vars);
}

std::vector<TemplateIssue> issues_of(const TemplateSource& src) { return CompiledTemplate::validate(src); }

TEST(Template, RendersLeadFieldsAndCustomFields) {
  Variables v;
  v.set("first_name", "Ann");
  v.set("company", "Acme");
  v.set_custom("plan", "pro");
  auto out = render({"Hello {{first_name}}", "<p>{{company}} is on {{custom.plan}}</p>", "Plan: {{custom.plan}}"}, v);
  EXPECT_EQ(out.subject, "Hello Ann");
  EXPECT_EQ(out.html, "<p>Acme is on pro</p>");
  EXPECT_EQ(out.text, "Plan: pro");
}

TEST(Template, DefaultReplacesEmptyAndMissingValues) {
  TemplateSource src{"Hi {{first_name|there}}", "<p>Hi {{ first_name | there }}, {{custom.plan|free}}</p>", "x"};
  auto tpl = CompiledTemplate::compile(src);
  Variables empty;
  empty.set("first_name", "");
  EXPECT_EQ(tpl.render(empty).subject, "Hi there");
  EXPECT_EQ(tpl.render(empty).html, "<p>Hi there, free</p>");
  Variables missing;
  EXPECT_EQ(tpl.render(missing).subject, "Hi there");
  Variables set;
  set.set("first_name", "Bo");
  set.set_custom("plan", "team");
  EXPECT_EQ(tpl.render(set).subject, "Hi Bo");
  EXPECT_EQ(tpl.render(set).html, "<p>Hi Bo, team</p>");
}

TEST(Template, SectionFormOfADefault) {
  TemplateSource src{"s", "<p>Hi {{#first_name}}{{first_name}}{{/first_name}}{{^first_name}}there{{/first_name}}</p>",
                     "t"};
  auto tpl = CompiledTemplate::compile(src);
  Variables none;
  EXPECT_EQ(tpl.render(none).html, "<p>Hi there</p>");
  Variables ann;
  ann.set("first_name", "Ann");
  EXPECT_EQ(tpl.render(ann).html, "<p>Hi Ann</p>");
}

TEST(Template, HtmlIsEscapedButTextAndSubjectAreNot) {
  Variables v;
  v.set("company", "<b>Tom & \"Jerry's\"</b>");
  auto out = render({"{{company}}", "<p>{{company}}</p>", "{{company}}"}, v);
  EXPECT_EQ(out.html, "<p>&lt;b&gt;Tom &amp; &quot;Jerry&#39;s&quot;&lt;/b&gt;</p>");
  EXPECT_EQ(out.text, "<b>Tom & \"Jerry's\"</b>");
  EXPECT_EQ(out.subject, "<b>Tom & \"Jerry's\"</b>");
}

TEST(Template, TripleMustacheIsNotEscaped) {
  Variables v;
  v.set_custom("snippet", "<em>hi</em>");
  auto out = render({"s", "<p>{{{custom.snippet}}} {{&custom.snippet}}</p>", "t"}, v);
  EXPECT_EQ(out.html, "<p><em>hi</em> <em>hi</em></p>");
}

TEST(Template, DefaultsAreEscapedLikeTheValueTheyStandFor) {
  auto out = render(
      {"{{company|Smith & Co}}", "<p>{{company|Smith & Co}} {{{company|<i>x</i>}}}</p>", "{{company|Smith & Co}}"},
      Variables());
  EXPECT_EQ(out.html, "<p>Smith &amp; Co <i>x</i></p>");
  EXPECT_EQ(out.text, "Smith & Co");
  EXPECT_EQ(out.subject, "Smith & Co");
}

TEST(Template, ValuesAreNeverParsedAsTemplates) {
  Variables v;
  v.set("first_name", "{{email}}");
  v.set("email", "secret@example.com");
  EXPECT_EQ(render({"{{first_name}}", "h", "t"}, v).subject, "{{email}}");
}

TEST(Template, SubjectIsOneLine) {
  Variables v;
  v.set("company", "Acme\r\nInc\tLtd");
  EXPECT_EQ(render({"  News from {{company}}\n", "h", "t"}, v).subject, "News from Acme Inc Ltd");
}

TEST(Template, UnknownVariablesAreListedWithPositions) {
  auto issues = issues_of({"Hi {{frist_name}}", "<p>\n  ok {{first_name}}\n  {{ plan }}</p>", "{{custom.plan}}"});
  ASSERT_EQ(issues.size(), 2u);
  EXPECT_EQ(issues[0].part, "subject");
  EXPECT_EQ(issues[0].name, "frist_name");
  EXPECT_EQ(issues[0].line, 1u);
  EXPECT_EQ(issues[0].column, 4u);
  EXPECT_THAT(issues[0].message, HasSubstr("unknown variable frist_name"));
  EXPECT_THAT(issues[0].message, HasSubstr("did you mean first_name?"));
  EXPECT_EQ(issues[1].part, "html");
  EXPECT_EQ(issues[1].name, "plan");
  EXPECT_EQ(issues[1].line, 3u);
  EXPECT_EQ(issues[1].column, 3u);
}

TEST(Template, ColumnsCountCharactersNotBytes) {
  auto issues = issues_of({"Grüße {{nope}}", "h", "t"});
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].column, 7u);
}

TEST(Template, CompileThrowsEveryIssue) {
  try {
    CompiledTemplate::compile({"{{a}}", "{{b}}", "{{c}}"});
    FAIL() << "compiled";
  } catch (const TemplateError& e) {
    ASSERT_EQ(e.issues().size(), 3u);
    EXPECT_EQ(e.issues()[2].part, "text");
    EXPECT_THAT(e.what(), HasSubstr("subject line 1, column 1"));
  }
}

TEST(Template, CustomFieldNamesAreChecked) {
  EXPECT_TRUE(issues_of({"{{custom.plan_2}}", "", "x"}).empty());
  auto bad = issues_of({"{{custom.bad-key}} {{custom}} {{custom.a.b}}", "", "x"});
  ASSERT_EQ(bad.size(), 3u);
  EXPECT_THAT(bad[0].message, HasSubstr("not a custom field name"));
  EXPECT_THAT(bad[1].message, HasSubstr("custom.<field>"));
}

TEST(Template, SystemVariablesAreKnown) {
  EXPECT_TRUE(
      issues_of({"{{campaign_name}}", "<a href=\"{{unsubscribe_url}}\">x</a> {{from_name}} {{from_email}}", "x"})
          .empty());
}

TEST(Template, ListsIterateAndCannotBePrintedWhole) {
  Variables v;
  v.set_list("tags", {"vip", "beta"});
  EXPECT_EQ(render({"s", "{{#tags}}[{{.}}]{{/tags}}", "t"}, v).html, "[vip][beta]");
  auto issues = issues_of({"{{tags}}", "", "x"});
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_THAT(issues[0].message, HasSubstr("tags is a list"));
}

TEST(Template, StructureErrorsAreReported) {
  auto unclosed = issues_of({"s", "<p>{{#first_name}}hi</p>", "x"});
  ASSERT_EQ(unclosed.size(), 1u);
  EXPECT_THAT(unclosed[0].message, HasSubstr("never closed"));
  auto mismatched = issues_of({"s", "{{#first_name}}{{#company}}x{{/first_name}}{{/company}}", "x"});
  ASSERT_FALSE(mismatched.empty());
  EXPECT_THAT(mismatched[0].message, HasSubstr("does not close {{#company}}"));
  auto stray = issues_of({"{{/company}}", "", "x"});
  ASSERT_EQ(stray.size(), 1u);
  EXPECT_THAT(stray[0].message, HasSubstr("closes no section"));
  auto open_tag = issues_of({"s", "<p>Hi {{first_name</p>", "x"});
  ASSERT_EQ(open_tag.size(), 1u);
  EXPECT_THAT(open_tag[0].message, HasSubstr("never closed"));
  EXPECT_EQ(open_tag[0].column, 7u);
}

TEST(Template, PartialsDelimitersAndStrayDotsAreRefused) {
  auto issues = issues_of({"{{> header}}", "{{=<% %>=}}", "{{.}}"});
  ASSERT_EQ(issues.size(), 3u);
  EXPECT_THAT(issues[0].message, HasSubstr("partials"));
  EXPECT_THAT(issues[1].message, HasSubstr("delimiters"));
  EXPECT_THAT(issues[2].message, HasSubstr("inside a section"));
}

TEST(Template, DefaultsBelongOnVariables) {
  auto issues = issues_of({"{{#first_name|x}}y{{/first_name}}", "", "x"});
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_THAT(issues[0].message, HasSubstr("not on a section"));
}

TEST(Template, CommentsRenderNothing) {
  EXPECT_EQ(render({"a{{! note to self }}b", "h", "t"}, Variables()).subject, "ab");
}

TEST(Template, TextIsGeneratedFromHtmlWhenEmpty) {
  Variables v;
  v.set("first_name", "Ann & Bo");
  v.set("unsubscribe_url", "https://h.example/u/T");
  TemplateSource src{"s",
                     "<html><head><style>p{}</style></head><body><p>Hi {{first_name|there}},</p>"
                     "<p>Read <a href=\"https://example.com/a?x=1&amp;y=2\">the post</a>.</p>"
                     "<p><a href=\"{{unsubscribe_url}}\">Unsubscribe</a></p></body></html>",
                     ""};
  auto tpl = CompiledTemplate::compile(src);
  EXPECT_EQ(tpl.text_source(),
            "Hi {{first_name|there}},\n\nRead the post (https://example.com/a?x=1&y=2).\n\n"
            "Unsubscribe ({{unsubscribe_url}})\n");
  auto out = tpl.render(v);
  EXPECT_EQ(out.text,
            "Hi Ann & Bo,\n\nRead the post (https://example.com/a?x=1&y=2).\n\nUnsubscribe (https://h.example/u/T)\n");
  EXPECT_THAT(out.html, HasSubstr("Hi Ann &amp; Bo,"));
}

TEST(Template, GeneratedTextKeepsListSectionsTidy) {
  Variables v;
  v.set_list("tags", {"vip", "beta"});
  auto out = render({"s", "<p>Your tags:</p><ul>{{#tags}}<li>{{.}}</li>{{/tags}}</ul><p>Bye</p>", ""}, v);
  EXPECT_EQ(out.text, "Your tags:\n\n- vip\n- beta\n\nBye\n");
}

TEST(Template, CustomFieldValuesOfEveryJsonType) {
  Variables v;
  v.set_custom_json("seats", 42);
  v.set_custom_json("ratio", 0.5);
  v.set_custom_json("vip", true);
  v.set_custom_json("trial", false);
  v.set_custom_json("note", nullptr);
  auto out =
      render({"{{custom.seats}} {{custom.ratio}} {{custom.vip}} {{custom.trial|no}} {{custom.note|-}}", "h", "t"}, v);
  EXPECT_EQ(out.subject, "42 0.5 true no -");
  auto sections = render({"{{#custom.vip}}VIP{{/custom.vip}}{{^custom.trial}} paid{{/custom.trial}}", "h", "t"}, v);
  EXPECT_EQ(sections.subject, "VIP paid");
}

TEST(Template, VariablesFromALeadsJson) {
  auto lead = nlohmann::json{{"id", 7},
                             {"email", "ann@example.com"},
                             {"first_name", "Ann"},
                             {"last_name", nullptr},
                             {"score", 80},
                             {"tags", {"a", "b"}},
                             {"custom_fields", {{"plan", "pro"}, {"seats", 3}}}};
  auto v = Variables::from_lead(lead);
  auto out = render({"{{id}} {{first_name}} {{last_name|-}} {{score}} {{custom.plan}} {{custom.seats}} "
                     "{{#tags}}{{.}}{{/tags}} {{email}}",
                     "h", "t"},
                    v);
  EXPECT_EQ(out.subject, "7 Ann - 80 pro 3 ab ann@example.com");
}

TEST(Template, ACustomVariableSetNarrowsWhatIsAllowed) {
  VariableSet only;
  only.values = {"name"};
  only.custom_fields = false;
  EXPECT_TRUE(CompiledTemplate::validate({"{{name}}", "", "x"}, only).empty());
  EXPECT_EQ(CompiledTemplate::validate({"{{first_name}} {{custom.plan}}", "", "x"}, only).size(), 2u);
}

TEST(Template, OneTemplateRendersConcurrently) {
  auto tpl = CompiledTemplate::compile({"Hi {{first_name|there}}", "<p>{{first_name}} at {{company}}</p>", ""});
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        Variables v;
        std::string name = "n" + std::to_string(t) + "_" + std::to_string(i);
        v.set("first_name", name);
        v.set("company", "c");
        auto out = tpl.render(v);
        if (out.subject != "Hi " + name || out.html != "<p>" + name + " at c</p>") ++wrong;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace herald::mail

// The built-in message check: each rule passing and failing, the text
// measures, and the whole analysis.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "advisor/analysis.hpp"
#include "advisor/rules.hpp"

namespace herald::advisor {
namespace {

const std::string kUnsub = R"(<p><a href="{{unsubscribe_url}}">Unsubscribe</a></p>)";

Measured html_message(std::string subject, std::string html) {
  return measure({std::move(subject), std::move(html), ""});
}

std::string words(int n, std::string_view word = "plain") {
  std::string out;
  for (int i = 0; i < n; ++i) out += std::string(word) + (i % 8 == 7 ? ". " : " ");
  return out;
}

bool has_rule(const Analysis& a, std::string_view rule) {
  return std::any_of(a.findings.begin(), a.findings.end(), [&](const Finding& f) { return f.rule == rule; });
}

TEST(SpamPhrases, CaseInsensitiveAndWordBounded) {
  EXPECT_EQ(find_spam_phrases("ACT NOW to claim your Free Gift"), (std::vector<std::string>{"act now", "free gift"}));
  EXPECT_TRUE(find_spam_phrases("reacting nowhere, the winners' freedom").empty());  // "act now" inside words
  EXPECT_EQ(find_spam_phrases("You are a winner."), std::vector<std::string>{"winner"});
  EXPECT_TRUE(find_spam_phrases("a winnerless race").empty());
  EXPECT_EQ(find_spam_phrases("it is 100% free!"), std::vector<std::string>{"100% free"});
  EXPECT_GE(spam_phrases().size(), 40u);
}

TEST(SpamPhrases, RuleFlagsSubjectAndBody) {
  auto clean = html_message("Notes from our call", "<p>Thanks for the call.</p>");
  EXPECT_TRUE(rule_spam_phrases(clean).empty());
  auto subject = rule_spam_phrases(html_message("URGENT: act now", "<p>Hello</p>"));
  ASSERT_EQ(subject.size(), 1u);
  EXPECT_EQ(subject[0].severity, Severity::Warning);
  EXPECT_NE(subject[0].message.find("\"act now\""), std::string::npos);
  auto body = rule_spam_phrases(html_message("Hi", "<p>Click here, buy now, make money!</p>"));
  ASSERT_EQ(body.size(), 1u);
  EXPECT_EQ(body[0].severity, Severity::Error);  // three phrases
}

TEST(SubjectLength, TooShortTooLongAndEmpty) {
  EXPECT_TRUE(rule_subject_length(html_message("A question about Acme", "")).empty());
  EXPECT_EQ(rule_subject_length(html_message("", ""))[0].severity, Severity::Error);
  EXPECT_EQ(rule_subject_length(html_message("Hi", ""))[0].severity, Severity::Warning);
  EXPECT_EQ(rule_subject_length(html_message(std::string(61, 'a'), "")).size(), 1u);
  EXPECT_TRUE(rule_subject_length(html_message(std::string(60, 'a'), "")).empty());
  // Characters, not bytes: 20 "é" are 40 bytes.
  std::string accented;
  for (int i = 0; i < 20; ++i) accented += "\xC3\xA9";
  EXPECT_TRUE(rule_subject_length(html_message(accented, "")).empty());
  EXPECT_EQ(html_message(accented, "").facts.subject_length, 20u);
}

TEST(Capitals, ShoutingSubjectAndBody) {
  EXPECT_TRUE(rule_capitals(html_message("Quick question for ACME", "<p>Hello there, how are you</p>")).empty());
  auto subject = rule_capitals(html_message("READ THIS RIGHT AWAY", "<p>hello</p>"));
  ASSERT_EQ(subject.size(), 1u);
  EXPECT_NE(subject[0].message.find("subject"), std::string::npos);
  EXPECT_EQ(rule_capitals(html_message("Fine subject", "<p>THIS WHOLE BODY SHOUTS AT YOU</p>")).size(), 1u);
  EXPECT_TRUE(rule_capitals(html_message("OK IBM", "")).empty());  // too few letters to judge
}

TEST(Punctuation, RunsOfBangsAndQuestionMarks) {
  EXPECT_TRUE(rule_punctuation(html_message("Really? Yes!", "<p>Fine!</p>")).empty());
  auto f = rule_punctuation(html_message("Last chance!!!", "<p>What?!?</p>"));
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].severity, Severity::Warning);
  EXPECT_EQ(f[1].severity, Severity::Info);
}

TEST(Links, CountAndRatio) {
  std::string few = "<p>" + words(60) + "<a href=\"https://a.example\">a</a> <a href=\"https://b.example\">b</a></p>";
  auto ok = html_message("Subject line", few);
  EXPECT_EQ(ok.facts.link_count, 2u);
  EXPECT_TRUE(rule_links(ok).empty());
  std::string dense = "<p>see <a href=\"https://a.example\">a</a> and <a href=\"https://b.example\">b</a></p>";
  EXPECT_EQ(rule_links(html_message("Subject line", dense)).size(), 1u);
  std::string many = "<p>" + words(400);
  for (int i = 0; i < 11; ++i) many += "<a href=\"https://x.example/" + std::to_string(i) + "\">x</a> ";
  auto f = rule_links(html_message("Subject line", many + "</p>"));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].message.find("11 links"), std::string::npos);
  // A text-only message counts its URLs.
  EXPECT_EQ(measure({"s", "", "see https://a.example and http://b.example"}).facts.link_count, 2u);
}

TEST(Images, CountAndTextRatio) {
  auto text_rich = html_message("Subject line", "<p>" + words(120) + "</p><img src=\"a.png\" alt=\"\">");
  EXPECT_EQ(text_rich.facts.image_count, 1u);
  EXPECT_TRUE(rule_images(text_rich).empty());
  auto only = rule_images(html_message("Subject line", "<img src=\"a.png\"><img src=\"b.png\">"));
  ASSERT_EQ(only.size(), 1u);
  EXPECT_EQ(only[0].severity, Severity::Error);
  auto thin = rule_images(html_message("Subject line", "<p>" + words(20) + "</p><img src=a.png>"));
  ASSERT_EQ(thin.size(), 1u);
  EXPECT_EQ(thin[0].severity, Severity::Warning);
  EXPECT_TRUE(rule_images(html_message("s", "<p>no pictures</p>")).empty());
}

TEST(Unsubscribe, TagOrLinkRequired) {
  EXPECT_TRUE(rule_unsubscribe(html_message("s", kUnsub)).empty());
  EXPECT_TRUE(rule_unsubscribe(html_message("s", "<a href=\"https://x.example/unsubscribe?u=1\">here</a>")).empty());
  EXPECT_TRUE(rule_unsubscribe(html_message("s", "<a href=\"https://x.example/prefs\">Unsubscribe</a>")).empty());
  EXPECT_TRUE(rule_unsubscribe(measure({"s", "", "Stop: {{unsubscribe_url}}"})).empty());
  auto f = rule_unsubscribe(html_message("s", "<p>Hello <a href=\"https://x.example\">site</a></p>"));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::Error);
}

TEST(MergeTags, UnknownVariablesNamedWithPosition) {
  auto ok = html_message("Hi {{first_name|there}}", "<p>{{custom.plan}} {{#tags}}{{.}}{{/tags}}</p>");
  EXPECT_TRUE(rule_merge_tags(ok).empty());
  EXPECT_EQ(ok.facts.merge_tags, (std::vector<std::string>{"custom.plan", "first_name", "tags"}));
  auto bad = html_message("Hi {{frist_name}}", "<p>{{compnay}}</p>");
  auto f = rule_merge_tags(bad);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].severity, Severity::Error);
  EXPECT_NE(f[0].message.find("subject line 1, column 4: unknown variable frist_name (did you mean first_name?)"),
            std::string::npos)
      << f[0].message;
  EXPECT_EQ(bad.facts.unknown_tags, (std::vector<std::string>{"compnay", "frist_name"}));
  EXPECT_EQ(rule_merge_tags(html_message("Hi {{first_name", "")).size(), 1u);  // never closed
}

TEST(Readability, TextMeasures) {
  EXPECT_EQ(syllables_of("cat"), 1u);
  EXPECT_EQ(syllables_of("make"), 1u);
  EXPECT_EQ(syllables_of("table"), 2u);
  EXPECT_EQ(syllables_of("communication"), 5u);
  EXPECT_EQ(sentences_of("One. Two! Three? four"), 4u);
  EXPECT_EQ(words_of("don't stop, it's fine").size(), 4u);
  EXPECT_LT(flesch_kincaid_grade("The cat sat on the mat. The dog ran."), 2.0);
  EXPECT_DOUBLE_EQ(flesch_kincaid_grade(""), 0.0);
}

TEST(Readability, DenseProseIsFlaggedPlainIsNot) {
  std::string plain;
  for (int i = 0; i < 8; ++i) plain += "We met last week. I liked your talk a lot. Can we chat soon? ";
  EXPECT_TRUE(rule_readability(measure({"s", "", plain})).empty());
  std::string dense;
  for (int i = 0; i < 4; ++i)
    dense +=
        "Organisational transformation necessitates comprehensive infrastructural modernisation, "
        "facilitating interdepartmental collaboration and operational effectiveness considerations. ";
  auto f = rule_readability(measure({"s", "", dense}));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::Warning);
  EXPECT_TRUE(rule_readability(measure({"s", "", "Utilisation considerations."})).empty());  // too few words
  // The formula gives -1.4 for "Hi there." (2 words, 2 syllables): clamped at grade 0.
  EXPECT_LT(flesch_kincaid_grade("Hi there."), -1.0);
  EXPECT_EQ(measure({"s", "", "Hi there."}).facts.readability_grade, 0.0);
  EXPECT_EQ(measure({"s", "<p>Hi. Yes. Go.</p>", ""}).facts.readability_grade, 0.0);
}

TEST(Personalisation, AnyLeadVariableCounts) {
  EXPECT_TRUE(rule_personalisation(html_message("Hi {{first_name}}", "")).empty());
  EXPECT_TRUE(rule_personalisation(html_message("Hi", "<p>{{custom.plan}}</p>")).empty());
  auto f = rule_personalisation(html_message("Hi", "<p>From {{from_name}} {{unsubscribe_url}}</p>"));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::Info);
}

TEST(Analyze, GoodMessageScoresHighSpammyOneLow) {
  std::string body =
      "<p>Hi {{first_name|there}},</p><p>I saw that {{company}} is hiring engineers. We help teams "
      "like yours review code faster. Would a short call next week be useful?</p>" +
      kUnsub;
  auto good = analyze_message({"A question about hiring at {{company}}", body, ""});
  EXPECT_GE(good.score, 90) << nlohmann::json(to_json(good)).dump();
  EXPECT_TRUE(good.facts.personalised);
  auto spammy = analyze_message({"FREE MONEY!!! ACT NOW", "<p>Click here to make money</p>", ""});
  EXPECT_LT(spammy.score, 50);
  EXPECT_TRUE(has_rule(spammy, "spam_phrases"));
  EXPECT_TRUE(has_rule(spammy, "unsubscribe"));
  EXPECT_EQ(spammy.findings.front().severity, Severity::Error);  // errors first
  auto json = to_json(spammy);
  EXPECT_EQ(json["score"], spammy.score);
  EXPECT_EQ(json["findings"][0]["severity"], "error");
  EXPECT_TRUE(json["facts"].contains("readability_grade"));
  EXPECT_EQ(score_of({}), 100);
  EXPECT_EQ(score_of(std::vector<Finding>(5, Finding{"x", Severity::Error, ""})), 0);
}

}  // namespace
}  // namespace herald::advisor

namespace herald::advisor {
namespace {

TEST(SubjectAnalysis, JudgesOnlyWhatASubjectLineHas) {
  const auto shouting = analyze_subject("FREE MONEY!!! Act now");
  std::set<std::string> rules;
  for (const auto& f : shouting.findings) rules.insert(f.rule);
  EXPECT_TRUE(rules.contains("spam_phrases"));
  EXPECT_TRUE(rules.contains("punctuation"));
  // No body: nothing about links, images, unsubscribing or readability.
  for (const char* body_rule : {"links", "images", "unsubscribe", "readability"})
    EXPECT_FALSE(rules.contains(body_rule)) << body_rule;
  EXPECT_LT(shouting.score, analyze_subject("A question about your reporting, {{first_name}}").score);
}

}  // namespace
}  // namespace herald::advisor

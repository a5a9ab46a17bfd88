#include "advisor/analysis.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "advisor/rules.hpp"

namespace herald::advisor {

std::string_view to_string(Severity s) {
  switch (s) {
    case Severity::Error:
      return "error";
    case Severity::Warning:
      return "warning";
    case Severity::Info:
      break;
  }
  return "info";
}

int score_of(const std::vector<Finding>& findings) {
  int score = 100;
  for (const auto& f : findings) score -= f.severity == Severity::Error ? 25 : f.severity == Severity::Warning ? 10 : 2;
  return std::max(score, 0);
}

namespace {

using Rule = std::vector<Finding> (*)(const Measured&);

Analysis analyze(const MessageParts& message, std::initializer_list<Rule> rules) {
  Measured m = measure(message);
  Analysis a;
  for (auto* rule : rules) {
    auto found = rule(m);
    a.findings.insert(a.findings.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
  }
  // Errors first, then warnings, then notes; a rule's findings keep their order.
  std::stable_sort(a.findings.begin(), a.findings.end(),
                   [](const Finding& x, const Finding& y) { return x.severity > y.severity; });
  a.score = score_of(a.findings);
  a.facts = std::move(m.facts);
  return a;
}

}  // namespace

Analysis analyze_message(const MessageParts& message) {
  return analyze(message, {rule_spam_phrases, rule_subject_length, rule_capitals, rule_punctuation, rule_links,
                           rule_images, rule_unsubscribe, rule_merge_tags, rule_readability, rule_personalisation});
}

Analysis analyze_subject(std::string_view subject) {
  return analyze(MessageParts{std::string(subject), "", ""},
                 {rule_spam_phrases, rule_subject_length, rule_capitals, rule_punctuation, rule_merge_tags});
}

nlohmann::json to_json(const Analysis& analysis) {
  auto findings = nlohmann::json::array();
  for (const auto& f : analysis.findings)
    findings.push_back({{"rule", f.rule}, {"severity", to_string(f.severity)}, {"message", f.message}});
  const auto& f = analysis.facts;
  return {{"score", analysis.score},
          {"findings", std::move(findings)},
          {"facts",
           {{"subject_length", f.subject_length},
            {"word_count", f.word_count},
            {"link_count", f.link_count},
            {"image_count", f.image_count},
            {"words_per_link", f.words_per_link},
            {"text_image_ratio", f.words_per_image},
            {"readability_grade", f.readability_grade},
            {"has_unsubscribe", f.has_unsubscribe},
            {"personalised", f.personalised},
            {"merge_tags", f.merge_tags},
            {"unknown_merge_tags", f.unknown_tags}}}};
}

}  // namespace herald::advisor

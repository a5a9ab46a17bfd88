// The rules of the built-in message check, each a pure function of the
// measured message with its own unit tests. Thresholds are named here and
// documented in docs/architecture.md ("AI assistant — built-in tools").
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "advisor/analysis.hpp"

namespace herald::advisor {

// A message read once for the rules: its subject, its body as plain text
// (merge tags kept as written) and what the HTML holds.
struct Measured {
  std::string subject;
  std::string body_text;  // the text part, or the HTML's text
  Facts facts;
  std::vector<std::string> unknown_tag_messages;  // "html: unknown variable frist_name (did you mean first_name?)"
};

Measured measure(const MessageParts& message);

// The spam-trigger phrases: matched case-insensitively on word boundaries, in
// the subject and in the body's text.
std::span<const std::string_view> spam_phrases();

inline constexpr std::size_t kSubjectMin = 10;      // characters
inline constexpr std::size_t kSubjectMax = 60;      // characters; most clients cut around here
inline constexpr double kCapitalsSubjectMax = 0.5;  // share of upper-case letters
inline constexpr double kCapitalsBodyMax = 0.3;
inline constexpr std::size_t kCapitalsMinLetters = 8;  // below this the share means nothing
inline constexpr std::size_t kPunctuationRun = 3;      // "!!!", "???", "?!?"
inline constexpr std::size_t kLinksMax = 10;
inline constexpr double kWordsPerLinkMin = 25;  // with 2 links or more
inline constexpr std::size_t kImagesMax = 10;
inline constexpr double kWordsPerImageMin = 50;
inline constexpr double kReadabilityWarning = 12;  // grade
inline constexpr double kReadabilityInfo = 9;
inline constexpr std::size_t kReadabilityMinWords = 30;  // fewer words: no grade

std::vector<Finding> rule_spam_phrases(const Measured& m);
std::vector<Finding> rule_subject_length(const Measured& m);
std::vector<Finding> rule_capitals(const Measured& m);
std::vector<Finding> rule_punctuation(const Measured& m);
std::vector<Finding> rule_links(const Measured& m);
std::vector<Finding> rule_images(const Measured& m);
std::vector<Finding> rule_unsubscribe(const Measured& m);
std::vector<Finding> rule_merge_tags(const Measured& m);
std::vector<Finding> rule_readability(const Measured& m);
std::vector<Finding> rule_personalisation(const Measured& m);

// Text measures, exposed for their tests.
std::vector<std::string_view> words_of(std::string_view text);
std::size_t syllables_of(std::string_view word);
std::size_t sentences_of(std::string_view text);
// 0.39 × words/sentences + 11.8 × syllables/words − 15.59 (0 for no words).
double flesch_kincaid_grade(std::string_view text);
// Phrases of the list found in `text` (lower-case, in list order, once each).
std::vector<std::string> find_spam_phrases(std::string_view text);

}  // namespace herald::advisor

// The built-in message check (POST /api/ai/analyze): a score from 0 to 100,
// findings from documented rules (advisor/rules.hpp) and the measured facts
// they were judged on. Pure and fast (microseconds for a usual message), so
// the route runs inline and the AI module can attach an analysis to every
// subject-line candidate it merges. No provider needed.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace herald::advisor {

// What is checked: the subject and the HTML and/or text part of a message,
// as template sources (merge tags unrendered).
struct MessageParts {
  std::string subject;
  std::string html;
  std::string text;  // empty: the HTML's text is read instead
};

enum class Severity { Info, Warning, Error };
std::string_view to_string(Severity s);

struct Finding {
  std::string rule;  // spam_phrases, subject_length, capitals, punctuation, links, images,
                     // unsubscribe, merge_tags, readability, personalisation
  Severity severity = Severity::Info;
  std::string message;

  bool operator==(const Finding&) const = default;
};

// The measurements the rules judge.
struct Facts {
  std::size_t subject_length = 0;         // characters (code points)
  std::size_t word_count = 0;             // of the body's text, merge tags counted as one word
  std::size_t link_count = 0;             // <a href> in the HTML, else URLs in the text
  std::size_t image_count = 0;            // <img> in the HTML
  double words_per_link = 0;              // 0 when there is no link
  double words_per_image = 0;             // the text/image ratio; 0 when there is no image
  double readability_grade = 0;           // Flesch–Kincaid grade level of the body's text
  bool has_unsubscribe = false;           // {{unsubscribe_url}} or a link about unsubscribing
  bool personalised = false;              // uses a lead variable
  std::vector<std::string> merge_tags;    // every variable used, sorted, once each
  std::vector<std::string> unknown_tags;  // variables the templates would refuse
};

struct Analysis {
  int score = 100;  // 100 minus each finding's weight (error 25, warning 10, info 2), at least 0
  std::vector<Finding> findings;
  Facts facts;
};

Analysis analyze_message(const MessageParts& message);

// A subject line alone (an AI subject-line candidate): only the rules that
// read the subject — spam phrases, length, capitals, punctuation, merge tags.
Analysis analyze_subject(std::string_view subject);

// {score, findings [{rule, severity, message}], facts {…}} as the API answers.
nlohmann::json to_json(const Analysis& analysis);

// The score from findings alone.
int score_of(const std::vector<Finding>& findings);

}  // namespace herald::advisor

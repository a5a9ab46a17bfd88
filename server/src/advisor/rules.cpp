#include "advisor/rules.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "mail/html_scan.hpp"
#include "mail/html_text.hpp"
#include "mail/mustache_tags.hpp"
#include "mail/template.hpp"

namespace herald::advisor {
namespace {

// The spam-trigger phrases (lower-case). Drawn from the phrases filters and
// deliverability guides flag most often; a phrase matches on word boundaries
// only, so "free" does not match "freedom".
constexpr std::array<std::string_view, 48> kSpamPhrases = {"100% free",
                                                           "act now",
                                                           "all natural",
                                                           "apply now",
                                                           "as seen on",
                                                           "buy now",
                                                           "call now",
                                                           "cash bonus",
                                                           "click below",
                                                           "click here",
                                                           "congratulations",
                                                           "dear friend",
                                                           "double your",
                                                           "earn extra cash",
                                                           "earn money",
                                                           "eliminate debt",
                                                           "extra income",
                                                           "fast cash",
                                                           "free gift",
                                                           "free money",
                                                           "free trial",
                                                           "get paid",
                                                           "guaranteed",
                                                           "increase sales",
                                                           "limited time",
                                                           "lowest price",
                                                           "make money",
                                                           "million dollars",
                                                           "miracle",
                                                           "no catch",
                                                           "no cost",
                                                           "no credit check",
                                                           "no obligation",
                                                           "once in a lifetime",
                                                           "order now",
                                                           "risk-free",
                                                           "risk free",
                                                           "satisfaction guaranteed",
                                                           "special promotion",
                                                           "this isn't spam",
                                                           "urgent",
                                                           "winner",
                                                           "you have been selected",
                                                           "you've won",
                                                           "100% satisfied",
                                                           "cancel at any time",
                                                           "while supplies last",
                                                           "work from home"};

bool word_char(unsigned char c) { return std::isalnum(c) != 0 || c >= 0x80; }

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool contains_ci(std::string_view haystack, std::string_view needle) {
  return lower_ascii(haystack).find(needle) != std::string::npos;
}

std::size_t code_points(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// The body's prose for counting words and grading: URLs dropped, each value
// tag one word ("Name"), other tags dropped.
std::string prose_of(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  auto scan = mail::scan_tags(text);
  std::size_t pos = 0;
  auto copy_without_urls = [&out](std::string_view piece) {
    std::size_t i = 0;
    while (i < piece.size()) {
      auto at = piece.find("://", i);
      if (at == std::string_view::npos) {
        out.append(piece.substr(i));
        return;
      }
      std::size_t start = at;
      while (start > i && std::isalpha(static_cast<unsigned char>(piece[start - 1]))) --start;
      out.append(piece.substr(i, start - i));
      std::size_t end = at;
      while (end < piece.size() && !std::isspace(static_cast<unsigned char>(piece[end])) && piece[end] != ')') ++end;
      i = end;
    }
  };
  for (const auto& tag : scan.tags) {
    copy_without_urls(text.substr(pos, tag.offset - pos));
    if (tag.kind == mail::TagKind::Value || tag.kind == mail::TagKind::Raw) out += "Name";
    pos = tag.offset + tag.length;
  }
  copy_without_urls(text.substr(std::min(pos, text.size())));
  return out;
}

bool is_system_variable(std::string_view name) {
  return name == "unsubscribe_url" || name == "campaign_name" || name == "from_name" || name == "from_email";
}

void collect_tags(std::string_view source, std::set<std::string, std::less<>>& names) {
  for (const auto& tag : mail::scan_tags(source).tags) {
    switch (tag.kind) {
      case mail::TagKind::Value:
      case mail::TagKind::Raw:
      case mail::TagKind::Section:
      case mail::TagKind::Inverted:
        if (!tag.name.empty() && tag.name != ".") names.insert(tag.name);
        break;
      default:
        break;
    }
  }
}

std::size_t count_urls(std::string_view text) {
  std::size_t n = 0;
  for (std::size_t i = 0; (i = text.find("://", i)) != std::string_view::npos; i += 3)
    if (i >= 4 &&
        (lower_ascii(text.substr(i - 4, 4)) == "http" || (i >= 5 && lower_ascii(text.substr(i - 5, 5)) == "https")))
      ++n;
  return n;
}

// Links and images of the HTML; whether a link is about unsubscribing (its
// target or its text says so).
void scan_html(std::string_view html, Facts& facts) {
  std::size_t i = 0;
  std::size_t anchor_text_from = std::string_view::npos;
  while ((i = html.find('<', i)) != std::string_view::npos) {
    auto m = mail::html::read_markup(html, i);
    if (m.kind != mail::html::Markup::Kind::Tag) {
      i = m.kind == mail::html::Markup::Kind::Skip ? m.end : i + 1;
      continue;
    }
    const auto& tag = m.tag;
    std::size_t tag_begin = i;
    i = m.end;
    if (!tag.closing && (tag.name == "script" || tag.name == "style")) {
      i = mail::html::skip_raw_text(html, i, tag.name);
      continue;
    }
    if (tag.name == "img" && !tag.closing) {
      ++facts.image_count;
    } else if (tag.name == "a" && !tag.closing) {
      const auto* href = tag.attribute("href");
      if (href && href->has_value) {
        ++facts.link_count;
        auto target = mail::html::attribute_value(html, *href);
        if (contains_ci(target, "unsubscribe")) facts.has_unsubscribe = true;
        anchor_text_from = i;
      }
    } else if (tag.name == "a" && tag.closing && anchor_text_from != std::string_view::npos) {
      if (contains_ci(html.substr(anchor_text_from, tag_begin - anchor_text_from), "unsubscribe"))
        facts.has_unsubscribe = true;
      anchor_text_from = std::string_view::npos;
    }
  }
}

Finding finding(std::string rule, Severity severity, std::string message) {
  return Finding{std::move(rule), severity, std::move(message)};
}

std::string quoted_list(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "\"" : ", \"") + item + "\"";
  return out;
}

}  // namespace

std::span<const std::string_view> spam_phrases() { return kSpamPhrases; }

std::vector<std::string> find_spam_phrases(std::string_view text) {
  std::string lower = lower_ascii(text);
  std::vector<std::string> found;
  for (auto phrase : kSpamPhrases) {
    for (std::size_t at = lower.find(phrase); at != std::string::npos; at = lower.find(phrase, at + 1)) {
      bool starts = at == 0 || !word_char(static_cast<unsigned char>(lower[at - 1])) ||
                    !word_char(static_cast<unsigned char>(phrase.front()));
      std::size_t end = at + phrase.size();
      bool ends = end == lower.size() || !word_char(static_cast<unsigned char>(lower[end])) ||
                  !word_char(static_cast<unsigned char>(phrase.back()));
      if (starts && ends) {
        found.emplace_back(phrase);
        break;
      }
    }
  }
  return found;
}

std::vector<std::string_view> words_of(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && !word_char(static_cast<unsigned char>(text[i]))) ++i;
    std::size_t start = i;
    // An apostrophe inside a word keeps it whole ("don't").
    while (i < text.size() &&
           (word_char(static_cast<unsigned char>(text[i])) ||
            (text[i] == '\'' && i + 1 < text.size() && word_char(static_cast<unsigned char>(text[i + 1])))))
      ++i;
    if (i > start) words.push_back(text.substr(start, i - start));
  }
  return words;
}

std::size_t syllables_of(std::string_view word) {
  std::string w = lower_ascii(word);
  auto vowel = [](char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y'; };
  std::size_t groups = 0;
  bool previous = false;
  for (char c : w) {
    bool v = vowel(c);
    if (v && !previous) ++groups;
    previous = v;
  }
  // A silent final "e" ("make"), but not "-le" after a consonant ("table").
  if (groups > 1 && w.size() > 2 && w.back() == 'e' && !vowel(w[w.size() - 2]) &&
      !(w[w.size() - 2] == 'l' && !vowel(w[w.size() - 3])))
    --groups;
  return std::max<std::size_t>(groups, 1);
}

std::size_t sentences_of(std::string_view text) {
  std::size_t n = 0;
  bool in_sentence = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    bool paragraph_break = c == '\n' && i + 1 < text.size() && text[i + 1] == '\n';
    if (c == '.' || c == '!' || c == '?' || paragraph_break) {
      if (in_sentence) ++n;
      in_sentence = false;
    } else if (word_char(static_cast<unsigned char>(c))) {
      in_sentence = true;
    }
  }
  if (in_sentence) ++n;
  return std::max<std::size_t>(n, 1);
}

double flesch_kincaid_grade(std::string_view text) {
  auto words = words_of(text);
  if (words.empty()) return 0;
  std::size_t syllables = 0;
  for (auto w : words) syllables += syllables_of(w);
  double n = static_cast<double>(words.size());
  return 0.39 * (n / static_cast<double>(sentences_of(text))) + 11.8 * (static_cast<double>(syllables) / n) - 15.59;
}

Measured measure(const MessageParts& message) {
  Measured m;
  m.subject = message.subject;
  m.body_text = message.text.empty() ? mail::html_to_text(message.html) : message.text;
  Facts& f = m.facts;
  f.subject_length = code_points(message.subject);
  if (!message.html.empty()) {
    scan_html(message.html, f);
  } else {
    f.link_count = count_urls(message.text);
    if (contains_ci(message.text, "unsubscribe")) f.has_unsubscribe = true;
  }
  std::string prose = prose_of(m.body_text);
  f.word_count = words_of(prose).size();
  // The formula goes below zero for a few short words ("Hi there." is -1.4): grade 0 is the floor.
  f.readability_grade = f.word_count == 0 ? 0 : std::max(0.0, std::round(flesch_kincaid_grade(prose) * 10) / 10);
  if (f.link_count > 0) f.words_per_link = static_cast<double>(f.word_count) / static_cast<double>(f.link_count);
  if (f.image_count > 0) f.words_per_image = static_cast<double>(f.word_count) / static_cast<double>(f.image_count);

  std::set<std::string, std::less<>> names;
  collect_tags(message.subject, names);
  collect_tags(message.html, names);
  collect_tags(message.text, names);
  f.merge_tags.assign(names.begin(), names.end());
  const auto& known = mail::VariableSet::standard();
  for (const auto& name : names) {
    if (name == "unsubscribe_url") f.has_unsubscribe = true;
    if ((known.allows_value(name) || known.allows_list(name)) && !is_system_variable(name)) f.personalised = true;
  }
  // The templates' own checker decides what a template may use.
  std::set<std::string, std::less<>> unknown;
  for (const auto& issue : mail::CompiledTemplate::validate({message.subject, message.html, message.text})) {
    if (!issue.name.empty()) unknown.insert(issue.name);
    m.unknown_tag_messages.push_back(
        fmt::format("{} line {}, column {}: {}", issue.part, issue.line, issue.column, issue.message));
  }
  f.unknown_tags.assign(unknown.begin(), unknown.end());
  return m;
}

std::vector<Finding> rule_spam_phrases(const Measured& m) {
  std::vector<Finding> out;
  auto in_subject = find_spam_phrases(m.subject);
  if (!in_subject.empty())
    out.push_back(finding("spam_phrases", Severity::Warning,
                          fmt::format("The subject uses spam-trigger wording: {}.", quoted_list(in_subject))));
  auto in_body = find_spam_phrases(m.body_text);
  if (!in_body.empty())
    out.push_back(finding("spam_phrases", in_body.size() >= 3 ? Severity::Error : Severity::Warning,
                          fmt::format("The body uses spam-trigger wording: {}.", quoted_list(in_body))));
  return out;
}

std::vector<Finding> rule_subject_length(const Measured& m) {
  std::size_t n = m.facts.subject_length;
  if (n == 0) return {finding("subject_length", Severity::Error, "The subject is empty.")};
  if (n < kSubjectMin)
    return {finding("subject_length", Severity::Warning,
                    fmt::format("The subject is short ({} characters); {}–{} say more.", n, kSubjectMin, kSubjectMax))};
  if (n > kSubjectMax)
    return {finding(
        "subject_length", Severity::Warning,
        fmt::format("The subject is long ({} characters); most inboxes cut it after about {}.", n, kSubjectMax))};
  return {};
}

namespace {
// The share of upper-case among the ASCII letters, and how many there are.
std::pair<double, std::size_t> capitals_share(std::string_view text) {
  std::size_t letters = 0, upper = 0;
  for (unsigned char c : text) {
    if (std::isalpha(c) == 0) continue;
    ++letters;
    if (std::isupper(c) != 0) ++upper;
  }
  return {letters == 0 ? 0.0 : static_cast<double>(upper) / static_cast<double>(letters), letters};
}

std::size_t longest_punctuation_run(std::string_view text) {
  std::size_t best = 0, run = 0;
  for (char c : text) {
    run = (c == '!' || c == '?') ? run + 1 : 0;
    best = std::max(best, run);
  }
  return best;
}
}  // namespace

std::vector<Finding> rule_capitals(const Measured& m) {
  std::vector<Finding> out;
  auto [subject_share, subject_letters] = capitals_share(m.subject);
  if (subject_letters >= kCapitalsMinLetters && subject_share > kCapitalsSubjectMax)
    out.push_back(finding(
        "capitals", Severity::Warning,
        fmt::format("{:.0f}% of the subject's letters are capitals; it reads as shouting.", subject_share * 100)));
  auto [body_share, body_letters] = capitals_share(prose_of(m.body_text));
  if (body_letters >= kCapitalsMinLetters && body_share > kCapitalsBodyMax)
    out.push_back(finding("capitals", Severity::Warning,
                          fmt::format("{:.0f}% of the body's letters are capitals.", body_share * 100)));
  return out;
}

std::vector<Finding> rule_punctuation(const Measured& m) {
  std::vector<Finding> out;
  if (longest_punctuation_run(m.subject) >= kPunctuationRun)
    out.push_back(finding("punctuation", Severity::Warning, "The subject has a run of '!' or '?' (like \"!!!\")."));
  if (longest_punctuation_run(m.body_text) >= kPunctuationRun)
    out.push_back(finding("punctuation", Severity::Info, "The body has a run of '!' or '?' (like \"!!!\")."));
  return out;
}

std::vector<Finding> rule_links(const Measured& m) {
  std::vector<Finding> out;
  const auto& f = m.facts;
  if (f.link_count > kLinksMax)
    out.push_back(
        finding("links", Severity::Warning,
                fmt::format("{} links; more than {} looks like a newsletter or spam.", f.link_count, kLinksMax)));
  if (f.link_count >= 2 && f.words_per_link < kWordsPerLinkMin)
    out.push_back(finding("links", Severity::Warning,
                          fmt::format("{:.0f} words per link; keep at least {:.0f} words of text for each link.",
                                      f.words_per_link, kWordsPerLinkMin)));
  return out;
}

std::vector<Finding> rule_images(const Measured& m) {
  std::vector<Finding> out;
  const auto& f = m.facts;
  if (f.image_count == 0) return out;
  if (f.word_count == 0)
    return {finding("images", Severity::Error, "The message is images only; filters and readers need text.")};
  if (f.image_count > kImagesMax)
    out.push_back(finding("images", Severity::Warning,
                          fmt::format("{} images; keep to {} or fewer.", f.image_count, kImagesMax)));
  if (f.words_per_image < kWordsPerImageMin)
    out.push_back(finding("images", Severity::Warning,
                          fmt::format("{:.0f} words per image; keep at least {:.0f} words of text for each image.",
                                      f.words_per_image, kWordsPerImageMin)));
  return out;
}

std::vector<Finding> rule_unsubscribe(const Measured& m) {
  if (m.facts.has_unsubscribe) return {};
  return {finding("unsubscribe", Severity::Error,
                  "No unsubscribe link: add {{unsubscribe_url}} (required for bulk mail and by Gmail and Yahoo).")};
}

std::vector<Finding> rule_merge_tags(const Measured& m) {
  std::vector<Finding> out;
  for (const auto& message : m.unknown_tag_messages) out.push_back(finding("merge_tags", Severity::Error, message));
  return out;
}

std::vector<Finding> rule_readability(const Measured& m) {
  const auto& f = m.facts;
  if (f.word_count < kReadabilityMinWords) return {};
  if (f.readability_grade > kReadabilityWarning)
    return {finding(
        "readability", Severity::Warning,
        fmt::format("Reading grade {:.1f}: hard to read; shorter sentences and words help.", f.readability_grade))};
  if (f.readability_grade > kReadabilityInfo)
    return {finding("readability", Severity::Info,
                    fmt::format("Reading grade {:.1f}: a little dense for a cold email (aim for {:.0f} or below).",
                                f.readability_grade, kReadabilityInfo))};
  return {};
}

std::vector<Finding> rule_personalisation(const Measured& m) {
  if (m.facts.personalised) return {};
  return {finding("personalisation", Severity::Info,
                  "No personalisation: a lead variable such as {{first_name}} or {{company}} lifts replies.")};
}

}  // namespace herald::advisor

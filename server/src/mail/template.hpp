// Mail templates: Mustache (kainjow) over lead fields, custom fields and
// system variables, with defaults for empty values ({{first_name|there}}).
// Validation happens once, when a template is saved or compiled, and names
// every unknown variable with its position; a compiled template then renders
// any number of messages, from any number of threads. Pure: no I/O.
// The syntax is documented for users in docs/templates.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace herald::mail {

// The names a template may use.
struct VariableSet {
  std::set<std::string, std::less<>> values;  // {{name}} renders a value
  std::set<std::string, std::less<>> lists;   // {{#name}}…{{.}}…{{/name}} iterates
  bool custom_fields = true;                  // custom.<key>, key of [A-Za-z0-9_]

  // SPEC §4's lead fields (tags as a list), custom.<key>, and the system
  // variables unsubscribe_url, campaign_name, from_name and from_email.
  static const VariableSet& standard();
  bool allows_value(std::string_view name) const;
  bool allows_list(std::string_view name) const { return lists.contains(name); }
};

// One problem found in a template, for a field error at save time.
struct TemplateIssue {
  std::string part;  // "subject", "html" or "text"
  std::size_t offset = 0;
  std::size_t line = 1;           // 1-based
  std::size_t column = 1;         // 1-based, in characters
  std::string name;               // the variable concerned, if any
  std::string message;            // e.g. "unknown variable frist_name (did you mean first_name?)"
  std::string to_string() const;  // "html line 3, column 7: …"
};

class TemplateError : public std::runtime_error {
 public:
  explicit TemplateError(std::vector<TemplateIssue> issues);
  const std::vector<TemplateIssue>& issues() const noexcept { return issues_; }

 private:
  std::vector<TemplateIssue> issues_;
};

struct TemplateSource {
  std::string subject;
  std::string html;
  std::string text;  // empty: generated from the HTML
};

// The values for one message. Empty values count as missing, so defaults and
// inverted sections apply to them.
class Variables {
 public:
  Variables();
  ~Variables();
  Variables(Variables&&) noexcept;
  Variables& operator=(Variables&&) noexcept;

  void set(std::string_view name, std::string_view value);
  void set(std::string_view name, std::int64_t value);
  void set_list(std::string_view name, const std::vector<std::string>& items);
  void set_custom(std::string_view key, std::string_view value);
  // A number as JSON writes it; true renders "true", false counts as empty.
  void set_custom_json(std::string_view key, const nlohmann::json& value);

  // From a lead's public JSON (leads::to_json): every string or number field,
  // `tags` as a list, `custom_fields` as custom.<key>. Other members are ignored.
  static Variables from_lead(const nlohmann::json& lead);

  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

struct RenderedContent {
  std::string subject;  // one line: line breaks from values become spaces
  std::string html;
  std::string text;
};

class CompiledTemplate {
 public:
  // Throws TemplateError listing every issue (all parts are checked).
  static CompiledTemplate compile(const TemplateSource& source, const VariableSet& variables = VariableSet::standard());
  // Every issue of every part; empty when the template compiles.
  static std::vector<TemplateIssue> validate(const TemplateSource& source,
                                             const VariableSet& variables = VariableSet::standard());

  CompiledTemplate(CompiledTemplate&&) noexcept;
  CompiledTemplate& operator=(CompiledTemplate&&) noexcept;
  ~CompiledTemplate();

  // Safe to call concurrently on one template.
  RenderedContent render(const Variables& vars) const;

  // The text part's source: as written, or generated from the HTML.
  const std::string& text_source() const noexcept;

 private:
  struct Parts;
  explicit CompiledTemplate(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace herald::mail

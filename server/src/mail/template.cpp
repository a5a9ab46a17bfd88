#include "mail/template.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>
#include <kainjow/mustache.hpp>

#include "core/strings.hpp"
#include "mail/html_text.hpp"
#include "mail/mustache_tags.hpp"

namespace herald::mail {

namespace km = kainjow::mustache;

namespace {

constexpr std::size_t kMaxCustomKey = 64;

bool valid_key(std::string_view key) {
  if (key.empty() || key.size() > kMaxCustomKey) return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

std::string suggestion(std::string_view name, const VariableSet& vars) {
  std::string best;
  std::size_t best_distance = 3;  // suggest only close names
  auto consider = [&](const std::string& candidate) {
    auto d = edit_distance(name, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  };
  for (const auto& v : vars.values) consider(v);
  for (const auto& v : vars.lists) consider(v);
  return best.empty() ? std::string() : fmt::format(" (did you mean {}?)", best);
}

class PartChecker {
 public:
  PartChecker(std::string part, std::string_view source, const VariableSet& vars, std::vector<TemplateIssue>& out)
      : part_(std::move(part)), source_(source), vars_(vars), out_(out) {}

  void run() {
    auto scan = scan_tags(source_);
    std::vector<const Tag*> open;
    for (const auto& tag : scan.tags) {
      switch (tag.kind) {
        case TagKind::Comment:
          break;
        case TagKind::Partial:
          issue(tag, "partials ({{> …}}) are not supported");
          break;
        case TagKind::Delimiters:
          issue(tag, "changing the delimiters ({{= … =}}) is not supported");
          break;
        case TagKind::Section:
        case TagKind::Inverted:
          if (tag.fallback) issue(tag, "a default (|…) goes on a variable, not on a section");
          check_section_name(tag, !open.empty());
          open.push_back(&tag);
          break;
        case TagKind::Close:
          if (tag.fallback) issue(tag, "a default (|…) goes on a variable, not on a section");
          close(tag, open);
          break;
        case TagKind::Value:
        case TagKind::Raw:
          check_value(tag, !open.empty());
          break;
      }
    }
    if (scan.unclosed_at) {
      add(*scan.unclosed_at, "", "this tag is never closed (missing }})");
    } else {
      for (const Tag* t : open) issue(*t, fmt::format("{{{{#{}}}}} is never closed", t->name));
    }
  }

 private:
  void add(std::size_t offset, std::string name, std::string message) {
    auto pos = position_of(source_, offset);
    out_.push_back({part_, offset, pos.line, pos.column, std::move(name), std::move(message)});
  }
  void issue(const Tag& tag, std::string message) { add(tag.offset, tag.name, std::move(message)); }

  // Empty: the name is usable as a value; otherwise why not.
  std::string value_problem(const std::string& name, bool in_section) {
    if (name.empty()) return "a tag needs a variable name";
    if (name == ".") return in_section ? "" : "{{.}} means the current item and only works inside a section";
    if (name == "custom") return "custom fields are named custom.<field>, e.g. custom.plan";
    if (name.starts_with("custom.")) {
      if (!vars_.custom_fields) return fmt::format("unknown variable {}", name);
      return valid_key(name.substr(7)) ? ""
                                       : fmt::format("{} is not a custom field name (letters, digits and _)", name);
    }
    if (vars_.allows_value(name)) return "";
    if (vars_.allows_list(name))
      return fmt::format("{} is a list: write {{{{#{}}}}}{{{{.}}}}{{{{/{}}}}}", name, name, name);
    return fmt::format("unknown variable {}{}", name, suggestion(name, vars_));
  }

  void check_value(const Tag& tag, bool in_section) {
    auto problem = value_problem(tag.name, in_section);
    if (!problem.empty()) issue(tag, problem);
    if (tag.fallback && tag.fallback->find("{{") != std::string::npos) issue(tag, "a default cannot contain {{");
    if (tag.fallback && tag.name == ".") issue(tag, "{{.}} cannot have a default");
  }

  void check_section_name(const Tag& tag, bool in_section) {
    if (vars_.allows_list(tag.name)) return;
    auto problem = value_problem(tag.name, in_section);
    if (!problem.empty()) issue(tag, problem);
  }

  void close(const Tag& tag, std::vector<const Tag*>& open) {
    if (open.empty()) {
      issue(tag, fmt::format("{{{{/{}}}}} closes no section", tag.name));
      return;
    }
    if (open.back()->name == tag.name) {
      open.pop_back();
      return;
    }
    auto pos = position_of(source_, open.back()->offset);
    issue(tag, fmt::format("{{{{/{}}}}} does not close {{{{#{}}}}} (line {}, column {})", tag.name, open.back()->name,
                           pos.line, pos.column));
    // Recover: close up to a matching section if there is one.
    for (auto it = open.rbegin(); it != open.rend(); ++it) {
      if ((*it)->name == tag.name) {
        open.erase(std::next(it).base(), open.end());
        return;
      }
    }
  }

  std::string part_;
  std::string_view source_;
  const VariableSet& vars_;
  std::vector<TemplateIssue>& out_;
};

enum class Mode { Html, Plain };

// Like kainjow's escape, but ' as &#39;: &apos; is not HTML 4, and older
// mail clients (Outlook's Word engine) show it as it is.
std::string escape_html(const std::string& s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// The template kainjow parses: {{name|fallback}} becomes
// {{#name}}{{name}}{{/name}}{{^name}}fallback{{/name}}.
std::string to_kainjow(std::string_view source, Mode mode) {
  std::string out;
  out.reserve(source.size() + 64);
  std::size_t at = 0;
  for (const auto& tag : scan_tags(source).tags) {
    if (!tag.fallback || (tag.kind != TagKind::Value && tag.kind != TagKind::Raw)) continue;
    out.append(source.substr(at, tag.offset - at));
    at = tag.offset + tag.length;
    bool escaped = tag.kind == TagKind::Value;
    const std::string& n = tag.name;
    std::string fallback = (mode == Mode::Html && escaped) ? escape_html(*tag.fallback) : *tag.fallback;
    out += fmt::format("{{{{#{0}}}}}{1}{0}{2}{{{{/{0}}}}}{{{{^{0}}}}}{3}{{{{/{0}}}}}", n, escaped ? "{{" : "{{{",
                       escaped ? "}}" : "}}}", fallback);
  }
  out.append(source.substr(at));
  return out;
}

std::unique_ptr<km::mustache> make_mustache(std::string_view part, std::string_view source, Mode mode) {
  auto m = std::make_unique<km::mustache>(to_kainjow(source, mode));
  if (!m->is_valid()) {
    throw TemplateError({{std::string(part), 0, 1, 1, "", m->error_message()}});
  }
  if (mode == Mode::Plain) {
    m->set_custom_escape([](const std::string& s) { return s; });
  } else {
    m->set_custom_escape(escape_html);
  }
  return m;
}

// A subject is one line: every run of whitespace holding a line break becomes one space.
std::string one_line(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    char c = s[i];
    if (c == '\r' || c == '\n' || c == '\t' || c == ' ') {
      std::size_t j = i;
      bool breaks = false;
      while (j < s.size() && (s[j] == '\r' || s[j] == '\n' || s[j] == '\t' || s[j] == ' ')) {
        breaks = breaks || s[j] == '\r' || s[j] == '\n' || s[j] == '\t';
        ++j;
      }
      out.append(breaks ? std::string_view(" ") : s.substr(i, j - i));
      i = j;
    } else {
      out += c;
      ++i;
    }
  }
  return std::string(trim(out));
}

std::string render_part(km::mustache& m, const km::data& data, std::size_t hint) {
  std::string out;
  out.reserve(hint + hint / 4);
  m.render(data, [&out](const std::string& piece) { out += piece; });
  return out;
}

km::data text_value(std::string_view value) {
  if (value.empty()) return km::data(false);
  return km::data(std::string(value));
}

}  // namespace

// ---- VariableSet ------------------------------------------------------------

const VariableSet& VariableSet::standard() {
  static const VariableSet set = [] {
    VariableSet s;
    s.values = {"id",         "email",           "first_name",    "last_name", "company",   "title",    "phone",
                "website",    "country",         "timezone",      "status",    "score",     "owner_id", "created_at",
                "updated_at", "unsubscribe_url", "campaign_name", "from_name", "from_email"};
    s.lists = {"tags"};
    return s;
  }();
  return set;
}

bool VariableSet::allows_value(std::string_view name) const {
  if (values.contains(name)) return true;
  return custom_fields && name.starts_with("custom.") && valid_key(name.substr(7));
}

// ---- issues -----------------------------------------------------------------

std::string TemplateIssue::to_string() const {
  return fmt::format("{} line {}, column {}: {}", part, line, column, message);
}

TemplateError::TemplateError(std::vector<TemplateIssue> issues)
    : std::runtime_error(issues.empty() ? std::string("invalid template") : issues.front().to_string()),
      issues_(std::move(issues)) {}

// ---- Variables --------------------------------------------------------------

struct Variables::Impl {
  km::data root{km::data::type::object};
  km::data& custom() {
    km::data& c = root["custom"];  // created as an empty object on first use
    return c;
  }
};

Variables::Variables() : impl_(std::make_unique<Impl>()) {}
Variables::~Variables() = default;
Variables::Variables(Variables&&) noexcept = default;
Variables& Variables::operator=(Variables&&) noexcept = default;

void Variables::set(std::string_view name, std::string_view value) {
  impl_->root[std::string(name)] = text_value(value);
}

void Variables::set(std::string_view name, std::int64_t value) {
  impl_->root[std::string(name)] = km::data(std::to_string(value));
}

void Variables::set_list(std::string_view name, const std::vector<std::string>& items) {
  km::data list{km::data::type::list};
  for (const auto& item : items)
    if (!item.empty()) list.push_back(km::data(item));
  impl_->root[std::string(name)] = std::move(list);
}

void Variables::set_custom(std::string_view key, std::string_view value) {
  impl_->custom()[std::string(key)] = text_value(value);
}

void Variables::set_custom_json(std::string_view key, const nlohmann::json& value) {
  if (value.is_string()) {
    set_custom(key, value.get_ref<const std::string&>());
  } else if (value.is_boolean()) {
    set_custom(key, value.get<bool>() ? std::string_view("true") : std::string_view());
  } else if (value.is_null()) {
    set_custom(key, std::string_view());
  } else {
    set_custom(key, value.dump());
  }
}

Variables Variables::from_lead(const nlohmann::json& lead) {
  Variables v;
  if (!lead.is_object()) return v;
  for (const auto& [key, value] : lead.items()) {
    if (key == "tags" && value.is_array()) {
      std::vector<std::string> tags;
      for (const auto& t : value)
        if (t.is_string()) tags.push_back(t.get<std::string>());
      v.set_list(key, tags);
    } else if (key == "custom_fields" && value.is_object()) {
      for (const auto& [k, cv] : value.items()) v.set_custom_json(k, cv);
    } else if (value.is_string()) {
      v.set(key, value.get_ref<const std::string&>());
    } else if (value.is_number_integer()) {
      v.set(key, value.get<std::int64_t>());
    } else if (value.is_number()) {
      v.set(key, value.dump());
    } else if (value.is_null()) {
      v.set(key, std::string_view());
    }
  }
  return v;
}

// ---- CompiledTemplate -------------------------------------------------------

struct CompiledTemplate::Parts {
  // kainjow's render() is not const, but without lambdas and partials (which
  // validation refuses) it writes nothing shared, so concurrent renders are safe.
  std::unique_ptr<km::mustache> subject, html, text;
  std::string text_source;
  std::size_t html_size = 0, text_size = 0;
};

CompiledTemplate::CompiledTemplate(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}
CompiledTemplate::CompiledTemplate(CompiledTemplate&&) noexcept = default;
CompiledTemplate& CompiledTemplate::operator=(CompiledTemplate&&) noexcept = default;
CompiledTemplate::~CompiledTemplate() = default;

std::vector<TemplateIssue> CompiledTemplate::validate(const TemplateSource& source, const VariableSet& variables) {
  std::vector<TemplateIssue> issues;
  PartChecker("subject", source.subject, variables, issues).run();
  PartChecker("html", source.html, variables, issues).run();
  if (!source.text.empty()) {
    PartChecker("text", source.text, variables, issues).run();
  } else if (issues.empty()) {
    // The generated text normally inherits the HTML's tags intact; a section
    // opened inside an attribute that the conversion drops would not be.
    std::string generated = html_to_text(source.html);
    std::vector<TemplateIssue> text_issues;
    PartChecker("text", generated, variables, text_issues).run();
    for (auto& issue : text_issues) {
      issue.message = "in the text generated from the HTML: " + issue.message;
      issues.push_back(std::move(issue));
    }
  }
  return issues;
}

CompiledTemplate CompiledTemplate::compile(const TemplateSource& source, const VariableSet& variables) {
  auto issues = validate(source, variables);
  if (!issues.empty()) throw TemplateError(std::move(issues));
  auto parts = std::make_unique<Parts>();
  parts->text_source = source.text.empty() ? html_to_text(source.html) : source.text;
  parts->subject = make_mustache("subject", source.subject, Mode::Plain);
  parts->html = make_mustache("html", source.html, Mode::Html);
  parts->text = make_mustache("text", parts->text_source, Mode::Plain);
  parts->html_size = source.html.size();
  parts->text_size = parts->text_source.size();
  return CompiledTemplate(std::move(parts));
}

RenderedContent CompiledTemplate::render(const Variables& vars) const {
  const km::data& data = vars.impl().root;
  RenderedContent out;
  out.subject = one_line(render_part(*parts_->subject, data, 128));
  out.html = render_part(*parts_->html, data, parts_->html_size);
  out.text = render_part(*parts_->text, data, parts_->text_size);
  return out;
}

const std::string& CompiledTemplate::text_source() const noexcept { return parts_->text_source; }

}  // namespace herald::mail

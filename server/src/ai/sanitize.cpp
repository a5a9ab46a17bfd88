#include "ai/sanitize.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>
#include <vector>

#include "core/strings.hpp"

namespace herald::ai {
namespace {

const std::set<std::string, std::less<>>& allowed_tags() {
  static const std::set<std::string, std::less<>> tags = {
      "a",      "abbr", "b",   "blockquote", "br",    "center", "code",  "div", "em",    "font", "h1", "h2",    "h3",
      "h4",     "h5",   "h6",  "hr",         "i",     "img",    "li",    "ol",  "p",     "pre",  "s",  "small", "span",
      "strong", "sub",  "sup", "table",      "tbody", "td",     "tfoot", "th",  "thead", "tr",   "u",  "ul"};
  return tags;
}

// Dropped together with everything up to their closing tag.
const std::set<std::string, std::less<>>& dropped_with_content() {
  static const std::set<std::string, std::less<>> tags = {
      "script", "style",  "iframe", "object",   "embed",  "noscript", "template", "svg",   "math",
      "form",   "button", "select", "textarea", "applet", "frameset", "frame",    "title", "head"};
  return tags;
}

const std::set<std::string, std::less<>>& allowed_attributes() {
  static const std::set<std::string, std::less<>> attrs = {
      "href",    "src",   "alt",    "title", "width",   "height",  "align",       "valign",
      "border",  "style", "target", "rel",   "colspan", "rowspan", "cellpadding", "cellspacing",
      "bgcolor", "color", "face",   "size",  "dir",     "lang"};
  return attrs;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == ':';
}

bool safe_style(std::string_view style) {
  const auto s = to_lower_ascii(style);
  for (std::string_view bad :
       {"expression", "javascript:", "vbscript:", "url(", "@import", "behavior", "-moz-binding", "\\", "&#", "<"}) {
    if (s.find(bad) != std::string::npos) return false;
  }
  return true;
}

std::string escape_attr(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '"') {
      out += "&quot;";
    } else if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

struct Attribute {
  std::string name, value;
};

struct Tag {
  std::string name;  // lower-case
  bool closing = false;
  bool self_closing = false;
  std::vector<Attribute> attributes;
  std::size_t end = 0;  // index after '>'
};

// Parses the tag starting at html[pos] == '<'; nullopt when it is not a tag.
std::optional<Tag> parse_tag(std::string_view html, std::size_t pos) {
  Tag t;
  std::size_t i = pos + 1;
  if (i < html.size() && html[i] == '/') {
    t.closing = true;
    ++i;
  }
  const auto name_start = i;
  while (i < html.size() && is_name_char(html[i])) ++i;
  if (i == name_start ||
      !((html[name_start] >= 'a' && html[name_start] <= 'z') || (html[name_start] >= 'A' && html[name_start] <= 'Z'))) {
    return std::nullopt;
  }
  t.name = to_lower_ascii(html.substr(name_start, i - name_start));
  for (;;) {
    while (i < html.size() && (is_space(html[i]) || html[i] == '/')) {
      if (html[i] == '/') t.self_closing = true;
      ++i;
    }
    if (i >= html.size()) return std::nullopt;  // an unterminated tag: treat as text
    if (html[i] == '>') {
      t.end = i + 1;
      return t;
    }
    t.self_closing = false;
    const auto an = i;
    while (i < html.size() && !is_space(html[i]) && html[i] != '=' && html[i] != '>' && html[i] != '/') ++i;
    Attribute a{to_lower_ascii(html.substr(an, i - an)), {}};
    while (i < html.size() && is_space(html[i])) ++i;
    if (i < html.size() && html[i] == '=') {
      ++i;
      while (i < html.size() && is_space(html[i])) ++i;
      if (i < html.size() && (html[i] == '"' || html[i] == '\'')) {
        const char q = html[i++];
        const auto vs = i;
        while (i < html.size() && html[i] != q) ++i;
        if (i >= html.size()) return std::nullopt;
        a.value = std::string(html.substr(vs, i - vs));
        ++i;
      } else {
        const auto vs = i;
        while (i < html.size() && !is_space(html[i]) && html[i] != '>') ++i;
        a.value = std::string(html.substr(vs, i - vs));
      }
    }
    if (!a.name.empty()) t.attributes.push_back(std::move(a));
  }
}

std::string render_tag(const Tag& t) {
  if (t.closing) return "</" + t.name + ">";
  std::string out = "<" + t.name;
  for (const auto& a : t.attributes) {
    if (!allowed_attributes().contains(a.name)) continue;  // on*, srcdoc, formaction, …
    if ((a.name == "href" || a.name == "src") && !safe_url(a.value)) continue;
    if (a.name == "style" && !safe_style(a.value)) continue;
    out += " " + a.name + "=\"" + escape_attr(a.value) + "\"";
  }
  if (t.name == "a" &&
      std::any_of(t.attributes.begin(), t.attributes.end(), [](const Attribute& a) { return a.name == "target"; })) {
    out += " rel=\"noopener noreferrer\"";
  }
  out += t.self_closing ? " />" : ">";
  return out;
}

}  // namespace

bool safe_url(std::string_view url) {
  // Browsers ignore control characters and whitespace inside a scheme ("java\tscript:").
  std::string compact;
  for (char c : url) {
    if (static_cast<unsigned char>(c) > 0x20)
      compact.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  if (compact.empty() || compact.starts_with("{{") || compact.front() == '#' || compact.front() == '/' ||
      compact.front() == '?') {
    return true;
  }
  if (compact.find("&#") != std::string::npos || compact.find("&colon") != std::string::npos) return false;
  const auto colon = compact.find(':');
  const auto slash = compact.find_first_of("/?#");
  if (colon == std::string::npos || (slash != std::string::npos && slash < colon)) return true;  // relative
  const auto scheme = std::string_view(compact).substr(0, colon);
  return scheme == "http" || scheme == "https" || scheme == "mailto" || scheme == "tel";
}

std::string sanitize_html(std::string_view html) {
  std::string out;
  out.reserve(html.size());
  std::size_t i = 0;
  while (i < html.size()) {
    const char c = html[i];
    if (c != '<') {
      if (c == '>') {
        out += "&gt;";
      } else {
        out.push_back(c);
      }
      ++i;
      continue;
    }
    if (html.substr(i, 4) == "<!--") {
      const auto end = html.find("-->", i + 4);
      i = end == std::string_view::npos ? html.size() : end + 3;
      continue;
    }
    if (html.substr(i, 2) == "<!" || html.substr(i, 2) == "<?") {  // doctype, CDATA, processing instructions
      const auto end = html.find('>', i);
      i = end == std::string_view::npos ? html.size() : end + 1;
      continue;
    }
    auto tag = parse_tag(html, i);
    if (!tag) {
      out += "&lt;";
      ++i;
      continue;
    }
    i = tag->end;
    if (!tag->closing && dropped_with_content().contains(tag->name)) {
      if (tag->self_closing) continue;
      // Skip to the matching close tag (case-insensitive); all of it when there is none.
      const auto lower = to_lower_ascii(html.substr(i));
      const auto close = lower.find("</" + tag->name);
      if (close == std::string::npos) {
        i = html.size();
      } else {
        const auto gt = lower.find('>', close);
        i += gt == std::string::npos ? lower.size() : gt + 1;
      }
      continue;
    }
    if (allowed_tags().contains(tag->name)) out += render_tag(*tag);
  }
  return out;
}

}  // namespace herald::ai

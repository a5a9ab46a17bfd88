#include "mail/html_scan.hpp"

#include "core/strings.hpp"

namespace herald::mail::html {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

void skip_spaces(std::string_view s, std::size_t& i) {
  while (i < s.size() && is_space(s[i])) ++i;
}

std::string read_name(std::string_view s, std::size_t& i) {
  std::string name;
  while (i < s.size() && !is_space(s[i]) && s[i] != '>' && s[i] != '/' && s[i] != '=') name += lower(s[i++]);
  return name;
}

void read_attributes(std::string_view s, std::size_t& i, Tag& tag) {
  while (i < s.size()) {
    skip_spaces(s, i);
    if (i >= s.size()) return;
    if (s[i] == '>') return;
    if (s[i] == '/') {
      ++i;
      skip_spaces(s, i);
      if (i < s.size() && s[i] == '>') tag.self_closing = true;
      continue;
    }
    Attribute attr;
    attr.name = read_name(s, i);
    if (attr.name.empty()) {  // a stray '=' or the like
      ++i;
      continue;
    }
    skip_spaces(s, i);
    if (i < s.size() && s[i] == '=') {
      ++i;
      skip_spaces(s, i);
      attr.has_value = true;
      if (i < s.size() && (s[i] == '"' || s[i] == '\'')) {
        attr.quote = s[i++];
        attr.value_begin = i;
        auto close = s.find(attr.quote, i);
        i = close == std::string_view::npos ? s.size() : close;
        attr.value_end = i;
        if (i < s.size()) ++i;
      } else {
        attr.value_begin = i;
        while (i < s.size() && !is_space(s[i]) && s[i] != '>') ++i;
        attr.value_end = i;
      }
    }
    tag.attributes.push_back(std::move(attr));
  }
}

}  // namespace

const Attribute* Tag::attribute(std::string_view attr_name) const {
  for (const auto& a : attributes)
    if (a.name == attr_name) return &a;
  return nullptr;
}

std::string_view attribute_value(std::string_view html, const Attribute& attr) {
  return html.substr(attr.value_begin, attr.value_end - attr.value_begin);
}

Markup read_markup(std::string_view html, std::size_t pos) {
  Markup m;
  std::string_view rest = html.substr(pos);
  if (rest.starts_with("<!--")) {
    auto close = html.find("-->", pos + 4);
    m.kind = Markup::Kind::Skip;
    m.end = close == std::string_view::npos ? html.size() : close + 3;
    return m;
  }
  if (rest.starts_with("<!") || rest.starts_with("<?")) {
    auto close = html.find('>', pos);
    m.kind = Markup::Kind::Skip;
    m.end = close == std::string_view::npos ? html.size() : close + 1;
    return m;
  }
  std::size_t i = pos + 1;
  bool closing = false;
  if (i < html.size() && html[i] == '/') {
    closing = true;
    ++i;
  }
  if (i >= html.size() || !is_alpha(html[i])) return m;  // text
  m.kind = Markup::Kind::Tag;
  m.tag.begin = pos;
  m.tag.closing = closing;
  m.tag.name = read_name(html, i);
  if (closing) {
    auto close = html.find('>', i);
    i = close == std::string_view::npos ? html.size() : close;
  } else {
    read_attributes(html, i, m.tag);
  }
  m.end = i < html.size() ? i + 1 : html.size();
  m.tag.end = m.end;
  return m;
}

std::size_t skip_raw_text(std::string_view html, std::size_t pos, std::string_view name) {
  std::string closing = "</" + std::string(name);
  for (std::size_t i = pos; (i = html.find("</", i)) != std::string_view::npos; i += 2) {
    if (iequals_ascii(html.substr(i, closing.size()), closing)) {
      auto close = html.find('>', i);
      return close == std::string_view::npos ? html.size() : close + 1;
    }
  }
  return html.size();
}

}  // namespace herald::mail::html

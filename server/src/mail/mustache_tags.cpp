#include "mail/mustache_tags.hpp"

#include "core/strings.hpp"

namespace herald::mail {

namespace {

void read_name(Tag& tag, std::string_view contents) {
  if (tag.kind != TagKind::Delimiters) {
    auto bar = contents.find('|');
    if (bar != std::string_view::npos) {
      tag.fallback = std::string(trim(contents.substr(bar + 1)));
      contents = contents.substr(0, bar);
    }
  }
  tag.name = std::string(trim(contents));
}

}  // namespace

TagScan scan_tags(std::string_view source) {
  TagScan scan;
  std::size_t pos = 0;
  while ((pos = source.find("{{", pos)) != std::string_view::npos) {
    Tag tag;
    tag.offset = pos;
    bool triple = source.substr(pos).starts_with("{{{");
    std::string_view close = triple ? "}}}" : "}}";
    std::size_t body = pos + (triple ? 3 : 2);
    std::size_t end = source.find(close, body);
    if (end == std::string_view::npos) {
      scan.unclosed_at = pos;
      break;
    }
    tag.length = end + close.size() - pos;
    std::string_view contents = trim(source.substr(body, end - body));
    if (triple) {
      tag.kind = TagKind::Raw;
    } else if (!contents.empty()) {
      switch (contents.front()) {
        case '#':
          tag.kind = TagKind::Section;
          break;
        case '^':
          tag.kind = TagKind::Inverted;
          break;
        case '/':
          tag.kind = TagKind::Close;
          break;
        case '!':
          tag.kind = TagKind::Comment;
          break;
        case '>':
          tag.kind = TagKind::Partial;
          break;
        case '=':
          tag.kind = TagKind::Delimiters;
          break;
        case '&':
          tag.kind = TagKind::Raw;
          break;
        default:
          tag.kind = TagKind::Value;
          break;
      }
      if (tag.kind != TagKind::Value) contents.remove_prefix(1);
    }
    if (tag.kind != TagKind::Comment) read_name(tag, contents);
    scan.tags.push_back(std::move(tag));
    pos = end + close.size();
  }
  return scan;
}

Position position_of(std::string_view source, std::size_t offset) {
  Position p;
  if (offset > source.size()) offset = source.size();
  for (std::size_t i = 0; i < offset; ++i) {
    auto c = static_cast<unsigned char>(source[i]);
    if (c == '\n') {
      ++p.line;
      p.column = 1;
    } else if ((c & 0xC0) != 0x80 && c != '\r') {  // count characters, not UTF-8 continuation bytes
      ++p.column;
    }
  }
  return p;
}

}  // namespace herald::mail

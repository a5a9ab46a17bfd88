// The tags of a Mustache template, found with their positions: what the
// validator checks and what the default syntax ({{name|fallback}}) is
// rewritten from before kainjow parses the template. Pure.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace herald::mail {

enum class TagKind {
  Value,       // {{name}}          escaped in HTML
  Raw,         // {{{name}}} {{&name}}
  Section,     // {{#name}}
  Inverted,    // {{^name}}
  Close,       // {{/name}}
  Comment,     // {{! … }}
  Partial,     // {{> name}}        (refused)
  Delimiters,  // {{= <% %> =}}     (refused)
};

struct Tag {
  TagKind kind = TagKind::Value;
  std::size_t offset = 0;               // of the opening "{{"
  std::size_t length = 0;               // of the whole tag, delimiters included
  std::string name;                     // trimmed
  std::optional<std::string> fallback;  // the trimmed text after '|' (only Value and Raw may have one)
};

struct TagScan {
  std::vector<Tag> tags;
  // Set when a tag is never closed: its offset (tags after it are not read).
  std::optional<std::size_t> unclosed_at;
};

TagScan scan_tags(std::string_view source);

// 1-based line and column (in characters) of a byte offset.
struct Position {
  std::size_t line = 1;
  std::size_t column = 1;
};
Position position_of(std::string_view source, std::size_t offset);

}  // namespace herald::mail

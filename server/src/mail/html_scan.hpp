// A forgiving scanner for the tags of an HTML document, as mail clients read
// them: enough to turn HTML into text and to find and rewrite link targets.
// Not a validating parser. Pure.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace herald::mail::html {

struct Attribute {
  std::string name;             // lower-case
  std::size_t value_begin = 0;  // raw value (entities not decoded), without quotes
  std::size_t value_end = 0;
  char quote = 0;  // '"', '\'' or 0 (unquoted or no value)
  bool has_value = false;
};

struct Tag {
  std::size_t begin = 0;  // the '<'
  std::size_t end = 0;    // one past the '>'
  std::string name;       // lower-case
  bool closing = false;   // </name>
  bool self_closing = false;
  std::vector<Attribute> attributes;

  const Attribute* attribute(std::string_view attr_name) const;
};

// What starts at `pos` (which holds '<'): a tag, or markup to skip (a comment,
// <!DOCTYPE …>, <?…?>), or nothing (a '<' that is just text).
struct Markup {
  enum class Kind { Tag, Skip, Text } kind = Kind::Text;
  Tag tag;              // Kind::Tag
  std::size_t end = 0;  // one past the markup (Kind::Tag and Kind::Skip)
};
Markup read_markup(std::string_view html, std::size_t pos);

// Elements whose content is not markup or text to show: the offset just past
// their closing tag (or the end of the document), for <script>, <style> etc.
std::size_t skip_raw_text(std::string_view html, std::size_t pos, std::string_view name);

std::string_view attribute_value(std::string_view html, const Attribute& attr);

}  // namespace herald::mail::html

// HTML to plain text for the text part of a message, and HTML character
// references. Pure.
#pragma once

#include <string>
#include <string_view>

namespace herald::mail {

// A readable plain-text version of an HTML document: paragraphs and headings
// separated by a blank line, <br> and block ends as line breaks, list items
// as "- item" (or "1. item" in <ol>), links as "text (url)", images by their
// alt text, entities decoded, whitespace collapsed (kept in <pre>), and
// <head>, <script>, <style> and comments dropped. Lines end with "\n".
std::string html_to_text(std::string_view html);

// Decodes character references (&amp; &#39; &#x1F600; and the common named
// ones). Unknown or malformed references are kept as written; invalid code
// points become U+FFFD.
std::string decode_entities(std::string_view text);

// Appends the UTF-8 encoding of a code point (U+FFFD for invalid ones).
void append_utf8(std::string& out, char32_t cp);

}  // namespace herald::mail

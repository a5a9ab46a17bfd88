// Model output is untrusted: before generated HTML reaches a template it
// goes through an allow-list sanitiser. Kept: the tags and attributes an
// e-mail body uses (paragraphs, headings, lists, links, images, tables,
// inline styles without script-bearing constructs); dropped with their
// content: script, style, iframe, object, embed, form controls, svg, math;
// dropped: every other tag (its text kept), comments, on* attributes, and
// URLs whose scheme is not http, https, mailto or tel (javascript:, data:,
// vbscript: …). Merge tags ({{first_name}}) pass through untouched.
#pragma once

#include <string>
#include <string_view>

namespace herald::ai {

std::string sanitize_html(std::string_view html);

// True when `url` (an href or src) is safe to keep: relative, a fragment, a
// merge tag, or http(s)/mailto/tel.
bool safe_url(std::string_view url);

}  // namespace herald::ai

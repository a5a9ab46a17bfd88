#include "ai/merge_tags.hpp"

#include "core/strings.hpp"

namespace herald::ai {

TagCleanup remove_unknown_tags(std::string_view text, const mail::VariableSet& variables) {
  TagCleanup out;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto open = text.find("{{", i);
    if (open == std::string_view::npos) {
      out.text.append(text.substr(i));
      break;
    }
    out.text.append(text.substr(i, open - i));
    const bool triple = text.substr(open, 3) == "{{{";
    const auto close = text.find(triple ? "}}}" : "}}", open + (triple ? 3 : 2));
    if (close == std::string_view::npos) {  // never closed: not a tag, drop the braces
      out.text.append(text.substr(open + 2));
      break;
    }
    const auto whole = text.substr(open, close + (triple ? 3 : 2) - open);
    auto inner = trim(text.substr(open + (triple ? 3 : 2), close - open - (triple ? 3 : 2)));
    i = open + whole.size();
    char sigil = 0;
    if (!inner.empty() && std::string_view("#^/&!").find(inner.front()) != std::string_view::npos) {
      sigil = inner.front();
      inner = trim(inner.substr(1));
    }
    if (sigil == '!') continue;  // a comment
    std::string_view name = inner;
    std::string_view fallback;
    if (auto bar = inner.find('|'); bar != std::string_view::npos) {
      name = trim(inner.substr(0, bar));
      fallback = inner.substr(bar + 1);
    }
    const bool known = name == "." || variables.allows_value(name) || variables.allows_list(name);
    if (known) {
      out.text.append(whole);
      continue;
    }
    out.removed.emplace_back(name);
    if (sigil == 0 || sigil == '&') out.text.append(fallback);
  }
  return out;
}

}  // namespace herald::ai

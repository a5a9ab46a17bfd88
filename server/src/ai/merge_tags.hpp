// Merge tags in model output: every {{tag}} a draft keeps must be a variable
// templates know (mail::VariableSet::standard(): the lead's fields,
// custom.<key>, unsubscribe_url, …). A model inventing {{company_size}} would
// leave a hole in every message, so unknown tags are taken out — replaced by
// their default when they have one ({{x|there}} → "there").
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "mail/template.hpp"

namespace herald::ai {

struct TagCleanup {
  std::string text;
  std::vector<std::string> removed;  // the unknown names, in order of appearance
};

TagCleanup remove_unknown_tags(std::string_view text,
                               const mail::VariableSet& variables = mail::VariableSet::standard());

}  // namespace herald::ai

#include "leads/counts.hpp"

#include "core/errors.hpp"
#include "core/strings.hpp"
#include "leads/search.hpp"

namespace herald::leads {
namespace {

// The tag groups with a tag in them (an empty `tag=` adds an empty one, which selects nothing out).
std::vector<const std::vector<std::string>*> tag_groups(const Filter& f) {
  std::vector<const std::vector<std::string>*> out;
  for (const auto& g : f.tag_groups) {
    if (!g.empty()) out.push_back(&g);
  }
  return out;
}

}  // namespace

Depends depends_on(const Filter& f) {
  Depends d;
  d.text = !f.queries.empty();
  d.status = !f.statuses.empty();
  d.owner = f.owner_id.has_value() || f.unassigned;
  d.tags = !tag_groups(f).empty() || !f.not_tags.empty();
  d.other = !f.countries.empty() || f.source || f.created_from || f.created_to || f.score_min || f.score_max ||
            !f.custom.empty();
  return d;
}

Versions relevant(const Versions& v, const Depends& d) {
  Versions out;
  out.rows = v.rows;
  if (d.text) out.text = v.text;
  if (d.status) out.status = v.status;
  if (d.owner) out.owner = v.owner;
  if (d.tags) out.tags = v.tags;
  if (d.other) out.other = v.other;
  return out;
}

std::optional<std::vector<std::string>> exact_keys(const Filter& f) {
  if (f.impossible || f.segment_id || !f.ids.empty()) return std::nullopt;
  const Depends d = depends_on(f);
  if (d == Depends{}) return std::vector<std::string>{"all"};
  if (d == Depends{.status = true}) {
    std::vector<std::string> keys;
    for (const auto& s : f.statuses) keys.push_back("status:" + s);  // a lead has one status: they add up
    return keys;
  }
  if (d == Depends{.tags = true} && f.not_tags.empty()) {
    auto groups = tag_groups(f);
    if (groups.size() == 1 && groups.front()->size() == 1)
      return std::vector<std::string>{"tag:" + groups.front()->front()};
  }
  if (d == Depends{.owner = true})
    return std::vector<std::string>{f.unassigned ? std::string("owner:") : "owner:" + std::to_string(*f.owner_id)};
  return std::nullopt;
}

bool waits(const Filter& f, CountMode mode) {
  if (mode == CountMode::Exact && !exact_keys(f)) return true;
  for (const auto& q : f.queries) {
    if (!indexable(q)) return true;
  }
  return false;
}

CountMode parse_count_mode(std::optional<std::string_view> value) {
  if (!value || trim(*value).empty() || trim(*value) == "capped") return CountMode::Capped;
  if (trim(*value) == "exact") return CountMode::Exact;
  throw ValidationError("count", "must be exact (the whole count) or capped (the default: at most 10000)");
}

}  // namespace herald::leads

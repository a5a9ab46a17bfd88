// The `total` of a list of leads, without a rescan after every write.
//
// Three ways, cheapest first (docs/architecture.md, "List and count"):
//   1. Exact totals kept by triggers in the write transaction (lead_counts):
//      every lead, per status (any of several), per tag (one), per owner or
//      none. exact_keys() says when a filter is one of those.
//   2. Any other filter: a count that stops at count_cap() — kCountCap, or
//      kSearchCountCap with a `q` search —, reported as a lower bound when it
//      gets there (`total_is_lower_bound`).
//   3. `count=exact`: the whole count, off the I/O threads.
// Counts of kinds 2 and 3 are cached (leads/count_cache.hpp) for as long as
// the versions of what the filter reads are unchanged, so a status change
// does not invalidate the count of a search.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "leads/filter.hpp"

namespace herald::leads {

inline constexpr std::int64_t kCountCap = 10000;
// A search's count checks every lead holding q's trigrams against q itself,
// a row read each: it stops sooner, so that a search nobody asked before
// stays within a few milliseconds at a million leads ("1,000+ match").
inline constexpr std::int64_t kSearchCountCap = 1000;
inline std::int64_t count_cap(const Filter& f) { return f.queries.empty() ? kCountCap : kSearchCountCap; }
// How far past the cap a count goes when its filter reads a field that
// changes often (status, owner, tags): half the cap more, so that its "at
// least 10,000" holds until 5,000 leads have changed (leads/count_cache.hpp).
inline std::int64_t count_spare(const Filter& f) { return count_cap(f) / 2; }

// lead_counters, read in one statement (leads.versions, leads.count_prefix).
// Each grows by the number of leads changed in its way (`all` by at least one
// per change), so two readings bound how many leads a filter may have gained or lost.
struct Versions {
  std::int64_t all = 0;     // any change to a lead or its tags
  std::int64_t rows = 0;    // a lead added or deleted
  std::int64_t text = 0;    // email, first or last name, company
  std::int64_t status = 0;  // status
  std::int64_t owner = 0;   // owner_id
  std::int64_t tags = 0;    // lead_tags
  std::int64_t other = 0;   // country, source, score, custom fields, created_at
  bool operator==(const Versions&) const = default;
  // Grows with every change counted here (each version only grows).
  std::int64_t sum() const noexcept { return all + rows + text + status + owner + tags + other; }
};

// What a filter's count depends on: rows always, and each kind of field
// its conditions read.
struct Depends {
  bool text = false, status = false, owner = false, tags = false, other = false;
  bool operator==(const Depends&) const = default;
};
Depends depends_on(const Filter& f);

// The versions that matter to a count depending on `d`, the others zeroed:
// two counts of one filter are interchangeable when these are equal.
Versions relevant(const Versions& v, const Depends& d);

// The lead_counts keys whose sum is the filter's exact total, when the
// filter is one the triggers keep: nothing (all), statuses only, one tag
// only, or an owner (or none) only. nullopt otherwise.
std::optional<std::vector<std::string>> exact_keys(const Filter& f);

enum class CountMode { Capped, Exact };
// The `count` query parameter: absent or "capped", or "exact"; ValidationError("count") otherwise.
CountMode parse_count_mode(std::optional<std::string_view> value);

// True when listing may take long whatever is cached: an exact count of a
// filter without a kept total, or a q too short for the search index (it
// is checked lead by lead). Such requests run off the I/O threads.
bool waits(const Filter& f, CountMode mode);

// A list's total.
struct Total {
  std::int64_t count = 0;
  bool lower_bound = false;  // the count stopped at kCountCap: there are at least that many
};

}  // namespace herald::leads

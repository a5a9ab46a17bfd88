// `q`, the substring search over a lead's email, first and last name and
// company, answered from an index.
//
// What matches never depends on the index: a lead matches when one of the
// four fields contains q with ASCII letters compared without case (SQLite's
// LIKE; PostgreSQL's ILIKE, which folds more under a locale other than C),
// `%`, `_` and `\` taken literally — the condition append_search() always
// writes. The index only narrows the leads that condition is checked on, to
// a superset of the matches:
//
//   SQLite      leads_search, an FTS5 table with the trigram tokenizer (case
//               folded, detail=none: which leads hold a trigram in any of the
//               four fields), kept in step by triggers (0008_lead_search.sql).
//               The match is every chosen trigram of q, AND-ed.
//   PostgreSQL  a pg_trgm GIN index over the four fields joined by spaces;
//               the pattern on that expression is the narrowing condition.
//
// A q of fewer than three characters holds no trigram, so no index helps:
// it is checked lead by lead in the sort order (a page stops after its rows,
// a count at the cap).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "leads/filter.hpp"

namespace herald::leads {

// Characters (UTF-8 code points) in s; s is valid UTF-8.
std::size_t code_points(std::string_view s);

// True when q has a trigram, so the index can narrow the search.
bool indexable(std::string_view q);

// The trigrams the FTS5 match uses: a set whose trigrams together cover
// every character of q (the first, every third after it, and the last), so
// that leads holding all of them are few while the match stays a superset.
std::vector<std::string> chosen_trigrams(std::string_view q);

// The FTS5 query for the chosen trigrams: "abc" AND "def" AND …, each a
// string with `"` doubled, so q's characters are never FTS5 syntax.
std::string trigram_match(std::string_view q);

// The index's own narrowing parameter for q: the FTS5 match (SQLite) or the
// LIKE pattern on the joined fields (PostgreSQL). For the search_* prefixes.
std::string search_parameter(storage::Backend backend, std::string_view q);

// Appends " AND <q's condition>" to out, binding its values. With
// `narrowed` the statement's prefix already restricts the rows by the index
// (a search_* prefix with search_parameter bound); otherwise the restriction
// is added here too when q is indexable.
void append_search(std::string_view q, bool narrowed, BoundSql& out);

// The expression a search-driven statement orders and continues by for
// id order: the FTS5 table's rowid on SQLite (the order it can return rows
// in without sorting), the lead id on PostgreSQL.
std::string_view search_id_column(storage::Backend backend);

}  // namespace herald::leads

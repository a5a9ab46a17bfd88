#include "leads/search.hpp"

#include <algorithm>

namespace herald::leads {
namespace {

// Byte offsets at which each code point of s starts.
std::vector<std::size_t> starts(std::string_view s) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) out.push_back(i);
  }
  return out;
}

// The LIKE pattern "%q%" with % _ \ escaped by a backslash.
std::string pattern(std::string_view q) { return contains_pattern(q); }

// The four fields joined by spaces, the expression PostgreSQL's trigram
// index is built on (0008_lead_search.sql): the same text, or the planner
// would not use it.
constexpr std::string_view kPgJoined =
    "(leads.email || ' ' || leads.first_name || ' ' || leads.last_name || ' ' || leads.company)";

}  // namespace

std::size_t code_points(std::string_view s) { return starts(s).size(); }

bool indexable(std::string_view q) { return code_points(q) >= 3; }

std::vector<std::string> chosen_trigrams(std::string_view q) {
  auto at = starts(q);
  std::vector<std::string> out;
  if (at.size() < 3) return out;
  auto trigram = [&](std::size_t i) {
    std::size_t end = i + 3 < at.size() ? at[i + 3] : q.size();
    return std::string(q.substr(at[i], end - at[i]));
  };
  const std::size_t last = at.size() - 3;
  for (std::size_t i = 0; i < last; i += 3) out.push_back(trigram(i));
  out.push_back(trigram(last));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string trigram_match(std::string_view q) {
  std::string out;
  for (const auto& t : chosen_trigrams(q)) {
    if (!out.empty()) out += " AND ";
    out += '"';
    for (char c : t) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  }
  return out;
}

std::string search_parameter(storage::Backend backend, std::string_view q) {
  return backend == storage::Backend::Sqlite ? trigram_match(q) : pattern(q);
}

void append_search(std::string_view q, bool narrowed, BoundSql& out) {
  const bool pg = out.backend() == storage::Backend::Postgres;
  auto p = out.text(pattern(q));
  if (!narrowed && indexable(q)) {
    if (pg) {
      out.sql += " AND ";
      out.sql += kPgJoined;
      out.sql += " ILIKE " + p + " ESCAPE '\\'";
    } else {
      out.sql += " AND leads.id IN (SELECT rowid FROM leads_search WHERE leads_search MATCH " +
                 out.text(trigram_match(q)) + ")";
    }
  }
  // SQLite's LIKE ignores ASCII case; PostgreSQL needs ILIKE.
  const char* like = pg ? " ILIKE " : " LIKE ";
  out.sql += " AND (leads.email";
  out.sql += like + p + " ESCAPE '\\' OR leads.first_name" + like + p + " ESCAPE '\\' OR leads.last_name" + like + p +
             " ESCAPE '\\' OR leads.company" + like + p + " ESCAPE '\\')";
}

std::string_view search_id_column(storage::Backend backend) {
  return backend == storage::Backend::Sqlite ? "leads_search.rowid" : "leads.id";
}

}  // namespace herald::leads

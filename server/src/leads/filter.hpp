// The lead filter language, shared by GET /api/leads, the export, bulk
// actions and saved segments.
//
// A filter is a set of key=value conditions, all of which must hold:
//
//   q=acme               email, first/last name or company contains "acme" (case-insensitive)
//   status=new,contacted status is any of these
//   tag=vip,beta         has any of these tags       not_tag=…  has none of them
//   owner_id=7           owned by user 7             owner_id=none  unassigned
//   country=DE,FR        country is any of these     source=webinar
//   created_from=…       created at or after (RFC 3339 or a date)   created_to=…  before
//   score_min=50         score_max=90
//   cf.industry=saas     custom field "industry" equals "saas"
//   segment_id=3         also matches saved segment 3
//
// On the list endpoint these are query parameters (a key may repeat; commas
// separate alternatives). A segment stores the same keys as a JSON object
// whose values are strings or arrays of strings.
//
// Values only ever become bound parameters: to_sql() emits fixed SQL
// fragments with placeholders and never copies input into the SQL text.
// Keys are an allow-list, custom-field names must be [A-Za-z0-9_]{1,64}.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "storage/database.hpp"

namespace herald::leads {

struct Filter {
  std::vector<std::string> queries;  // q; each must match (more than one after a merge)
  std::vector<std::string> statuses;
  std::vector<std::vector<std::string>> tag_groups;  // has any tag of each group
  std::vector<std::string> not_tags;
  std::optional<std::int64_t> owner_id;
  bool unassigned = false;
  std::vector<std::string> countries;
  std::optional<std::string> source;
  std::optional<std::string> created_from;  // normalised RFC 3339
  std::optional<std::string> created_to;
  std::optional<std::int64_t> score_min;
  std::optional<std::int64_t> score_max;
  std::vector<std::pair<std::string, std::string>> custom;  // key, value (sorted)
  std::optional<std::int64_t> segment_id;
  std::vector<std::int64_t> ids;  // these leads only (bulk actions on a selection; not a query key)
  bool impossible = false;        // a merge found contradicting conditions

  bool empty() const;
  // A stable text form: equal filters give equal keys (the count cache key).
  std::string canonical() const;
  // The segment form: {"status": ["new"], "cf.industry": "saas", …}.
  nlohmann::json to_json() const;
  // Adds the conditions of `other`: a lead must then match both (segment_id is not copied).
  void merge(const Filter& other);
};

using Params = std::vector<std::pair<std::string, std::string>>;

// Parses key/value pairs (query parameters, or a segment's stored object)
// and ignores the keys in `ignore` (page, sort, …). Throws ValidationError
// naming the key for an unknown key or a bad value.
Filter parse_filter(const Params& params, std::initializer_list<std::string_view> ignore = {});
// A filter object (a segment's, a bulk action's); throws ValidationError
// naming "filter.<key>". Only a bulk action's may refer to a segment.
Filter parse_filter_json(const nlohmann::json& object, bool allow_segment_id = false);

// The query parameters of a request as pairs, percent-decoded, in order.
Params query_pairs(std::string_view query);

// SQL text with its bound values; strings live in `texts` (a deque, so the
// views in `params` stay valid while values are added).
class BoundSql {
 public:
  explicit BoundSql(storage::Backend backend, int first_placeholder = 1)
      : backend_(backend), next_(first_placeholder) {}
  BoundSql(const BoundSql&) = delete;
  BoundSql& operator=(const BoundSql&) = delete;

  storage::Backend backend() const noexcept { return backend_; }
  // Binds a value and returns its placeholder ("?3" / "$3::text").
  std::string text(std::string value);
  std::string integer(std::int64_t value);

  std::string sql;
  std::vector<storage::Param> params;

 private:
  storage::Backend backend_;
  int next_;
  std::deque<std::string> texts_;
};

// Appends " AND <condition>" for each condition of the filter to out.sql,
// binding every value; the table is `leads`. segment_id must have been
// resolved (merged) by the caller. `narrowed`: the query of filter.queries
// whose index restriction the statement's prefix already applies (a
// search_* prefix; leads/search.hpp), or null.
void append_conditions(const Filter& filter, BoundSql& out, const std::string* narrowed = nullptr);

// The query of the filter that a search_* statement can be driven by (the
// first one with a trigram), or null when the filter has none.
const std::string* search_driver(const Filter& filter);

// ORDER BY clauses, by the allow-listed `sort` parameter (default "-id").
struct Sort {
  std::string_view column = "id";  // from the allow-list
  bool by_id = true;               // keyset cursors work on id order only
  bool descending = true;
  std::string order_by = "leads.id DESC";  // e.g. "leads.created_at DESC, leads.id DESC"

  // The ORDER BY terms with `id_column` as the id (leads.search_id_column()).
  std::string order(std::string_view id_column) const;
};
// Throws ValidationError("sort", …) for anything else.
Sort parse_sort(std::optional<std::string_view> sort);

// A LIKE pattern matching `s` anywhere, with % _ \ escaped.
std::string contains_pattern(std::string_view s);

}  // namespace herald::leads

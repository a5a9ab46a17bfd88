#include "leads/filter.hpp"

#include <algorithm>
#include <charconv>

#include "core/errors.hpp"
#include "core/strings.hpp"
#include "core/time.hpp"
#include "http/types.hpp"
#include "leads/search.hpp"
#include "leads/types.hpp"

namespace herald::leads {
namespace {

constexpr std::size_t kMaxAlternatives = 50;
constexpr std::size_t kMaxQuery = 200;
constexpr std::size_t kMaxCustomConditions = 10;

std::optional<std::int64_t> to_int(std::string_view s) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// Comma-separated alternatives, trimmed, empty ones dropped, duplicates removed.
void add_alternatives(std::vector<std::string>& into, std::string_view value) {
  for (auto part : split(value, ',')) {
    auto t = trim(part);
    if (t.empty()) continue;
    std::string s(t);
    if (std::find(into.begin(), into.end(), s) == into.end()) into.push_back(std::move(s));
  }
}

void sort_unique(std::vector<std::string>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

std::string time_value(const std::string& key, std::string_view value) {
  auto t = parse_rfc3339(trim(value));
  if (!t) throw ValidationError(key, "must be an RFC 3339 time like 2026-01-31T12:00:00Z or a date");
  return rfc3339(*t);
}

std::int64_t int_value(const std::string& key, std::string_view value, std::int64_t min, std::int64_t max) {
  auto v = to_int(trim(value));
  if (!v || *v < min || *v > max)
    throw ValidationError(key, "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max));
  return *v;
}

void check_texts(const std::string& key, const std::vector<std::string>& values, std::size_t max) {
  if (values.size() > kMaxAlternatives) throw ValidationError(key, "at most 50 alternatives");
  for (const auto& v : values) {
    if (auto p = text_problem(v, max)) throw ValidationError(key, *p);
  }
}

void apply(Filter& f, const std::string& key, std::string_view value) {
  if (key == "q") {
    auto q = std::string(trim(value));
    if (auto p = text_problem(q, kMaxQuery)) throw ValidationError("q", *p);
    f.queries.clear();
    if (!q.empty()) f.queries.push_back(to_lower_ascii(q));
  } else if (key == "status") {
    add_alternatives(f.statuses, value);
    for (const auto& s : f.statuses) {
      if (!is_status(s))
        throw ValidationError("status",
                              "must be one of new, contacted, replied, interested, not_interested, "
                              "converted, unsubscribed, bounced");
    }
  } else if (key == "tag" || key == "not_tag") {
    if (key == "tag" && f.tag_groups.empty()) f.tag_groups.emplace_back();
    auto& into = key == "tag" ? f.tag_groups.front() : f.not_tags;
    add_alternatives(into, value);
    if (into.size() > kMaxAlternatives) throw ValidationError(key, "at most 50 tags");
    for (const auto& t : into) {
      if (auto p = tag_problem(t)) throw ValidationError(key, *p);
    }
  } else if (key == "owner_id") {
    auto v = trim(value);
    if (v == "none" || v == "null") {
      f.unassigned = true;
      f.owner_id.reset();
    } else {
      f.owner_id = int_value(key, v, 1, INT64_MAX);
      f.unassigned = false;
    }
  } else if (key == "country") {
    add_alternatives(f.countries, value);
    check_texts(key, f.countries, kMaxCountry);
  } else if (key == "source") {
    std::string s(trim(value));
    if (auto p = text_problem(s, kMaxSource)) throw ValidationError(key, *p);
    f.source = s;
  } else if (key == "created_from") {
    f.created_from = time_value(key, value);
  } else if (key == "created_to") {
    f.created_to = time_value(key, value);
  } else if (key == "score_min") {
    f.score_min = int_value(key, value, kMinScore, kMaxScore);
  } else if (key == "score_max") {
    f.score_max = int_value(key, value, kMinScore, kMaxScore);
  } else if (key == "segment_id") {
    f.segment_id = int_value(key, value, 1, INT64_MAX);
  } else if (key.starts_with("cf.")) {
    std::string name = key.substr(3);
    if (!valid_custom_key(name)) throw ValidationError(key, "custom field names are 1-64 letters, digits or '_'");
    std::string v(trim(value));
    if (auto p = text_problem(v, kMaxCustomString)) throw ValidationError(key, *p);
    auto it = std::find_if(f.custom.begin(), f.custom.end(), [&](const auto& c) { return c.first == name; });
    // A repeated key: the last value wins.
    if (it != f.custom.end()) {
      it->second = v;
    } else {
      if (f.custom.size() >= kMaxCustomConditions) throw ValidationError(key, "at most 10 custom field conditions");
      f.custom.emplace_back(name, v);
    }
    std::sort(f.custom.begin(), f.custom.end());
  } else {
    throw ValidationError(key,
                          "is not a filter; use q, status, tag, not_tag, owner_id, country, source, "
                          "created_from, created_to, score_min, score_max, segment_id or cf.<field>");
  }
}

void join(std::string& out, const char* key, const std::vector<std::string>& values) {
  if (values.empty()) return;
  out += key;
  out += '=';
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += '\x1f';
    out += values[i];
  }
  out += '\x1e';
}

nlohmann::json list_or_one(const std::vector<std::string>& v) {
  if (v.size() == 1) return v.front();
  return v;
}

}  // namespace

bool Filter::empty() const { return canonical().empty(); }

std::string Filter::canonical() const {
  // Unit and record separators cannot appear in validated values.
  std::string out;
  auto sorted = [](std::vector<std::string> v) {
    sort_unique(v);
    return v;
  };
  if (impossible) return "impossible\x1e";
  join(out, "q", sorted(queries));
  join(out, "status", sorted(statuses));
  std::vector<std::string> groups;
  for (const auto& g : tag_groups) {
    std::string joined;
    for (const auto& t : sorted(g)) joined += t + '\x1d';
    groups.push_back(joined);
  }
  join(out, "tag", sorted(groups));
  join(out, "not_tag", sorted(not_tags));
  if (owner_id) out += "owner_id=" + std::to_string(*owner_id) + '\x1e';
  if (unassigned) out += "owner_id=none\x1e";
  join(out, "country", sorted(countries));
  if (source) out += "source=" + *source + '\x1e';
  if (created_from) out += "created_from=" + *created_from + '\x1e';
  if (created_to) out += "created_to=" + *created_to + '\x1e';
  if (score_min) out += "score_min=" + std::to_string(*score_min) + '\x1e';
  if (score_max) out += "score_max=" + std::to_string(*score_max) + '\x1e';
  for (const auto& [k, v] : custom) out += "cf." + k + '=' + v + '\x1e';
  if (segment_id) out += "segment_id=" + std::to_string(*segment_id) + '\x1e';
  if (!ids.empty()) {
    out += "ids=";
    for (auto id : ids) out += std::to_string(id) + ',';
    out += '\x1e';
  }
  return out;
}

nlohmann::json Filter::to_json() const {
  nlohmann::json j = nlohmann::json::object();
  if (!queries.empty()) j["q"] = queries.front();
  if (!statuses.empty()) j["status"] = list_or_one(statuses);
  if (!tag_groups.empty()) j["tag"] = list_or_one(tag_groups.front());
  if (!not_tags.empty()) j["not_tag"] = list_or_one(not_tags);
  if (owner_id) j["owner_id"] = std::to_string(*owner_id);
  if (unassigned) j["owner_id"] = "none";
  if (!countries.empty()) j["country"] = list_or_one(countries);
  if (source) j["source"] = *source;
  if (created_from) j["created_from"] = *created_from;
  if (created_to) j["created_to"] = *created_to;
  if (score_min) j["score_min"] = std::to_string(*score_min);
  if (score_max) j["score_max"] = std::to_string(*score_max);
  for (const auto& [k, v] : custom) j["cf." + k] = v;
  return j;
}

void Filter::merge(const Filter& o) {
  impossible = impossible || o.impossible;
  for (const auto& q : o.queries) {
    if (std::find(queries.begin(), queries.end(), q) == queries.end()) queries.push_back(q);
  }
  // A lead has one status and one country: both lists must allow it.
  auto intersect = [this](std::vector<std::string>& mine, const std::vector<std::string>& theirs) {
    if (theirs.empty()) return;
    if (mine.empty()) {
      mine = theirs;
      return;
    }
    std::vector<std::string> both;
    for (const auto& v : mine) {
      if (std::find(theirs.begin(), theirs.end(), v) != theirs.end()) both.push_back(v);
    }
    if (both.empty()) impossible = true;
    mine = both;
  };
  intersect(statuses, o.statuses);
  intersect(countries, o.countries);
  for (const auto& g : o.tag_groups) tag_groups.push_back(g);
  for (const auto& t : o.not_tags) {
    if (std::find(not_tags.begin(), not_tags.end(), t) == not_tags.end()) not_tags.push_back(t);
  }
  if (o.owner_id) {
    if ((owner_id && *owner_id != *o.owner_id) || unassigned) impossible = true;
    owner_id = o.owner_id;
  }
  if (o.unassigned) {
    if (owner_id) impossible = true;
    unassigned = true;
  }
  if (o.source) {
    if (source && *source != *o.source) impossible = true;
    source = o.source;
  }
  if (o.created_from && (!created_from || *o.created_from > *created_from)) created_from = o.created_from;
  if (o.created_to && (!created_to || *o.created_to < *created_to)) created_to = o.created_to;
  if (o.score_min && (!score_min || *o.score_min > *score_min)) score_min = o.score_min;
  if (o.score_max && (!score_max || *o.score_max < *score_max)) score_max = o.score_max;
  for (const auto& c : o.custom) {
    if (std::find(custom.begin(), custom.end(), c) == custom.end()) custom.push_back(c);
  }
  std::sort(custom.begin(), custom.end());
  if (!o.ids.empty()) {
    if (ids.empty()) {
      ids = o.ids;
    } else {
      std::vector<std::int64_t> both;
      for (auto id : ids) {
        if (std::find(o.ids.begin(), o.ids.end(), id) != o.ids.end()) both.push_back(id);
      }
      if (both.empty()) impossible = true;
      ids = both;
    }
  }
}

Filter parse_filter(const Params& params, std::initializer_list<std::string_view> ignore) {
  Filter f;
  for (const auto& [key, value] : params) {
    if (std::find(ignore.begin(), ignore.end(), key) != ignore.end()) continue;
    apply(f, key, value);
  }
  return f;
}

Filter parse_filter_json(const nlohmann::json& object, bool allow_segment_id) {
  if (!object.is_object()) throw ValidationError("filter", "must be a JSON object of filter keys");
  Params params;
  for (const auto& item : object.items()) {
    const std::string& key = item.key();  // a plain reference: lambdas below capture it
    const auto& value = item.value();
    if (key == "segment_id" && !allow_segment_id)
      throw ValidationError("filter.segment_id", "a segment cannot refer to another segment");
    auto add = [&](const nlohmann::json& v) {
      if (v.is_string()) {
        params.emplace_back(key, v.get<std::string>());
      } else if (v.is_number_integer()) {
        params.emplace_back(key, std::to_string(v.get<std::int64_t>()));
      } else {
        throw ValidationError("filter." + key, "must be a string or an array of strings");
      }
    };
    if (value.is_array()) {
      for (const auto& v : value) add(v);
    } else {
      add(value);
    }
  }
  try {
    return parse_filter(params);
  } catch (const ValidationError& e) {
    ValidationError renamed;
    for (const auto& fe : e.errors()) renamed.with_field("filter." + fe.field, fe.message);
    throw renamed;
  }
}

Params query_pairs(std::string_view q) {
  Params out;
  while (!q.empty()) {
    auto amp = q.find('&');
    std::string_view pair = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view{} : q.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    auto key = http::percent_decode(pair.substr(0, eq), true);
    auto value =
        eq == std::string_view::npos ? std::optional<std::string>("") : http::percent_decode(pair.substr(eq + 1), true);
    if (!key || !value) throw BadRequest("the query string is not valid percent-encoding");
    if (!is_text(*key) || !is_text(*value))
      throw BadRequest("query parameter '" + storable_text(*key) + "' is not valid UTF-8 text");
    out.emplace_back(std::move(*key), std::move(*value));
  }
  return out;
}

// ---- SQL ------------------------------------------------------------------

std::string BoundSql::text(std::string value) {
  texts_.push_back(std::move(value));
  params.emplace_back(std::string_view(texts_.back()));
  int n = next_++;
  return backend_ == storage::Backend::Sqlite ? "?" + std::to_string(n) : "$" + std::to_string(n) + "::text";
}

std::string BoundSql::integer(std::int64_t value) {
  params.emplace_back(value);
  int n = next_++;
  return backend_ == storage::Backend::Sqlite ? "?" + std::to_string(n) : "$" + std::to_string(n) + "::bigint";
}

namespace {

std::string in_list(BoundSql& out, const std::vector<std::string>& values) {
  std::string list = "(";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) list += ", ";
    list += out.text(values[i]);
  }
  return list + ")";
}

}  // namespace

void append_conditions(const Filter& f, BoundSql& out, const std::string* narrowed) {
  const bool pg = out.backend() == storage::Backend::Postgres;
  auto& s = out.sql;
  if (f.impossible) s += " AND 1 = 0";
  if (!f.ids.empty()) {
    std::string list = "[";
    for (std::size_t i = 0; i < f.ids.size(); ++i) list += (i ? "," : "") + std::to_string(f.ids[i]);
    auto p = out.text(list + "]");
    // PostgreSQL: `= ANY (ARRAY(…))` probes the primary key once per id. As
    // `IN (SELECT …)` the plan was a merge semi join that read the primary
    // key from the first lead up to the largest id in the list, a cost that
    // grew with the table (each sending chunk re-reads its 20 leads this way).
    s += pg ? " AND leads.id = ANY (ARRAY(SELECT jsonb_array_elements_text(" + p + "::jsonb)::bigint))"
            : " AND leads.id IN (SELECT value FROM json_each(" + p + "))";
  }
  for (const auto& q : f.queries) append_search(q, &q == narrowed, out);
  if (!f.statuses.empty()) s += " AND leads.status IN " + in_list(out, f.statuses);
  for (const auto& group : f.tag_groups) {
    if (group.empty()) continue;
    s += " AND EXISTS (SELECT 1 FROM lead_tags t WHERE t.lead_id = leads.id AND t.tag IN " + in_list(out, group) + ")";
  }
  if (!f.not_tags.empty())
    s += " AND NOT EXISTS (SELECT 1 FROM lead_tags t WHERE t.lead_id = leads.id AND t.tag IN " +
         in_list(out, f.not_tags) + ")";
  if (f.owner_id) s += " AND leads.owner_id = " + out.integer(*f.owner_id);
  if (f.unassigned) s += " AND leads.owner_id IS NULL";
  if (!f.countries.empty()) s += " AND leads.country IN " + in_list(out, f.countries);
  if (f.source) s += " AND leads.source = " + out.text(*f.source);
  if (f.created_from) s += " AND leads.created_at >= " + out.text(*f.created_from);
  if (f.created_to) s += " AND leads.created_at < " + out.text(*f.created_to);
  if (f.score_min) s += " AND leads.score >= " + out.integer(*f.score_min);
  if (f.score_max) s += " AND leads.score <= " + out.integer(*f.score_max);
  for (const auto& [key, value] : f.custom) {
    if (pg) {
      // ->> gives true/false and numbers as their JSON text, like the SQLite form below.
      auto k = out.text(key);
      auto v = out.text(value);
      s += " AND (leads.custom_fields ->> " + k + ") = " + v;
    } else {
      auto path = out.text("$.\"" + key + "\"");
      auto v = out.text(value);
      s += " AND (CASE json_type(leads.custom_fields, " + path +
           ") WHEN 'true' THEN 'true' WHEN 'false' THEN "
           "'false' ELSE CAST(json_extract(leads.custom_fields, " +
           path + ") AS TEXT) END) = " + v;
    }
  }
}

const std::string* search_driver(const Filter& f) {
  if (f.impossible) return nullptr;
  for (const auto& q : f.queries) {
    if (indexable(q)) return &q;
  }
  return nullptr;
}

Sort parse_sort(std::optional<std::string_view> sort) {
  std::string_view s = sort ? trim(*sort) : std::string_view("-id");
  if (s.empty()) s = "-id";
  bool desc = s.front() == '-';
  std::string_view column = desc ? s.substr(1) : s;
  static constexpr std::array<std::string_view, 10> kColumns = {
      "id", "created_at", "updated_at", "email", "first_name", "last_name", "company", "score", "status", "country"};
  if (std::find(kColumns.begin(), kColumns.end(), column) == kColumns.end())
    throw ValidationError("sort",
                          "must be one of id, created_at, updated_at, email, first_name, last_name, company, "
                          "score, status, country, optionally prefixed with '-' for descending");
  Sort out;
  out.descending = desc;
  // The column comes from the allow-list above, never from the request.
  out.column = *std::find(kColumns.begin(), kColumns.end(), column);
  out.by_id = column == "id";
  out.order_by = out.order("leads.id");
  return out;
}

std::string Sort::order(std::string_view id_column) const {
  const char* dir = descending ? " DESC" : " ASC";
  std::string id = std::string(id_column) + dir;
  if (by_id) return id;
  return "leads." + std::string(column) + dir + ", " + id;
}

std::string contains_pattern(std::string_view s) {
  std::string out = "%";
  for (char c : s) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  out += '%';
  return out;
}

}  // namespace herald::leads

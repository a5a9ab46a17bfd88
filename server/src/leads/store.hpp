// SQL access for leads, tags, segments and suppressions. Each call takes the
// connection, so the service decides the transaction. Statements come from
// server/sql/<backend>/leads.sql, resolved at construction; filtered
// statements are those prefixes plus leads/filter.cpp's bound conditions.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "leads/filter.hpp"
#include "leads/types.hpp"
#include "storage/database.hpp"
#include "storage/query.hpp"

namespace herald::leads {

using storage::Connection;

struct Segment {
  std::int64_t id = 0;
  std::string name;
  std::string description;
  nlohmann::json filter = nlohmann::json::object();
  std::optional<std::int64_t> created_by;
  std::string created_at, updated_at;
};

struct Suppression {
  std::int64_t id = 0;
  std::string kind;                  // email or domain
  std::optional<std::string> value;  // null when only the hash is kept
  std::string value_hash;
  std::string reason;
  std::string note;
  std::optional<std::int64_t> created_by;
  std::string created_at;
};

struct SuppressionQuery {
  std::optional<std::string> kind, reason, like;
  std::int64_t limit = 50, offset = 0;
};

class Store {
 public:
  explicit Store(storage::Backend backend);
  storage::Backend backend() const noexcept { return backend_; }

  // ---- leads
  std::int64_t version(Connection& c) const;
  void bump_version(Connection& c) const;
  // {version, count} read in one statement (one snapshot).
  std::pair<std::int64_t, std::int64_t> count(Connection& c, const Filter& f) const;
  // Rows of one page, in `sort` order; `after_id` continues an id-ordered keyset.
  void page(Connection& c, const Filter& f, const Sort& sort, std::int64_t limit, std::int64_t offset,
            std::optional<std::int64_t> after_id, const std::function<void(const storage::Row&)>& on_row) const;
  std::optional<Lead> by_id(Connection& c, std::int64_t id) const;
  std::optional<std::int64_t> id_by_email(Connection& c, std::string_view email) const;
  std::int64_t insert(Connection& c, const LeadInput& in, const std::string& now) const;
  void update(Connection& c, const Lead& lead, const std::string& now) const;
  bool remove(Connection& c, std::int64_t id) const;
  // Replaces the lead's tag links with `tags`.
  void link_tags(Connection& c, std::int64_t id, const std::vector<std::string>& tags) const;
  bool user_exists(Connection& c, std::int64_t id) const;
  // Every user by email and by id (the owner column of an import).
  std::unordered_map<std::string, std::int64_t> users(Connection& c) const;

  // ---- bulk actions over a filter; each returns how many leads changed
  std::int64_t bulk_set_status(Connection& c, const Filter& f, std::string_view status, const std::string& now) const;
  std::int64_t bulk_set_owner(Connection& c, const Filter& f, std::optional<std::int64_t> owner,
                              const std::string& now) const;
  std::int64_t bulk_delete(Connection& c, const Filter& f) const;
  std::int64_t bulk_tag(Connection& c, const Filter& f, std::string_view tag, const std::string& now) const;
  std::int64_t bulk_untag(Connection& c, const Filter& f, std::string_view tag, const std::string& now) const;

  // ---- segments
  std::vector<Segment> list_segments(Connection& c, std::int64_t limit, std::int64_t offset) const;
  std::int64_t count_segments(Connection& c) const;
  std::optional<Segment> segment(Connection& c, std::int64_t id) const;
  std::optional<std::int64_t> segment_by_name(Connection& c, std::string_view name) const;
  std::int64_t insert_segment(Connection& c, const Segment& s, const std::string& now) const;
  void update_segment(Connection& c, const Segment& s, const std::string& now) const;
  bool delete_segment(Connection& c, std::int64_t id) const;

  // ---- suppressions
  std::vector<Suppression> list_suppressions(Connection& c, const SuppressionQuery& q) const;
  std::int64_t count_suppressions(Connection& c, const SuppressionQuery& q) const;
  std::optional<Suppression> suppression(Connection& c, std::int64_t id) const;
  std::optional<std::int64_t> suppression_by_hash(Connection& c, std::string_view hash) const;
  std::int64_t insert_suppression(Connection& c, const Suppression& s) const;
  void update_suppression(Connection& c, const Suppression& s) const;
  void forget_suppression_value(Connection& c, std::string_view hash) const;
  bool delete_suppression(Connection& c, std::int64_t id) const;
  bool suppressed(Connection& c, std::string_view email_hash, std::string_view domain_hash) const;

 private:
  std::int64_t run_bulk(Connection& c, const storage::Query& prefix, std::initializer_list<storage::Param> own,
                        const Filter& f, bool returning_ids, std::vector<std::int64_t>* ids) const;

  storage::Backend backend_;
};

// A lead from a row of leads.page_prefix / leads.by_id.
Lead lead_from_row(const storage::Row& r);
// The row's public JSON, written straight from the row (the list's hot path).
void append_row_json(std::string& out, const storage::Row& r);
// The JSON array of ids, as the *_for_ids queries take it.
std::string id_array(const std::vector<std::int64_t>& ids);

}  // namespace herald::leads

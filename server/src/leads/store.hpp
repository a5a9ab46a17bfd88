// SQL access for leads and their tags. Each call takes the connection, so
// the service decides the transaction. Statements come from
// server/sql/{common,<backend>}/leads.sql; filtered statements are those
// prefixes plus leads/filter.cpp's bound conditions. Segments, suppressions
// and imports have their own stores.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "leads/block_counts.hpp"
#include "leads/change_feed.hpp"
#include "leads/counts.hpp"
#include "leads/filter.hpp"
#include "leads/interface.hpp"
#include "leads/types.hpp"
#include "storage/database.hpp"
#include "storage/query.hpp"

namespace herald::leads {

using storage::Connection;

// One statement of leads.block_count_prefix: what it counted and at what point.
struct BlockCounting {
  Versions at;
  std::int64_t top = 0;  // the highest lead id
  std::vector<BlockCount> blocks;
};

class LeadStore {
 public:
  explicit LeadStore(storage::Backend backend);
  storage::Backend backend() const noexcept { return backend_; }

  // ---- leads (triggers keep the versions, the exact totals and the search
  // index in step with every write: 0008_lead_search.sql)
  Versions versions(Connection& c) const;
  // The log of changes after a version (leads/change_feed.hpp), oldest first.
  std::vector<Change> changes_since(Connection& c, std::int64_t after, std::int64_t limit) const;
  // The sum of the exact totals under these lead_counts keys (leads/counts.hpp).
  std::int64_t counted(Connection& c, const std::vector<std::string>& keys) const;
  // Leads created in [from, to) (RFC 3339 bounds).
  // The kept total, the leads created in [from, to) and in [before, from) (RFC 3339 text), in one statement.
  LeadTotals totals(Connection& c, std::string_view before, std::string_view from, std::string_view to) const;
  // The leads matching a filter, stopping at `limit` when given, with the
  // versions of the same snapshot.
  std::pair<Versions, std::int64_t> count(Connection& c, const Filter& f, std::optional<std::int64_t> limit) const;
  // The leads matching a filter (one without q) per block of kCountBlock ids,
  // blocks with none left out, with the versions and the highest lead id of
  // the same snapshot: every block, or those from `blocks->first` to
  // `blocks->second` (leads/block_counts.hpp).
  BlockCounting count_blocks(Connection& c, const Filter& f,
                             std::optional<std::pair<std::int64_t, std::int64_t>> blocks) const;
  // Rows of one page, in `sort` order; `after_id` continues an id-ordered
  // keyset. A filter with an indexable q is read through the search index.
  void page(Connection& c, const Filter& f, const Sort& sort, std::int64_t limit, std::int64_t offset,
            std::optional<std::int64_t> after_id, const std::function<void(const storage::Row&)>& on_row) const;
  std::optional<Lead> by_id(Connection& c, std::int64_t id) const;
  std::optional<std::int64_t> id_by_email(Connection& c, std::string_view email) const;
  std::int64_t insert(Connection& c, const LeadInput& in, const std::string& now) const;
  // After inserting leads (here or by an import) and their tags, in the same
  // transaction: adds them to the search index and the kept totals (leads.added).
  void added(Connection& c) const;
  void update(Connection& c, const Lead& lead, const std::string& now) const;
  bool remove(Connection& c, std::int64_t id) const;
  // Replaces the lead's tag links with `tags`.
  void link_tags(Connection& c, std::int64_t id, const std::vector<std::string>& tags) const;
  // An unsubscribe, bounce or reply (leads::Leads::change_status).
  void set_status(Connection& c, std::int64_t id, std::string_view status, const std::string& now) const;
  // A computed score and its reasons (a JSON array), from the lead scorer (leads::Leads::set_scores).
  void set_score(Connection& c, std::int64_t id, std::int64_t score, std::string_view reasons_json) const;

  // ---- bulk actions over a filter; each returns how many leads changed
  std::int64_t bulk_set_status(Connection& c, const Filter& f, std::string_view status, const std::string& now) const;
  std::int64_t bulk_set_owner(Connection& c, const Filter& f, std::optional<std::int64_t> owner,
                              const std::string& now) const;
  std::int64_t bulk_delete(Connection& c, const Filter& f) const;
  std::int64_t bulk_tag(Connection& c, const Filter& f, std::string_view tag, const std::string& now) const;
  std::int64_t bulk_untag(Connection& c, const Filter& f, std::string_view tag, const std::string& now) const;

 private:
  std::int64_t run_bulk(Connection& c, const storage::Query& prefix, std::initializer_list<storage::Param> own,
                        const Filter& f, bool returning_ids, std::vector<std::int64_t>* ids) const;

  storage::Backend backend_;
};

// The public fields of a row of leads.page_prefix / leads.by_id, as views
// valid while the row is (the list and the export write straight from rows).
LeadView view_of(const storage::Row& r);
// A lead from a row of leads.by_id / imports.existing (or, without the import
// fields, of leads.page_prefix).
Lead lead_from_row(const storage::Row& r);
// The JSON array of ids, as the *_for_ids queries take it.
std::string id_array(const std::vector<std::int64_t>& ids);

}  // namespace herald::leads

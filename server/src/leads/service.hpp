// Lead records: list with filters and counts, get, create, update, delete,
// and bulk actions. Deleting a lead is a hard delete (see docs/architecture.md).
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "auth/interface.hpp"
#include "core/clock.hpp"
#include "leads/change_feed.hpp"
#include "leads/count_cache.hpp"
#include "leads/counts.hpp"
#include "leads/filter.hpp"
#include "leads/page_cache.hpp"
#include "leads/segment_store.hpp"
#include "leads/store.hpp"
#include "leads/types.hpp"
#include "storage/database.hpp"

namespace herald::leads {

struct ListQuery {
  Filter filter;
  Sort sort;
  std::int64_t page = 1;
  std::int64_t page_size = 50;
  std::optional<std::int64_t> cursor;   // keyset: continue after this id (id order only)
  CountMode count = CountMode::Capped;  // count=exact: the whole count, however long
};

enum class BulkAction { Tag, Untag, SetStatus, SetOwner, Delete };
std::string_view to_string(BulkAction a) noexcept;

struct BulkRequest {
  BulkAction action = BulkAction::Tag;
  std::string tag;
  std::string status;
  std::optional<std::int64_t> owner_id;
  Filter filter;  // ids, or conditions
};
// Throws ValidationError naming each bad field.
BulkRequest parse_bulk_request(const nlohmann::json& body);

// Offsets past this need the keyset cursor: a deep OFFSET walks every row before it.
inline constexpr std::int64_t kMaxOffset = 100000;

class LeadService {
 public:
  // `page_cache_bytes`: memory for rendered list pages (0 = none). `users`
  // answers whether an owner_id names a user.
  LeadService(storage::Database& db, const Clock& clock, auth::Users& users, std::size_t page_cache_bytes = 64u << 20);

  // The whole response document: {items, total, total_is_lower_bound, page, page_size, next_cursor}.
  std::string list_json(ListQuery q);
  // The exact number of leads matching a (resolved) filter (segments' member_count).
  std::int64_t count(storage::Connection& c, const Filter& f);
  // True when this process keeps block counts of the (resolved) filter, so
  // that its next exact count counts only the blocks changed since.
  bool exact_count_kept(const Filter& f);
  // A list's total (leads/counts.hpp): kept by the triggers, cached, or counted.
  Total total(storage::Connection& c, const Filter& f, CountMode mode, const Versions& versions);
  // Whether listing this (unresolved) filter may take long: leads::waits(),
  // or a total that is to be counted, going by the versions last seen. Reads
  // only memory: it decides, on the I/O thread, where the request runs.
  bool may_wait(const Filter& f, CountMode mode) const;
  Lead get(std::int64_t id);
  Lead create(const LeadInput& in);
  Lead update(std::int64_t id, const LeadPatch& patch);
  void remove(std::int64_t id);
  std::int64_t bulk(const BulkRequest& r);

  // Adds a segment_id's stored conditions; ValidationError when it does not exist.
  Filter resolve(storage::Connection& c, Filter f) const;
  Filter resolve(Filter f);

  // Up to `limit` leads of a resolved filter with ids above `after_id`, in
  // id order, each handed to `on_row` as a row of leads.page_prefix; returns
  // how many. A keyset slice: nothing is held between calls (export, audiences).
  std::int64_t slice(const Filter& f, std::int64_t after_id, std::int64_t limit,
                     const std::function<void(const storage::Row&)>& on_row);

  std::string now() const;

 private:
  void check_owner(const std::optional<std::int64_t>& owner) const;
  // Brings the change feed up to `version`, one just read on `c`.
  void catch_up(storage::Connection& c, std::int64_t version);
  // The exact count of a filter without q, by blocks (leads/block_counts.hpp);
  // `version`: lead_counters.version, read on `c` before.
  std::int64_t exact_by_blocks(storage::Connection& c, const Filter& f, const std::string& key, std::int64_t version);

  storage::Database& db_;
  const Clock& clock_;
  auth::Users& users_;
  LeadStore store_;
  SegmentStore segments_;
  mutable CountCache counts_;
  ChangeFeed feed_;
  BlockTotals blocks_;
  mutable std::mutex last_mutex_;
  Versions last_versions_;  // the newest versions a list request read
  PageCache pages_;
};

}  // namespace herald::leads

// Which leads changed since a version, and whether that can have touched a
// rendered page of the list.
//
// Every change to a lead or its tags is logged in lead_changes by the same
// triggers that keep the versions (0008_lead_search.sql): the version, the
// lead, and what changed (aspects). A page of the default order (newest
// first) shows the matching leads from some id down to `lowest`; a change
// can alter it only if it shows the changed lead, or if the lead may have
// entered or left the filter (added, deleted, or a field the filter reads
// changed) and its id is at or above `lowest` (everything after it moves up
// or down a place). So a status change of one lead among a million leaves
// almost every cached page valid, where a single version would have
// dropped them all. Totals are not part of this: a page's total is read
// fresh (leads/counts.hpp).
//
// Each process keeps the recent log in memory (ChangeFeed), reading what is
// new once per version it sees; the database keeps the last 100,000 versions.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <mutex>
#include <optional>
#include <vector>

#include "leads/block_counts.hpp"
#include "leads/counts.hpp"

namespace herald::leads {

// lead_changes.aspects bits.
inline constexpr unsigned kChangedRows = 1;  // added or deleted
inline constexpr unsigned kChangedText = 2;
inline constexpr unsigned kChangedStatus = 4;
inline constexpr unsigned kChangedOwner = 8;
inline constexpr unsigned kChangedTags = 16;
inline constexpr unsigned kChangedOther = 32;

// The aspects whose change may move a lead into or out of a filter reading `d`.
unsigned membership_aspects(const Depends& d);

struct Change {
  std::int64_t version = 0;
  std::optional<std::int64_t> lead_id;  // none: too many to list, any page may have changed
  unsigned aspects = 0;
};

// What a rendered page depends on.
struct PageScope {
  bool newest_first = false;  // id order, descending; any other order depends on every lead
  std::int64_t lowest = 0;    // the lowest id on a full page; 0 when the page is not full
  std::int64_t below = std::numeric_limits<std::int64_t>::max();  // a cursor page: leads below the cursor
  unsigned membership = 0;                                        // membership_aspects() of its filter
  std::vector<std::int64_t> ids;                                  // the leads on it, sorted
};

// True when `change` leaves a page of this scope exactly as it was.
bool leaves_unchanged(const PageScope& page, const Change& change);

class ChangeFeed {
 public:
  // Reads the log after a version, at most `limit` entries in version order.
  using Fetch = std::function<std::vector<Change>(std::int64_t after, std::size_t limit)>;

  explicit ChangeFeed(std::size_t keep = 100000, std::size_t fetch_limit = 5000)
      : keep_(keep), fetch_limit_(fetch_limit) {}

  // Brings the feed up to `now`, a version just read: every change up to it
  // is then known (or, after more than a fetch's worth, forgotten: pages
  // from before are then treated as changed).
  void catch_up(std::int64_t now, const Fetch& fetch);

  // True when every change in (since, now] is known and leaves the page as it was.
  bool unchanged(const PageScope& page, std::int64_t since, std::int64_t now) const;

  // The leads changed in (since, now] in one of the ways `aspects` names,
  // oldest first (leads added: the highest new id); nullopt unless each
  // change is known by its lead: a change without one (too many to list),
  // versions not read yet or forgotten.
  std::optional<std::vector<ChangedLead>> changed(std::int64_t since, std::int64_t now, unsigned aspects) const;

 private:
  std::size_t keep_;
  std::size_t fetch_limit_;
  mutable std::mutex mutex_;
  std::deque<Change> changes_;  // in version order
  bool started_ = false;
  std::int64_t known_after_ = 0;  // every change after this version up to latest_ is in changes_
  std::int64_t latest_ = 0;
};

}  // namespace herald::leads

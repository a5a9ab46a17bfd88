// Counts of filters the triggers do not keep (leads/counts.hpp), each valid
// while the versions of what its filter reads are unchanged.
//
// A count is stored with the versions read in the same statement (one
// snapshot), so a cached count is exact for as long as those versions are
// current — across processes too, since the versions live in the database.
// A search's count survives status changes; a status filter's survives
// edits of names. A count that reached the cap stays "at least the cap"
// while fewer leads changed than it had to spare: each version grows by the
// number of leads changed, so the versions' growth bounds how many may have
// left the filter; it is counted again once half that surplus is spent,
// by one request at a time, while the others are still answered from it.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/key_flights.hpp"
#include "leads/counts.hpp"

namespace herald::leads {

// One count of a key at a time (KeyFlights): the others may wait for it.
class CountCache : public KeyFlights {
 public:
  explicit CountCache(std::size_t capacity = 4096) : capacity_(capacity) {}

  struct Lookup {
    std::optional<Total> total;  // valid at these versions
    bool refresh = false;        // valid, but half its surplus is spent: count again soon
  };

  // `versions`: the relevant ones (leads/counts.hpp relevant()).
  Lookup lookup(const std::string& key, const Versions& versions) const {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(key);
    if (it == entries_.end()) return {};
    const Entry& e = it->second;
    // Counted at these versions, or at newer ones (a count another request
    // made meanwhile: at least as new as this request).
    if (e.versions == versions || at_or_after(e.versions, versions)) return {e.total, false};
    const std::int64_t changed = versions.sum() - e.versions.sum();
    const std::int64_t surplus = e.matched - e.total.count;
    if (e.total.lower_bound && changed > 0 && changed <= surplus) return {e.total, 2 * changed > surplus};
    return {};
  }
  std::optional<Total> get(const std::string& key, const Versions& versions) const {
    return lookup(key, versions).total;
  }

  // `matched`: how many leads the count found (at least that many match);
  // `total`: what a request is told.
  void put(const std::string& key, const Versions& versions, std::int64_t matched, Total total) {
    std::lock_guard lock(mutex_);
    // Old versions are never asked for again: start over rather than track use.
    if (entries_.size() >= capacity_ && !entries_.contains(key)) entries_.clear();
    auto& e = entries_[key];
    // Versions only grow: a count read from an older snapshot never replaces a newer one.
    if (!e.filled || e.versions.sum() <= versions.sum()) e = Entry{true, versions, matched, total};
  }

 private:
  static bool at_or_after(const Versions& a, const Versions& b) {
    return a.rows >= b.rows && a.text >= b.text && a.status >= b.status && a.owner >= b.owner && a.tags >= b.tags &&
           a.other >= b.other;
  }

  struct Entry {
    bool filled = false;
    Versions versions;
    std::int64_t matched = 0;
    Total total;
  };
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace herald::leads

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
// left the filter.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "leads/counts.hpp"

namespace herald::leads {

class CountCache {
 public:
  explicit CountCache(std::size_t capacity = 4096) : capacity_(capacity) {}

  // `versions`: the relevant ones (leads/counts.hpp relevant()).
  std::optional<Total> get(const std::string& key, const Versions& versions) const {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(key);
    if (it == entries_.end()) return std::nullopt;
    const Entry& e = it->second;
    if (e.versions == versions) return e.total;
    const std::int64_t changed = versions.sum() - e.versions.sum();
    if (e.total.lower_bound && changed > 0 && e.matched - changed >= e.total.count) return e.total;
    return std::nullopt;
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

// Lead counts per filter, valid for one version of the leads table.
//
// `total` on a page of 1M leads would otherwise be a count(*) per request.
// Every transaction that changes leads bumps lead_counters.version, and a
// count is stored with the version read in the same statement, so a cached
// count is exact for as long as the version it belongs to is current —
// across processes too, since the version lives in the database.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace herald::leads {

class CountCache {
 public:
  explicit CountCache(std::size_t capacity = 4096) : capacity_(capacity) {}

  std::optional<std::int64_t> get(const std::string& key, std::int64_t version) const {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(key);
    if (it == entries_.end() || it->second.version != version) return std::nullopt;
    return it->second.count;
  }

  void put(const std::string& key, std::int64_t version, std::int64_t count) {
    std::lock_guard lock(mutex_);
    // Old versions are never asked for again: start over rather than track use.
    if (entries_.size() >= capacity_ && !entries_.contains(key)) entries_.clear();
    auto& e = entries_[key];
    if (e.version <= version) e = Entry{version, count};
  }

 private:
  struct Entry {
    std::int64_t version = -1;
    std::int64_t count = 0;
  };
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace herald::leads

// A bounded least-recently-used map from SQL text to a prepared statement
// handle, one per connection. Hot queries stay prepared; a builder that emits
// many distinct statements cannot grow a connection without limit.
#pragma once

#include <cstddef>
#include <list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace herald::storage {

inline constexpr std::size_t kStatementCacheCapacity = 256;

template <typename Handle>
class StatementCache {
 public:
  explicit StatementCache(std::size_t capacity = kStatementCacheCapacity) : capacity_(capacity) {}
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  // The handle cached for `sql`, now the most recently used; nullptr if absent.
  Handle* find(std::string_view sql) {
    const auto it = index_.find(sql);
    if (it == index_.end()) return nullptr;
    entries_.splice(entries_.begin(), entries_, it->second);
    return &it->second->handle;
  }

  // Removes and returns the least recently used handle when the cache is full,
  // so the caller can release it before inserting a new one.
  std::optional<Handle> make_room() {
    if (entries_.size() < capacity_) return std::nullopt;
    Handle evicted = std::move(entries_.back().handle);
    index_.erase(entries_.back().sql);
    entries_.pop_back();
    return evicted;
  }

  Handle& insert(std::string_view sql, Handle handle) {
    entries_.push_front(Entry{std::string(sql), std::move(handle)});
    // The key views the string inside the list node, which never moves.
    index_[entries_.front().sql] = entries_.begin();
    return entries_.front().handle;
  }

  void erase(std::string_view sql) {
    const auto it = index_.find(sql);
    if (it == index_.end()) return;
    const auto entry = it->second;
    index_.erase(it);
    entries_.erase(entry);
  }

  std::size_t size() const noexcept { return entries_.size(); }
  void clear() noexcept {
    index_.clear();
    entries_.clear();
  }

 private:
  struct Entry {
    std::string sql;
    Handle handle;
  };
  std::size_t capacity_;
  std::list<Entry> entries_;  // most recently used first
  std::unordered_map<std::string_view, typename std::list<Entry>::iterator> index_;
};

}  // namespace herald::storage

// Rendered list pages, valid for one version of the leads table.
//
// A page of 50 leads is ~23 KB of JSON that takes a B-tree walk and a
// thousand column reads to build. Every transaction that changes leads bumps
// lead_counters.version (leads/count_cache.hpp), and every request reads the
// current version first, so a page cached under version V is exactly what
// the query returns while V is current — in any API process. Pages hold no
// per-user data: every caller with lead:read sees the same leads. Bounded by
// bytes, least recently used first out.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace herald::leads {

class PageCache {
 public:
  explicit PageCache(std::size_t max_bytes = 64u << 20) : max_bytes_(max_bytes) {}

  std::shared_ptr<const std::string> get(const std::string& key, std::int64_t version) {
    std::lock_guard lock(mutex_);
    auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    if (it->second->version != version) {
      drop(it->second);
      return nullptr;
    }
    entries_.splice(entries_.begin(), entries_, it->second);
    return it->second->body;
  }

  void put(const std::string& key, std::int64_t version, std::shared_ptr<const std::string> body) {
    if (max_bytes_ == 0 || body->size() * 4 > max_bytes_) return;
    std::lock_guard lock(mutex_);
    if (auto it = index_.find(key); it != index_.end()) drop(it->second);
    bytes_ += body->size() + key.size();
    entries_.push_front(Entry{key, version, std::move(body)});
    index_[entries_.front().key] = entries_.begin();
    while (bytes_ > max_bytes_ && !entries_.empty()) drop(std::prev(entries_.end()));
  }

 private:
  struct Entry {
    std::string key;
    std::int64_t version;
    std::shared_ptr<const std::string> body;
  };
  using Iter = std::list<Entry>::iterator;

  void drop(Iter it) {
    bytes_ -= it->body->size() + it->key.size();
    index_.erase(it->key);
    entries_.erase(it);
  }

  std::size_t max_bytes_;
  std::size_t bytes_ = 0;
  std::mutex mutex_;
  std::list<Entry> entries_;
  std::unordered_map<std::string, Iter> index_;
};

}  // namespace herald::leads

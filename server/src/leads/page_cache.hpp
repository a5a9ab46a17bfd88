// Rendered list pages, valid while no change can have touched them.
//
// A page of 50 leads is ~23 KB of JSON that takes a B-tree walk and a
// thousand column reads to build. A page is kept with the version it was
// rendered at and what it depends on (leads/change_feed.hpp); a later
// request at a newer version still gets it when the changes in between
// leave it as it was, and the page is then stamped with that version. The
// total is not part of it: it is written in per request (leads/counts.hpp).
// Pages hold no per-user data: every caller with lead:read sees the same
// leads. Bounded by bytes, least recently used first out.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "leads/change_feed.hpp"

namespace herald::leads {

// A page without its total: head + total + tail is the document.
struct RenderedPage {
  std::string head;  // {"items":[…],"total":
  std::string tail;  // ,"page":…,"page_size":…,"next_cursor":…}
  PageScope scope;
  std::size_t bytes() const noexcept { return head.size() + tail.size() + scope.ids.size() * 8 + sizeof(*this); }
};

class PageCache {
 public:
  explicit PageCache(std::size_t max_bytes = 64u << 20) : max_bytes_(max_bytes) {}

  // The page under `key` if it was rendered at `now`, or if `feed` shows that
  // nothing since its version touched it.
  std::shared_ptr<const RenderedPage> get(const std::string& key, std::int64_t now, const ChangeFeed& feed) {
    std::lock_guard lock(mutex_);
    auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    Entry& e = *it->second;
    if (e.version != now) {
      if (e.version > now || !feed.unchanged(e.page->scope, e.version, now)) {
        drop(it->second);
        return nullptr;
      }
      e.version = now;  // the changes up to now are checked: the next check starts here
    }
    entries_.splice(entries_.begin(), entries_, it->second);
    return e.page;
  }

  void put(const std::string& key, std::int64_t version, std::shared_ptr<const RenderedPage> page) {
    if (max_bytes_ == 0 || page->bytes() * 4 > max_bytes_) return;
    std::lock_guard lock(mutex_);
    if (auto it = index_.find(key); it != index_.end()) {
      if (it->second->version > version) return;  // a newer rendering is in already
      drop(it->second);
    }
    bytes_ += page->bytes() + key.size();
    entries_.push_front(Entry{key, version, std::move(page)});
    index_[entries_.front().key] = entries_.begin();
    while (bytes_ > max_bytes_ && !entries_.empty()) drop(std::prev(entries_.end()));
  }

 private:
  struct Entry {
    std::string key;
    std::int64_t version;
    std::shared_ptr<const RenderedPage> page;
  };
  using Iter = std::list<Entry>::iterator;

  void drop(Iter it) {
    bytes_ -= it->page->bytes() + it->key.size();
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

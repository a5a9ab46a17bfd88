// Rendered pages of the segment list (`GET /api/segments`: names, filters and
// exact member counts) and single segments (`GET /api/segments/{id}`), each
// stamped with the versions it is current at
// (leads/segment_store.hpp SegmentStamp: lead_counters.version and
// segment_counters.version, read in one statement).
//
// A request reads the stamp, one statement, and is answered from a page
// rendered at that stamp or a newer one: every lead and segment write is
// then reflected that the request could have seen. Otherwise one request at
// a time renders the page again (counting again only the blocks the writes
// changed, leads/block_counts.hpp) while the others with the same or an
// older stamp wait for it and take its page. So with a writer changing 25
// leads a second the member counts are brought up to date about 25 times a
// second, not once per request, and stay exact.
//
// The stamp a page is stored with is read before it is rendered, so the page
// is current at that stamp or newer. Pure logic: the service reads and renders.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "leads/segment_store.hpp"

namespace herald::leads {

class SegmentListCache {
 public:
  explicit SegmentListCache(std::size_t capacity = 64) : capacity_(capacity) {}

  // A page rendered at `stamp` or at a newer one.
  std::optional<std::string> get(const std::string& key, const SegmentStamp& stamp) const {
    std::lock_guard lock(mutex_);
    auto it = pages_.find(key);
    if (it == pages_.end() || !it->second.stamp.covers(stamp)) return std::nullopt;
    return it->second.body;
  }

  // A page rendered after reading `stamp`; an older one never replaces a newer one.
  void put(const std::string& key, const SegmentStamp& stamp, std::string body) {
    std::lock_guard lock(mutex_);
    // Few pages are ever asked for (page 1 of a list of segments): start over rather than track use.
    if (pages_.size() >= capacity_ && !pages_.contains(key)) pages_.clear();
    auto [it, added] = pages_.try_emplace(key);
    if (added || stamp.covers(it->second.stamp)) it->second = Page{stamp, std::move(body)};
  }

  // One rendering of a key at a time: begin() is true for the caller that is
  // to render (and must end()); the others wait() for it and look again.
  bool begin(const std::string& key) {
    std::lock_guard lock(mutex_);
    return rendering_.insert(key).second;
  }
  void end(const std::string& key) {
    {
      std::lock_guard lock(mutex_);
      rendering_.erase(key);
    }
    done_.notify_all();
  }
  // Returns when no rendering of `key` is under way (or after `limit`).
  void wait(const std::string& key, std::chrono::milliseconds limit) {
    std::unique_lock lock(mutex_);
    done_.wait_for(lock, limit, [&] { return !rendering_.contains(key); });
  }

 private:
  struct Page {
    SegmentStamp stamp;
    std::string body;
  };
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable done_;
  std::unordered_map<std::string, Page> pages_;
  std::unordered_set<std::string> rendering_;
};

}  // namespace herald::leads

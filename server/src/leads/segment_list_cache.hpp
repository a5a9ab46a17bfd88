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

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/key_flights.hpp"
#include "leads/segment_store.hpp"

namespace herald::leads {

// One rendering of a key at a time (KeyFlights): the others wait for it.
class SegmentListCache : public KeyFlights {
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

 private:
  struct Page {
    SegmentStamp stamp;
    std::string body;
  };
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Page> pages_;
};

}  // namespace herald::leads

// Answers kept per process for as long as the roll-up has not moved. Pure
// (no I/O); thread-safe.
//
// The stamp is the roll-up's watermark (analytics_watermarks.last_event_id),
// which the caller reads from the database on every request, before it reads
// anything else. A roll-up batch moves the watermark in the same transaction
// as its writes to analytics_hourly, analytics_daily and analytics_links, and
// nothing else writes those tables, so an unchanged watermark means unchanged
// roll-ups: an answer computed after reading stamp W is what the queries give
// at W or later, and it is served only to requests that read W. The watermark
// only grows; a larger stamp drops every kept answer. Exact with any number of
// processes: each reads the stamp from the shared database.
//
// One computation per (stamp, key) at a time (get_or_compute): when the
// watermark moves, the requests that read the new stamp for the same key
// wait for the first one's answer instead of each reading the roll-ups.
// They read the same stamp, so that answer is theirs exactly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

namespace herald::analytics {

template <class V>
class AnswerCache {
 public:
  // At most `max_weight` (the sum of the weights given to put) kept at once:
  // past it, everything kept is dropped and filling starts again.
  explicit AnswerCache(std::size_t max_weight) : max_weight_(max_weight) {}

  // The answer kept for `key` at `stamp`; null when there is none.
  std::shared_ptr<const V> get(std::int64_t stamp, const std::string& key) const {
    std::lock_guard lock(mutex_);
    if (stamp != stamp_) return nullptr;
    const auto it = entries_.find(key);
    if (it == entries_.end()) return nullptr;
    ++hits_;
    return it->second;
  }

  // Keeps `value`, computed after the stamp `stamp` was read. A stamp older
  // than the one kept is ignored (a newer roll-up has been seen).
  void put(std::int64_t stamp, const std::string& key, std::shared_ptr<const V> value, std::size_t weight = 1) {
    std::lock_guard lock(mutex_);
    if (stamp < stamp_) return;
    if (stamp > stamp_) {
      entries_.clear();
      weight_ = 0;
      stamp_ = stamp;
    }
    if (weight > max_weight_) return;
    if (weight_ + weight > max_weight_) {
      entries_.clear();
      weight_ = 0;
    }
    if (entries_.insert_or_assign(key, std::move(value)).second) weight_ += weight;
  }

  // The answer for `key` at `stamp`: the one kept; else the one another
  // call is computing for the same stamp and key (waited for; its exception,
  // if it throws, is thrown here too); else `compute()`'s, kept with
  // weight `weight(answer)`. `compute` runs without the lock held.
  template <class Compute, class Weight>
  std::shared_ptr<const V> get_or_compute(std::int64_t stamp, const std::string& key, Compute&& compute,
                                          Weight&& weight) {
    std::unique_lock lock(mutex_);
    if (stamp == stamp_) {
      if (const auto it = entries_.find(key); it != entries_.end()) {
        ++hits_;
        return it->second;
      }
    }
    const auto flight = std::pair{stamp, key};
    if (const auto it = flights_.find(flight); it != flights_.end()) {
      auto answer = it->second;
      ++shared_;
      lock.unlock();
      return answer.get();
    }
    std::promise<std::shared_ptr<const V>> promise;
    flights_.emplace(flight, promise.get_future().share());
    lock.unlock();
    std::shared_ptr<const V> answer;
    try {
      answer = compute();
    } catch (...) {
      promise.set_exception(std::current_exception());
      std::lock_guard relock(mutex_);
      flights_.erase(flight);
      throw;
    }
    put(stamp, key, answer, weight(*answer));
    promise.set_value(answer);
    std::lock_guard relock(mutex_);
    flights_.erase(flight);
    return answer;
  }

  std::size_t size() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
  }
  std::int64_t hits() const {
    std::lock_guard lock(mutex_);
    return hits_;
  }
  // Calls that waited for another call's computation (get_or_compute).
  std::int64_t shared() const {
    std::lock_guard lock(mutex_);
    return shared_;
  }
  // Computations under way (get_or_compute).
  std::size_t in_flight() const {
    std::lock_guard lock(mutex_);
    return flights_.size();
  }

 private:
  mutable std::mutex mutex_;
  std::size_t max_weight_;
  std::int64_t stamp_ = -1;
  std::size_t weight_ = 0;
  mutable std::int64_t hits_ = 0;
  std::int64_t shared_ = 0;
  std::unordered_map<std::string, std::shared_ptr<const V>> entries_;
  std::map<std::pair<std::int64_t, std::string>, std::shared_future<std::shared_ptr<const V>>> flights_;
};

}  // namespace herald::analytics

// Exact counts that follow writes without counting everything again.
//
// An exact count of a filter without a kept total (a segment's member_count,
// `count=exact`) is kept per block of kCountBlock lead ids, each block with
// the version (`lead_counters.version`) it was counted at. The change feed
// (leads/change_feed.hpp) names the leads each version changed and how, so
// after a write only the blocks holding leads that changed in a way the
// filter reads are counted again — one index range each — and the total is
// the sum. A status change of one lead among ten million thus costs one
// block of 4,096 ids, not a count of every match. The total is exact at
// `verified_at`: every block is, either counted at or after that version or
// untouched by any change the feed lists up to it.
//
// New leads: an insert logs only its highest new id, but writers of leads
// take the lead_counters row first and keep it until they commit (both
// backends), so leads added after a count have ids above the highest id of
// that count's snapshot: the blocks from there to the logged id are counted
// again. A deleted lead is logged by its id.
//
// The feed cannot always say which blocks changed: a change without a lead
// (a statement changing over 1,000 leads), versions this process has not
// read or has forgotten. Then everything is counted again, in one statement.
//
// Pure logic; the service (leads/service.cpp) does the reading and counting.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace herald::leads {

// Lead ids per block: leads.block_count_prefix groups by leads.id / 4096.
inline constexpr std::int64_t kCountBlock = 4096;

// One block's count from leads.block_count_prefix.
struct BlockCount {
  std::int64_t block = 0;  // lead id / kCountBlock
  std::int64_t n = 0;
};

// A lead changed at a version (ChangeFeed::changed).
struct ChangedLead {
  std::int64_t version = 0;
  std::int64_t lead_id = 0;  // leads added: the highest new id
  bool rows = false;         // added or deleted
};

// The blocks a list of changes may have changed.
struct Stale {
  std::vector<std::pair<std::int64_t, std::int64_t>> runs;  // consecutive blocks [first, last]
  std::int64_t top = 0;                                     // the highest lead id after the changes
};

class BlockTotal {
 public:
  // Held while reading or counting: one count of a filter at a time.
  std::mutex mutex;

  bool filled() const noexcept { return filled_; }
  std::int64_t total() const noexcept { return total_; }
  std::int64_t verified_at() const noexcept { return verified_at_; }

  // Nothing known: the next count counts everything.
  void forget() {
    blocks_.clear();
    total_ = 0;
    filled_ = false;
  }

  // Everything counted in one statement at `version`, when the highest lead id was `top`.
  void reset(const std::vector<BlockCount>& counts, std::int64_t version, std::int64_t top) {
    blocks_.clear();
    total_ = 0;
    for (const auto& c : counts) set(c.block, c.n, version);
    filled_ = true;
    verified_at_ = version;
    top_ = top;
  }

  // The blocks that `changes` (each after verified_at(), in version order)
  // may have changed: those holding a changed lead — for leads added, every
  // block from above the highest id known to the one logged — counted before
  // the change.
  Stale stale(const std::vector<ChangedLead>& changes) const {
    Stale out{{}, top_};
    std::vector<std::int64_t> blocks;
    auto touch = [&](std::int64_t b, std::int64_t version) {
      if (version > counted_at(b)) blocks.push_back(b);
    };
    for (const auto& c : changes) {
      if (c.rows && c.lead_id > out.top) {
        for (std::int64_t b = (out.top + 1) / kCountBlock; b <= c.lead_id / kCountBlock; ++b) touch(b, c.version);
        out.top = c.lead_id;
      } else {
        touch(c.lead_id / kCountBlock, c.version);
      }
    }
    std::sort(blocks.begin(), blocks.end());
    blocks.erase(std::unique(blocks.begin(), blocks.end()), blocks.end());
    for (auto b : blocks) {
      if (!out.runs.empty() && out.runs.back().second + 1 == b) {
        out.runs.back().second = b;
      } else {
        out.runs.emplace_back(b, b);
      }
    }
    return out;
  }

  // The blocks [first, last] counted again at `version` (`counts`: those with matches).
  void replace(std::pair<std::int64_t, std::int64_t> run, const std::vector<BlockCount>& counts, std::int64_t version) {
    for (std::int64_t b = run.first; b <= run.second; ++b) set(b, 0, version);
    for (const auto& c : counts) {
      if (c.block >= run.first && c.block <= run.second) set(c.block, c.n, version);
    }
  }

  // Every block is exact at `version` (no change the feed lists up to it
  // touched a block counted before it), and `top` the highest lead id then known.
  void verified(std::int64_t version, std::int64_t top) {
    verified_at_ = std::max(verified_at_, version);
    top_ = std::max(top_, top);
  }

 private:
  struct Block {
    std::int64_t n = 0;
    std::int64_t version = 0;  // counted at
  };

  std::int64_t counted_at(std::int64_t b) const {
    const auto i = static_cast<std::size_t>(b);
    return b >= 0 && i < blocks_.size() ? std::max(blocks_[i].version, verified_at_) : verified_at_;
  }

  void set(std::int64_t b, std::int64_t n, std::int64_t version) {
    if (b < 0) return;
    const auto i = static_cast<std::size_t>(b);
    if (i >= blocks_.size()) blocks_.resize(i + 1);
    total_ += n - blocks_[i].n;
    blocks_[i] = Block{n, version};
  }

  bool filled_ = false;
  std::int64_t verified_at_ = 0;
  std::int64_t top_ = 0;  // the highest lead id known: leads added later have higher ids
  std::int64_t total_ = 0;
  std::vector<Block> blocks_;  // by block number (ids are dense: AUTOINCREMENT / IDENTITY)
};

// The block totals of the filters counted exactly, by the filter's canonical
// form; bounded (started over when full, as the count cache is).
class BlockTotals {
 public:
  explicit BlockTotals(std::size_t capacity = 128) : capacity_(capacity) {}

  std::shared_ptr<BlockTotal> of(const std::string& key) {
    std::lock_guard lock(mutex_);
    auto it = totals_.find(key);
    if (it != totals_.end()) return it->second;
    if (totals_.size() >= capacity_) totals_.clear();
    return totals_[key] = std::make_shared<BlockTotal>();
  }
  // The filter's block total when one is kept; null otherwise.
  std::shared_ptr<BlockTotal> find(const std::string& key) {
    std::lock_guard lock(mutex_);
    auto it = totals_.find(key);
    return it == totals_.end() ? nullptr : it->second;
  }

 private:
  std::size_t capacity_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<BlockTotal>> totals_;
};

}  // namespace herald::leads

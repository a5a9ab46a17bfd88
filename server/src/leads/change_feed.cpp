#include "leads/change_feed.hpp"

#include <algorithm>

namespace herald::leads {

unsigned membership_aspects(const Depends& d) {
  unsigned out = kChangedRows;
  if (d.text) out |= kChangedText;
  if (d.status) out |= kChangedStatus;
  if (d.owner) out |= kChangedOwner;
  if (d.tags) out |= kChangedTags;
  if (d.other) out |= kChangedOther;
  return out;
}

bool leaves_unchanged(const PageScope& page, const Change& change) {
  if (!change.lead_id || !page.newest_first) return false;
  const std::int64_t id = *change.lead_id;
  if (std::binary_search(page.ids.begin(), page.ids.end(), id)) return false;  // shown on the page
  const bool may_move = (change.aspects & page.membership) != 0;
  return !(may_move && id >= page.lowest && id < page.below);
}

void ChangeFeed::catch_up(std::int64_t now, const Fetch& fetch) {
  std::lock_guard lock(mutex_);
  if (!started_) {
    // Nothing was rendered before: start from here.
    started_ = true;
    known_after_ = latest_ = now;
    return;
  }
  if (now <= latest_) return;
  auto fetched = fetch(latest_, fetch_limit_);
  std::int64_t newest = std::max(now, fetched.empty() ? now : fetched.back().version);
  if (fetched.size() >= fetch_limit_) {
    // Too much at once (a bulk action): forget, and start again from here.
    changes_.clear();
    known_after_ = latest_ = newest;
    return;
  }
  for (const auto& c : fetched) changes_.push_back(c);
  latest_ = newest;
  while (changes_.size() > keep_) {
    known_after_ = changes_.front().version;
    changes_.pop_front();
  }
}

bool ChangeFeed::unchanged(const PageScope& page, std::int64_t since, std::int64_t now) const {
  if (since == now) return true;
  std::lock_guard lock(mutex_);
  if (!started_ || since < known_after_ || now > latest_) return false;
  auto it = std::upper_bound(changes_.begin(), changes_.end(), since,
                             [](std::int64_t v, const Change& c) { return v < c.version; });
  for (; it != changes_.end() && it->version <= now; ++it) {
    if (!leaves_unchanged(page, *it)) return false;
  }
  return true;
}

std::optional<std::vector<ChangedLead>> ChangeFeed::changed(std::int64_t since, std::int64_t now,
                                                            unsigned aspects) const {
  std::vector<ChangedLead> out;
  if (since >= now) return out;
  std::lock_guard lock(mutex_);
  if (!started_ || since < known_after_ || now > latest_) return std::nullopt;
  auto it = std::upper_bound(changes_.begin(), changes_.end(), since,
                             [](std::int64_t v, const Change& c) { return v < c.version; });
  for (; it != changes_.end() && it->version <= now; ++it) {
    if ((it->aspects & aspects) == 0) continue;
    if (!it->lead_id) return std::nullopt;
    out.push_back(ChangedLead{it->version, *it->lead_id, (it->aspects & kChangedRows) != 0});
  }
  return out;
}

}  // namespace herald::leads

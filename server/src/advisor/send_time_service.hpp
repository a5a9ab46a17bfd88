// Send-time advice from this install's history: reads the event log through
// campaigns::Activity (opens and replies only) and leads and segment members
// through leads::Leads, and picks the level and best hour with the pure
// parts in send_times.hpp. Hours are on the lead's clock when it has a time
// zone, else UTC.
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_set>
#include <vector>

#include "advisor/send_times.hpp"
#include "campaigns/interface.hpp"
#include "core/timezone.hpp"
#include "leads/interface.hpp"

namespace herald::advisor {

class SendTimeService final : public campaigns::SendTimeAdvisor {
 public:
  SendTimeService(leads::Leads& leads, campaigns::Activity& activity, ZoneDirectory& zones)
      : leads_(leads), activity_(activity), zones_(zones) {}

  // For a lead (its own events; else the segment's when one is given; else
  // global), a segment (its members'; else global) or neither (global).
  // NotFound for an unknown lead or segment.
  SendTimeAdvice advise(std::optional<std::int64_t> lead_id, std::optional<std::int64_t> segment_id);

  // The campaigns' "best_time" schedule: the same choice for many leads with
  // one read of the event log (fallback histograms per distinct time zone).
  // An unknown segment counts as none.
  std::vector<campaigns::SendSlot> best_slots(const std::vector<campaigns::SendTimeTarget>& targets,
                                              std::optional<std::int64_t> segment_id) override;

 private:
  leads::Leads& leads_;
  campaigns::Activity& activity_;
  ZoneDirectory& zones_;

  std::unordered_set<std::int64_t> members(std::int64_t segment_id);  // NotFound when unknown
};

}  // namespace herald::advisor

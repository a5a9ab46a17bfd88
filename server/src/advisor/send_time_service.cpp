#include "advisor/send_time_service.hpp"

#include <memory>
#include <unordered_set>
#include <vector>

#include "core/errors.hpp"

namespace herald::advisor {
namespace {

constexpr std::size_t kBatch = 5000;

}  // namespace

SendTimeAdvice SendTimeService::advise(std::optional<std::int64_t> lead_id, std::optional<std::int64_t> segment_id) {
  SendTimeAdvice advice;
  std::shared_ptr<const Zone> zone;
  if (lead_id) {
    auto lead = leads_.find(*lead_id);
    if (!lead) throw NotFound("no lead " + std::to_string(*lead_id));
    if (!lead->timezone.empty()) {
      zone = zones_.find(lead->timezone);
      if (zone) advice.tz = lead->timezone;
    }
  }
  if (!zone) zone = std::make_shared<const Zone>(Zone::utc());

  std::unordered_set<std::int64_t> members;
  if (segment_id) {
    leads::Audience audience;
    audience.segment_id = *segment_id;
    std::int64_t after = 0;
    for (;;) {
      leads::RecipientBatch batch;
      try {
        batch = leads_.recipients(audience, after, kBatch);
      } catch (const ValidationError&) {
        throw NotFound("no segment " + std::to_string(*segment_id));
      }
      for (const auto& l : batch.leads) members.insert(l.id);
      after = batch.next_after;
      if (batch.done) break;
    }
  }

  SendHistogram own{}, segment{}, global{};
  std::int64_t after = 0;
  for (;;) {
    auto events = activity_.events_after(after, kBatch);
    if (events.empty()) break;
    for (const auto& e : events) {
      if (!is_engagement(e.type)) continue;
      const auto slot = local_slot(*zone, e.occurred_at);
      const auto d = static_cast<std::size_t>(slot.day), h = static_cast<std::size_t>(slot.hour);
      ++global[d][h];
      if (lead_id && e.lead_id == *lead_id) ++own[d][h];
      if (segment_id && members.contains(e.lead_id)) ++segment[d][h];
    }
    after = events.back().id;
    if (events.size() < kBatch) break;
  }

  advice.level = choose_level(lead_id ? total(own) : -1, segment_id ? total(segment) : -1);
  advice.histogram = advice.level == SendTimeLevel::Lead      ? own
                     : advice.level == SendTimeLevel::Segment ? segment
                                                              : global;
  advice.events = total(advice.histogram);
  advice.best = best_of(advice.histogram);
  return advice;
}

}  // namespace herald::advisor

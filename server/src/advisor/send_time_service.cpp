#include "advisor/send_time_service.hpp"

#include <map>
#include <memory>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/errors.hpp"

namespace herald::advisor {
namespace {

constexpr std::size_t kBatch = 5000;

}  // namespace

std::unordered_set<std::int64_t> SendTimeService::members(std::int64_t segment_id) {
  std::unordered_set<std::int64_t> out;
  leads::Audience audience;
  audience.segment_id = segment_id;
  std::int64_t after = 0;
  for (;;) {
    leads::RecipientBatch batch;
    try {
      batch = leads_.recipients(audience, after, kBatch);
    } catch (const ValidationError&) {
      throw NotFound("no segment " + std::to_string(segment_id));
    }
    for (const auto& l : batch.leads) out.insert(l.id);
    after = batch.next_after;
    if (batch.done) break;
  }
  return out;
}

std::vector<campaigns::SendSlot> SendTimeService::best_slots(const std::vector<campaigns::SendTimeTarget>& targets,
                                                             std::optional<std::int64_t> segment_id) {
  std::unordered_set<std::int64_t> in_segment;
  bool has_segment = false;
  if (segment_id) {
    try {
      in_segment = members(*segment_id);
      has_segment = true;
    } catch (const NotFound&) {
      has_segment = false;
    }
  }
  // Each target's zone (an unknown name is UTC), and the distinct zones.
  struct PerZone {
    std::shared_ptr<const Zone> zone;
    SendHistogram segment{}, global{};
  };
  std::map<std::string, PerZone, std::less<>> zones;
  std::unordered_map<std::int64_t, std::string> zone_of;
  std::unordered_map<std::int64_t, SendHistogram> own;
  for (const auto& t : targets) {
    std::string name = "UTC";
    if (!t.timezone.empty() && zones_.find(t.timezone)) name = t.timezone;
    zone_of[t.lead_id] = name;
    own.try_emplace(t.lead_id);
    if (!zones.contains(name))
      zones[name].zone = name == "UTC" ? std::make_shared<const Zone>(Zone::utc()) : zones_.find(name);
  }
  std::int64_t after = 0;
  for (;;) {
    auto events = activity_.events_after(after, kBatch);
    if (events.empty()) break;
    for (const auto& e : events) {
      if (!is_engagement(e.type)) continue;
      const bool member = has_segment && in_segment.contains(e.lead_id);
      for (auto& [name, z] : zones) {
        add_event(z.global, *z.zone, e.occurred_at);
        if (member) add_event(z.segment, *z.zone, e.occurred_at);
      }
      if (auto it = own.find(e.lead_id); it != own.end())
        add_event(it->second, *zones[zone_of[e.lead_id]].zone, e.occurred_at);
    }
    after = events.back().id;
    if (events.size() < kBatch) break;
  }
  std::vector<campaigns::SendSlot> out;
  out.reserve(targets.size());
  for (const auto& t : targets) {
    const auto& z = zones[zone_of[t.lead_id]];
    const auto& mine = own[t.lead_id];
    const auto level = choose_level(total(mine), has_segment ? total(z.segment) : -1);
    const auto best = best_of(level == SendTimeLevel::Lead      ? mine
                              : level == SendTimeLevel::Segment ? z.segment
                                                                : z.global);
    out.push_back({best.day, best.hour});
  }
  return out;
}

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
  if (segment_id) members = this->members(*segment_id);

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

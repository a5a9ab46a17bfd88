#include "advisor/send_times.hpp"

#include <chrono>

#include <nlohmann/json.hpp>

namespace herald::advisor {

std::string_view to_string(SendTimeLevel level) noexcept {
  switch (level) {
    case SendTimeLevel::Lead:
      return "lead";
    case SendTimeLevel::Segment:
      return "segment";
    case SendTimeLevel::Global:
      break;
  }
  return "global";
}

bool is_engagement(std::string_view type) noexcept { return type == "open" || type == "reply"; }

BestTime local_slot(const Zone& zone, std::int64_t at_ms) {
  using namespace std::chrono;
  const sys_seconds t{seconds(floor<seconds>(milliseconds(at_ms)))};
  const auto local = t + seconds(zone.offset_at(t));
  const auto day = floor<days>(local);
  const weekday wd{day};
  const auto hour = duration_cast<hours>(local - day).count();
  // iso_encoding: Monday = 1 … Sunday = 7.
  return {static_cast<int>(wd.iso_encoding()) - 1, static_cast<int>(hour)};
}

void add_event(SendHistogram& h, const Zone& zone, std::int64_t at_ms) {
  const auto s = local_slot(zone, at_ms);
  ++h[static_cast<std::size_t>(s.day)][static_cast<std::size_t>(s.hour)];
}

std::int64_t total(const SendHistogram& h) noexcept {
  std::int64_t n = 0;
  for (const auto& day : h)
    for (auto c : day) n += c;
  return n;
}

BestTime best_of(const SendHistogram& h) noexcept {
  if (total(h) == 0) return {};
  auto at = [&h](int slot) {
    slot = (slot % 168 + 168) % 168;
    return h[static_cast<std::size_t>(slot / 24)][static_cast<std::size_t>(slot % 24)];
  };
  int best = 0;
  for (int s = 1; s < 168; ++s) {
    const auto c = at(s), b = at(best);
    if (c > b || (c == b && at(s - 1) + at(s + 1) > at(best - 1) + at(best + 1))) best = s;
  }
  return {best / 24, best % 24};
}

SendTimeLevel choose_level(std::int64_t lead_events, std::int64_t segment_events) noexcept {
  if (lead_events >= kMinSendTimeEvents) return SendTimeLevel::Lead;
  if (segment_events >= kMinSendTimeEvents) return SendTimeLevel::Segment;
  return SendTimeLevel::Global;
}

nlohmann::json to_json(const SendTimeAdvice& a) {
  nlohmann::json histogram = nlohmann::json::array();
  for (const auto& day : a.histogram) histogram.push_back(day);
  return {{"level", to_string(a.level)},
          {"events", a.events},
          {"best", {{"day", a.best.day}, {"hour", a.best.hour}}},
          {"tz", a.tz},
          {"histogram", std::move(histogram)},
          {"min_events", kMinSendTimeEvents}};
}

}  // namespace herald::advisor

// The campaigns domain's request, response and domain types, their parsers
// and JSON writers (explicit allow-lists: a row is never serialised as is).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "campaigns/lifecycle.hpp"
#include "leads/interface.hpp"

namespace herald::campaigns {

enum class ScheduleMode { Now, At, LocalTime, BestTime };
std::string_view to_string(ScheduleMode m) noexcept;
std::optional<ScheduleMode> parse_schedule_mode(std::string_view s) noexcept;

struct Campaign {
  std::int64_t id = 0;
  std::string name;
  std::int64_t template_id = 0;
  std::optional<std::int64_t> template_version;  // pinned when sending starts
  std::string from_name, from_email, reply_to;
  leads::Audience audience;
  ScheduleMode schedule_mode = ScheduleMode::Now;
  std::optional<std::string> scheduled_at;  // RFC 3339
  std::optional<std::string> local_time;    // HH:MM
  std::string timezone = "UTC";
  std::int64_t throttle_per_minute = 0;
  bool track_opens = true, track_clicks = true, send_now = false;
  Status status = Status::Draft;
  std::optional<std::string> error;
  std::int64_t generation = 0;
  std::int64_t expand_after = 0;
  bool expanded = false;
  std::optional<std::int64_t> progress_at;
  std::optional<std::int64_t> created_by;
  std::string created_at, updated_at;
  std::optional<std::string> started_at, completed_at;
};

struct Stats {
  std::int64_t recipients = 0, queued = 0, sending = 0, deferred = 0, sent = 0, failed = 0, skipped = 0, cancelled = 0,
               opened = 0, clicked = 0, replied = 0, bounced = 0, unsubscribed = 0;
};
nlohmann::json to_json(const Stats& s);

// The campaign as the API shows it.
nlohmann::json to_json(const Campaign& c, const Stats& stats, double rate_per_minute);

// A create or PATCH body: what was given (and is valid on its own).
struct CampaignFields {
  std::optional<std::string> name;
  std::optional<std::int64_t> template_id;
  std::optional<std::string> from_name, from_email, reply_to;
  std::optional<leads::Audience> audience;
  std::optional<ScheduleMode> schedule_mode;
  std::optional<std::optional<std::string>> scheduled_at;  // null clears
  std::optional<std::optional<std::string>> local_time;
  std::optional<std::string> timezone;
  std::optional<std::int64_t> throttle_per_minute;
  std::optional<bool> track_opens, track_clicks, send_now;
  std::vector<std::string> changed;  // the keys given
};

// Throws ValidationError naming every bad or unknown field. `create`
// requires name, template_id and audience and allows send_now.
CampaignFields parse_campaign_fields(const nlohmann::json& body, bool create);

// Applies fields to a campaign, then checks what must hold together
// (schedule mode and its times); throws ValidationError.
void apply(Campaign& c, const CampaignFields& f);
void check_schedule(const Campaign& c);

struct Recipient {
  std::int64_t id = 0, campaign_id = 0, lead_id = 0;
  std::string email;
  RecipientState state = RecipientState::Queued;
  std::int64_t attempts = 0;
  std::int64_t due_at = 0;
  std::optional<std::int64_t> reply_code;
  std::optional<std::string> last_reply, message_id;
  std::optional<std::int64_t> sent_at, opened_at, clicked_at, unsubscribed_at;
  std::int64_t updated_at = 0;
};
nlohmann::json to_json(const Recipient& r);

// POST /api/campaigns/{id}/test: {emails: [...]} (1..10 addresses).
std::vector<std::string> parse_test_request(const nlohmann::json& body);

inline constexpr std::size_t kMaxTestAddresses = 10;
inline constexpr std::int64_t kMaxThrottlePerMinute = 1'000'000;

// Epoch milliseconds → RFC 3339.
std::string millis_to_rfc3339(std::int64_t ms);

}  // namespace herald::campaigns

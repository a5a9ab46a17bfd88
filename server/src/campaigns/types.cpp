#include "campaigns/types.hpp"

#include "campaigns/schedule.hpp"
#include "core/email.hpp"
#include "core/errors.hpp"
#include "core/json_fields.hpp"
#include "core/time.hpp"

namespace herald::campaigns {
namespace {

constexpr std::size_t kMaxName = 200;
constexpr std::size_t kMaxDisplayName = 200;

constexpr std::string_view kCreateFields[] = {
    "name",         "template_id", "from_name", "from_email",          "reply_to",    "audience",     "schedule_mode",
    "scheduled_at", "local_time",  "timezone",  "throttle_per_minute", "track_opens", "track_clicks", "send_now"};
constexpr std::string_view kPatchFields[] = {
    "name",         "template_id", "from_name", "from_email",          "reply_to",    "audience",    "schedule_mode",
    "scheduled_at", "local_time",  "timezone",  "throttle_per_minute", "track_opens", "track_clicks"};

bool has_control(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

std::optional<std::string> text(const nlohmann::json& v, const std::string& field, std::size_t max, bool required,
                                ValidationError& errors) {
  if (!v.is_string()) {
    errors.with_field(field, "must be a string");
    return std::nullopt;
  }
  auto s = v.get<std::string>();
  if (required && s.empty()) {
    errors.with_field(field, "must not be empty");
    return std::nullopt;
  }
  if (s.size() > max) {
    errors.with_field(field, "must be at most " + std::to_string(max) + " bytes");
    return std::nullopt;
  }
  if (has_control(s)) {
    errors.with_field(field, "must not contain control characters");
    return std::nullopt;
  }
  return s;
}

std::optional<std::string> address(const nlohmann::json& v, const std::string& field, ValidationError& errors) {
  if (!v.is_string()) {
    errors.with_field(field, "must be a string");
    return std::nullopt;
  }
  const auto& s = v.get_ref<const std::string&>();
  if (s.empty()) return std::string();
  auto check = check_email(s);
  if (!check.ok()) {
    errors.with_field(field, check.problem);
    return std::nullopt;
  }
  return check.address;
}

std::optional<bool> flag(const nlohmann::json& v, const std::string& field, ValidationError& errors) {
  if (!v.is_boolean()) {
    errors.with_field(field, "must be true or false");
    return std::nullopt;
  }
  return v.get<bool>();
}

}  // namespace

std::string_view to_string(ScheduleMode m) noexcept {
  switch (m) {
    case ScheduleMode::Now:
      return "now";
    case ScheduleMode::At:
      return "at";
    case ScheduleMode::LocalTime:
      return "local_time";
    case ScheduleMode::BestTime:
      return "best_time";
  }
  return "now";
}

std::optional<ScheduleMode> parse_schedule_mode(std::string_view s) noexcept {
  if (s == "now") return ScheduleMode::Now;
  if (s == "at") return ScheduleMode::At;
  if (s == "local_time") return ScheduleMode::LocalTime;
  if (s == "best_time") return ScheduleMode::BestTime;
  return std::nullopt;
}

std::string millis_to_rfc3339(std::int64_t ms) {
  return rfc3339(std::chrono::system_clock::time_point(std::chrono::milliseconds(ms)));
}

nlohmann::json to_json(const Stats& s) {
  return {{"recipients", s.recipients},    {"queued", s.queued},       {"sending", s.sending},
          {"deferred", s.deferred},        {"sent", s.sent},           {"failed", s.failed},
          {"skipped", s.skipped},          {"cancelled", s.cancelled}, {"opened", s.opened},
          {"clicked", s.clicked},          {"replied", s.replied},     {"bounced", s.bounced},
          {"unsubscribed", s.unsubscribed}};
}

nlohmann::json to_json(const Campaign& c, const Stats& stats, double rate_per_minute) {
  auto opt = [](const std::optional<std::string>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
  return {{"id", c.id},
          {"name", c.name},
          {"template_id", c.template_id},
          {"template_version", c.template_version ? nlohmann::json(*c.template_version) : nlohmann::json(nullptr)},
          {"from_name", c.from_name},
          {"from_email", c.from_email},
          {"reply_to", c.reply_to},
          {"audience", leads::to_json(c.audience)},
          {"schedule_mode", to_string(c.schedule_mode)},
          {"scheduled_at", opt(c.scheduled_at)},
          {"local_time", opt(c.local_time)},
          {"timezone", c.timezone},
          {"send_now", c.send_now},
          {"throttle_per_minute", c.throttle_per_minute},
          {"track_opens", c.track_opens},
          {"track_clicks", c.track_clicks},
          {"status", to_string(c.status)},
          {"error", opt(c.error)},
          {"stats", to_json(stats)},
          {"rate_per_minute", rate_per_minute},
          {"created_by", c.created_by ? nlohmann::json(*c.created_by) : nlohmann::json(nullptr)},
          {"created_at", c.created_at},
          {"updated_at", c.updated_at},
          {"started_at", opt(c.started_at)},
          {"completed_at", opt(c.completed_at)}};
}

CampaignFields parse_campaign_fields(const nlohmann::json& body, bool create) {
  ValidationError errors;
  if (create) {
    check_fields(body, FieldNames(kCreateFields), errors);
  } else {
    check_fields(body, FieldNames(kPatchFields), errors);
  }
  CampaignFields f;
  for (const auto& [key, v] : body.items()) {
    const auto before = errors.errors().size();
    if (key == "name") {
      f.name = text(v, key, kMaxName, true, errors);
    } else if (key == "template_id") {
      if (!v.is_number_integer() || v.get<std::int64_t>() <= 0) {
        errors.with_field(key, "must be a template id");
      } else {
        f.template_id = v.get<std::int64_t>();
      }
    } else if (key == "from_name") {
      f.from_name = text(v, key, kMaxDisplayName, false, errors);
    } else if (key == "from_email") {
      f.from_email = address(v, key, errors);
    } else if (key == "reply_to") {
      f.reply_to = address(v, key, errors);
    } else if (key == "audience") {
      try {
        f.audience = leads::parse_audience(v);
      } catch (const ValidationError& e) {
        for (const auto& fe : e.errors()) errors.with_field(fe.field, fe.message);
      }
    } else if (key == "schedule_mode") {
      auto m = v.is_string() ? parse_schedule_mode(v.get<std::string>()) : std::nullopt;
      if (!m) {
        errors.with_field(key, "must be now, at, local_time or best_time");
      } else {
        f.schedule_mode = m;
      }
    } else if (key == "scheduled_at") {
      if (v.is_null()) {
        f.scheduled_at = std::optional<std::string>();
      } else if (!v.is_string() || !parse_rfc3339(v.get<std::string>())) {
        errors.with_field(key, "must be an RFC 3339 time such as 2026-12-01T09:00:00Z");
      } else {
        f.scheduled_at = rfc3339(*parse_rfc3339(v.get<std::string>()));
      }
    } else if (key == "local_time") {
      if (v.is_null()) {
        f.local_time = std::optional<std::string>();
      } else if (!v.is_string() || !parse_local_time(v.get<std::string>())) {
        errors.with_field(key, "must be a time of day HH:MM (00:00 to 23:59)");
      } else {
        f.local_time = v.get<std::string>();
      }
    } else if (key == "timezone") {
      auto s = text(v, key, 64, true, errors);
      if (s) f.timezone = s;
    } else if (key == "throttle_per_minute") {
      if (!v.is_number_integer() || v.get<std::int64_t>() < 0 || v.get<std::int64_t>() > kMaxThrottlePerMinute) {
        errors.with_field(key, "must be an integer from 0 (no limit of its own) to 1000000");
      } else {
        f.throttle_per_minute = v.get<std::int64_t>();
      }
    } else if (key == "track_opens") {
      f.track_opens = flag(v, key, errors);
    } else if (key == "track_clicks") {
      f.track_clicks = flag(v, key, errors);
    } else if (key == "send_now") {
      f.send_now = flag(v, key, errors);
    } else {
      continue;  // reported by check_fields
    }
    if (errors.errors().size() == before) f.changed.push_back(key);
  }
  if (create) {
    if (!body.contains("name")) errors.with_field("name", "is required");
    if (!body.contains("template_id")) errors.with_field("template_id", "is required");
    if (!body.contains("audience"))
      errors.with_field("audience",
                        "is required: {\"all\": true}, {\"segment_id\": …}, {\"tags\": […]} or {\"lead_ids\": […]}");
  } else if (body.empty()) {
    errors.with_field("body", "names no field to change");
  }
  if (!errors.empty()) throw errors;
  return f;
}

void apply(Campaign& c, const CampaignFields& f) {
  if (f.name) c.name = *f.name;
  if (f.template_id) c.template_id = *f.template_id;
  if (f.from_name) c.from_name = *f.from_name;
  if (f.from_email) c.from_email = *f.from_email;
  if (f.reply_to) c.reply_to = *f.reply_to;
  if (f.audience) c.audience = *f.audience;
  if (f.scheduled_at) c.scheduled_at = *f.scheduled_at;
  if (f.local_time) c.local_time = *f.local_time;
  if (f.timezone) c.timezone = *f.timezone;
  if (f.throttle_per_minute) c.throttle_per_minute = *f.throttle_per_minute;
  if (f.track_opens) c.track_opens = *f.track_opens;
  if (f.track_clicks) c.track_clicks = *f.track_clicks;
  if (f.send_now) c.send_now = *f.send_now;
  if (f.schedule_mode) {
    c.schedule_mode = *f.schedule_mode;
  } else if (f.local_time && *f.local_time) {
    c.schedule_mode = ScheduleMode::LocalTime;
  } else if (f.scheduled_at && *f.scheduled_at && c.schedule_mode == ScheduleMode::Now) {
    c.schedule_mode = ScheduleMode::At;
  }
  check_schedule(c);
}

void check_schedule(const Campaign& c) {
  if (c.schedule_mode == ScheduleMode::At && !c.scheduled_at)
    throw ValidationError("scheduled_at", "is required when schedule_mode is at");
  if (c.schedule_mode == ScheduleMode::LocalTime && !c.local_time)
    throw ValidationError("local_time", "is required when schedule_mode is local_time");
}

nlohmann::json to_json(const Recipient& r) {
  auto ms = [](const std::optional<std::int64_t>& v) {
    return v ? nlohmann::json(millis_to_rfc3339(*v)) : nlohmann::json(nullptr);
  };
  return {{"id", r.id},
          {"lead_id", r.lead_id},
          {"email", r.email},
          {"state", to_string(r.state)},
          {"attempts", r.attempts},
          {"reply_code", r.reply_code ? nlohmann::json(*r.reply_code) : nlohmann::json(nullptr)},
          {"last_reply", r.last_reply ? nlohmann::json(*r.last_reply) : nlohmann::json(nullptr)},
          {"message_id", r.message_id ? nlohmann::json(*r.message_id) : nlohmann::json(nullptr)},
          {"due_at", millis_to_rfc3339(r.due_at)},
          {"sent_at", ms(r.sent_at)},
          {"opened_at", ms(r.opened_at)},
          {"clicked_at", ms(r.clicked_at)},
          {"unsubscribed_at", ms(r.unsubscribed_at)},
          {"updated_at", millis_to_rfc3339(r.updated_at)}};
}

std::vector<std::string> parse_test_request(const nlohmann::json& body) {
  require_fields(body, {"emails"});
  if (!body.contains("emails")) throw ValidationError("emails", "is required: a list of 1 to 10 addresses");
  const auto& list = body["emails"];
  if (!list.is_array() || list.empty() || list.size() > kMaxTestAddresses)
    throw ValidationError("emails", "must be a list of 1 to 10 addresses");
  std::vector<std::string> out;
  ValidationError errors;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string field = "emails[" + std::to_string(i) + "]";
    if (!list[i].is_string()) {
      errors.with_field(field, "must be a string");
      continue;
    }
    auto check = check_email(list[i].get<std::string>());
    if (!check.ok()) {
      errors.with_field(field, check.problem);
      continue;
    }
    if (std::find(out.begin(), out.end(), check.address) == out.end()) out.push_back(check.address);
  }
  if (!errors.empty()) throw errors;
  return out;
}

}  // namespace herald::campaigns

#include "campaigns/store.hpp"

#include "storage/query.hpp"

namespace herald::campaigns {
namespace {

const storage::Query kInsert{"campaigns.insert"};
const storage::Query kById{"campaigns.by_id"};
const storage::Query kList{"campaigns.list"};
const storage::Query kCount{"campaigns.count"};
const storage::Query kActiveCount{"campaigns.active_count"};
const storage::Query kCountByStatus{"campaigns.count_by_status"};
const storage::Query kUpdate{"campaigns.update"};
const storage::Query kDelete{"campaigns.delete"};
const storage::Query kSchedule{"campaigns.schedule"};
const storage::Query kStart{"campaigns.start"};
const storage::Query kPause{"campaigns.pause"};
const storage::Query kResume{"campaigns.resume"};
const storage::Query kCancel{"campaigns.cancel"};
const storage::Query kFail{"campaigns.fail"};
const storage::Query kExpandStep{"campaigns.expand_step"};
const storage::Query kTouch{"campaigns.touch"};
const storage::Query kCompleteIfDone{"campaigns.complete_if_done"};
const storage::Query kActive{"campaigns.active"};

leads::Audience audience_from(std::string_view text) {
  try {
    return leads::parse_audience(nlohmann::json::parse(text));
  } catch (...) {
    return leads::Audience{};  // never stored malformed; an empty audience mails nobody
  }
}

Campaign from_row(const storage::Row& r) {
  Campaign c;
  c.id = r.integer(0);
  c.name = r.str(1);
  c.template_id = r.integer(2);
  c.template_version = r.opt_integer(3);
  c.from_name = r.str(4);
  c.from_email = r.str(5);
  c.reply_to = r.str(6);
  c.audience = audience_from(r.text(7));
  c.schedule_mode = parse_schedule_mode(r.text(8)).value_or(ScheduleMode::Now);
  c.scheduled_at = r.opt_str(9);
  c.local_time = r.opt_str(10);
  c.timezone = r.str(11);
  c.throttle_per_minute = r.integer(12);
  c.track_opens = r.integer(13) != 0;
  c.track_clicks = r.integer(14) != 0;
  c.send_now = r.integer(15) != 0;
  c.status = parse_status(r.text(16)).value_or(Status::Failed);
  c.error = r.opt_str(17);
  c.generation = r.integer(18);
  c.expand_after = r.integer(19);
  c.expanded = r.integer(20) != 0;
  c.progress_at = r.opt_integer(21);
  c.created_by = r.opt_integer(22);
  c.created_at = r.str(23);
  c.updated_at = r.str(24);
  c.started_at = r.opt_str(25);
  c.completed_at = r.opt_str(26);
  return c;
}

storage::Param opt_text(const std::optional<std::string>& v) {
  return v ? storage::Param(std::string_view(*v)) : storage::Param(nullptr);
}

std::optional<std::int64_t> returned(storage::Connection& c, const storage::Query& q,
                                     std::initializer_list<storage::Param> params) {
  std::optional<std::int64_t> out;
  c.execute(q, params, [&](const storage::Row& r) { out = r.integer(0); });
  return out;
}

}  // namespace

std::int64_t CampaignStore::insert(storage::Connection& c, const Campaign& k, const std::string& now) {
  const auto audience = leads::to_json(k.audience).dump();
  const auto mode = std::string(to_string(k.schedule_mode));
  auto id =
      returned(c, kInsert,
               {std::string_view(k.name), k.template_id, std::string_view(k.from_name), std::string_view(k.from_email),
                std::string_view(k.reply_to), std::string_view(audience), std::string_view(mode),
                opt_text(k.scheduled_at), opt_text(k.local_time), std::string_view(k.timezone), k.throttle_per_minute,
                std::int64_t{k.track_opens}, std::int64_t{k.track_clicks}, std::int64_t{k.send_now},
                k.created_by ? storage::Param(*k.created_by) : storage::Param(nullptr), std::string_view(now)});
  return id.value_or(0);
}

std::optional<Campaign> CampaignStore::get(storage::Connection& c, std::int64_t id) {
  std::optional<Campaign> out;
  c.execute(kById, {id}, [&](const storage::Row& r) { out = from_row(r); });
  return out;
}

std::vector<Campaign> CampaignStore::list(storage::Connection& c, std::string_view status, std::int64_t limit,
                                          std::int64_t offset) {
  std::vector<Campaign> out;
  c.execute(kList, {status, limit, offset}, [&](const storage::Row& r) { out.push_back(from_row(r)); });
  return out;
}

std::int64_t CampaignStore::count(storage::Connection& c, std::string_view status) {
  return returned(c, kCount, {status}).value_or(0);
}

std::int64_t CampaignStore::active_count(storage::Connection& c) { return returned(c, kActiveCount, {}).value_or(0); }

std::vector<std::pair<std::string, std::int64_t>> CampaignStore::count_by_status(storage::Connection& c) {
  std::vector<std::pair<std::string, std::int64_t>> out;
  c.execute(kCountByStatus, {}, [&](const storage::Row& r) { out.emplace_back(r.str(0), r.integer(1)); });
  return out;
}

bool CampaignStore::update(storage::Connection& c, const Campaign& k, Status expected, const std::string& now) {
  const auto audience = leads::to_json(k.audience).dump();
  const auto mode = std::string(to_string(k.schedule_mode));
  const auto status = std::string(to_string(expected));
  return c.execute(kUpdate, {k.id, std::string_view(k.name), k.template_id, std::string_view(k.from_name),
                             std::string_view(k.from_email), std::string_view(k.reply_to), std::string_view(audience),
                             std::string_view(mode), opt_text(k.scheduled_at), opt_text(k.local_time),
                             std::string_view(k.timezone), k.throttle_per_minute, std::int64_t{k.track_opens},
                             std::int64_t{k.track_clicks}, std::string_view(now), std::string_view(status)}) > 0;
}

bool CampaignStore::remove(storage::Connection& c, std::int64_t id) { return c.execute(kDelete, {id}) > 0; }

std::optional<std::int64_t> CampaignStore::schedule(storage::Connection& c, std::int64_t id, const std::string& now) {
  return returned(c, kSchedule, {id, std::string_view(now)});
}

std::optional<std::int64_t> CampaignStore::start(storage::Connection& c, std::int64_t id, std::int64_t version,
                                                 Status from, const std::string& now, std::int64_t now_ms) {
  const auto status = std::string(to_string(from));
  return returned(c, kStart, {id, version, std::string_view(now), std::string_view(status), now_ms});
}

bool CampaignStore::pause(storage::Connection& c, std::int64_t id, const std::string& now) {
  return c.execute(kPause, {id, std::string_view(now)}) > 0;
}

std::optional<std::int64_t> CampaignStore::resume(storage::Connection& c, std::int64_t id, const std::string& now,
                                                  std::int64_t now_ms) {
  return returned(c, kResume, {id, std::string_view(now), now_ms});
}

bool CampaignStore::cancel(storage::Connection& c, std::int64_t id, const std::string& now) {
  return c.execute(kCancel, {id, std::string_view(now)}) > 0;
}

bool CampaignStore::fail(storage::Connection& c, std::int64_t id, const std::string& error, const std::string& now) {
  return c.execute(kFail, {id, std::string_view(error), std::string_view(now)}) > 0;
}

bool CampaignStore::expand_step(storage::Connection& c, std::int64_t id, std::int64_t from, std::int64_t to, bool done,
                                std::int64_t now_ms) {
  return c.execute(kExpandStep, {id, from, to, std::int64_t{done}, now_ms}) > 0;
}

void CampaignStore::touch(storage::Connection& c, std::int64_t id, std::int64_t now_ms) {
  c.execute(kTouch, {id, now_ms});
}

bool CampaignStore::complete_if_done(storage::Connection& c, std::int64_t id, const std::string& now) {
  return c.execute(kCompleteIfDone, {id, std::string_view(now)}) > 0;
}

std::vector<ActiveCampaign> CampaignStore::active(storage::Connection& c) {
  std::vector<ActiveCampaign> out;
  c.execute(kActive, {}, [&](const storage::Row& r) {
    ActiveCampaign a;
    a.id = r.integer(0);
    a.status = parse_status(r.text(1)).value_or(Status::Failed);
    a.generation = r.integer(2);
    a.expanded = r.integer(3) != 0;
    a.progress_at = r.opt_integer(4);
    a.scheduled_at = r.opt_str(5);
    out.push_back(a);
  });
  return out;
}

}  // namespace herald::campaigns

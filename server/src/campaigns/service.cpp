#include "campaigns/service.hpp"

#include <algorithm>

#include "core/errors.hpp"
#include "core/log.hpp"
#include "core/time.hpp"

namespace herald::campaigns {
namespace {

constexpr std::size_t kCountBatch = 5000;
constexpr auto kFinishedStatsTtl = std::chrono::seconds(5);
constexpr std::size_t kMaxCachedStats = 4096;

std::string resource_name(std::int64_t id) { return "campaign " + std::to_string(id); }

}  // namespace

nlohmann::json to_json(const CampaignView& v) { return to_json(v.campaign, v.stats, v.rate_per_minute); }

CampaignService::CampaignService(storage::Database& db, const Clock& clock, leads::Leads& leads,
                                 templates::Catalog& catalog, settings::Settings& settings, Pipeline& pipeline,
                                 Sender& sender, ZoneDirectory& zones, const EventWriter& events)
    : db_(db),
      clock_(clock),
      leads_(leads),
      catalog_(catalog),
      settings_(settings),
      pipeline_(pipeline),
      sender_(sender),
      zones_(zones),
      events_(events) {}

std::int64_t CampaignService::now_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.wall().time_since_epoch()).count();
}

Campaign CampaignService::load(std::int64_t id) {
  auto conn = db_.acquire();
  auto c = campaigns_.get(*conn, id);
  if (!c) throw NotFound("no " + resource_name(id));
  return std::move(*c);
}

CampaignView CampaignService::view(Campaign c, bool cached) {
  CampaignView v;
  if (c.status == Status::Draft || c.status == Status::Scheduled) {
    v.campaign = std::move(c);
    return v;  // no recipient rows yet
  }
  // A finished campaign's counts change only with tracking (opens come for
  // days): in lists they are counted again at most every few seconds per
  // process; one campaign on its own is always counted.
  const bool finished = is_final(c.status);
  const auto now = std::chrono::steady_clock::now();
  if (finished && cached) {
    std::lock_guard lock(stats_mutex_);
    if (auto it = stats_cache_.find(c.id); it != stats_cache_.end() && now - it->second.second < kFinishedStatsTtl) {
      v.stats = it->second.first;
      v.campaign = std::move(c);
      return v;
    }
  }
  {
    auto conn = db_.acquire();
    v.stats = recipients_.stats(*conn, c.id);
    if (c.status == Status::Sending)
      v.rate_per_minute = static_cast<double>(recipients_.sent_since(*conn, c.id, now_ms() - 60000));
  }
  // Counted while a worker still held a recipient (cancelled a moment ago): not kept.
  if (finished && v.stats.sending == 0) {
    std::lock_guard lock(stats_mutex_);
    if (stats_cache_.size() >= kMaxCachedStats) stats_cache_.clear();
    stats_cache_[c.id] = {v.stats, now};
  }
  v.campaign = std::move(c);
  return v;
}

std::pair<std::vector<CampaignView>, std::int64_t> CampaignService::list(std::optional<Status> status,
                                                                         std::int64_t page, std::int64_t page_size) {
  const std::string s = status ? std::string(to_string(*status)) : std::string();
  std::vector<Campaign> rows;
  std::int64_t total = 0;
  {
    auto conn = db_.acquire();
    rows = campaigns_.list(*conn, s, page_size, (page - 1) * page_size);
    total = campaigns_.count(*conn, s);
  }
  std::vector<CampaignView> out;
  out.reserve(rows.size());
  for (auto& c : rows) out.push_back(view(std::move(c), true));
  return {std::move(out), total};
}

CampaignView CampaignService::get(std::int64_t id) { return view(load(id), false); }

void CampaignService::check_references(const Campaign& c) {
  ValidationError errors;
  if (!catalog_.current(c.template_id))
    errors.with_field("template_id", "no template with id " + std::to_string(c.template_id));
  if (!zones_.find(c.timezone)) errors.with_field("timezone", "is not a known IANA time zone such as Europe/Berlin");
  if (c.audience.segment_id) {
    try {
      leads_.recipients(c.audience, 0, 1);
    } catch (const ValidationError& e) {
      for (const auto& f : e.errors()) errors.with_field(f.field, f.message);
    }
  }
  if (!errors.empty()) throw errors;
}

CampaignView CampaignService::create(const CampaignFields& fields, std::optional<std::int64_t> actor) {
  Campaign c;
  const auto sender = settings_.default_sender();
  c.from_name = sender.from_name;
  c.from_email = sender.from_email;
  c.reply_to = sender.reply_to;
  const auto tracking = settings_.tracking_defaults();
  c.track_opens = tracking.track_opens;
  c.track_clicks = tracking.track_clicks;
  c.created_by = actor;
  apply(c, fields);
  check_references(c);
  {
    auto conn = db_.acquire();
    c.id = campaigns_.insert(*conn, c, rfc3339(clock_.wall()));
  }
  return get(c.id);
}

CampaignView CampaignService::update(std::int64_t id, const CampaignFields& fields) {
  Campaign c = load(id);
  if (auto why = refuse(Action::Edit, c.status)) throw Conflict(*why);
  if (c.status == Status::Paused) {
    for (const auto& f : fields.changed)
      if (!editable_while_paused(f))
        throw Conflict("the campaign is paused: only name and throttle_per_minute can change once sending started");
  }
  const Status before = c.status;
  const auto old_schedule = std::make_tuple(c.schedule_mode, c.scheduled_at);
  apply(c, fields);
  check_references(c);
  {
    auto conn = db_.acquire();
    if (!campaigns_.update(*conn, c, before, rfc3339(clock_.wall())))
      throw Conflict("the campaign changed meanwhile; reload it");
  }
  if (before == Status::Scheduled && old_schedule != std::make_tuple(c.schedule_mode, c.scheduled_at)) {
    // Rescheduled: a start job for the new time (the old one finds it early and does nothing).
    auto at = c.scheduled_at ? parse_rfc3339(*c.scheduled_at) : std::nullopt;
    if (c.schedule_mode != ScheduleMode::At || !at || *at <= clock_.wall()) {
      pipeline_.start(load(id));
    } else {
      pipeline_.enqueue_start(c.id, c.generation, *c.scheduled_at, "");
    }
  }
  return get(id);
}

void CampaignService::remove(std::int64_t id) {
  Campaign c = load(id);
  if (auto why = refuse(Action::Delete, c.status)) throw Conflict(*why);
  auto conn = db_.acquire();
  if (!campaigns_.remove(*conn, id)) throw Conflict("the campaign changed meanwhile; reload it");
}

std::int64_t CampaignService::count_audience(const leads::Audience& audience) {
  std::int64_t n = 0;
  std::int64_t after = 0;
  for (;;) {
    auto batch = leads_.recipients(audience, after, kCountBatch);
    n += static_cast<std::int64_t>(batch.leads.size());
    if (batch.done) break;
    after = batch.next_after;
  }
  return n;
}

SendAnswer CampaignService::send(std::int64_t id) {
  Campaign c = load(id);
  if (auto why = refuse(Action::Send, c.status)) throw Conflict(*why);
  ValidationError errors;
  if (c.from_email.empty() && settings_.default_sender().from_email.empty())
    errors.with_field("from_email", "no sender address: set one on the campaign or in the settings");
  if (!catalog_.current(c.template_id))
    errors.with_field("template_id", "no template with id " + std::to_string(c.template_id));
  if (!errors.empty()) throw errors;
  // Throws ValidationError("audience.segment_id") for a segment deleted meanwhile.
  leads_.recipients(c.audience, 0, 1);
  SendAnswer answer{id, Status::Sending, 0};
  const auto at = c.scheduled_at ? parse_rfc3339(*c.scheduled_at) : std::nullopt;
  if (c.schedule_mode == ScheduleMode::At && at && *at > clock_.wall()) {
    pipeline_.schedule(c);
    answer.status = Status::Scheduled;
  } else {
    pipeline_.start(c);
  }
  // Counted once the expansion is under way, not before: counting reads the
  // whole audience (0.5–1 s for 100,000 leads), time in which nothing was
  // sent. The workers' first messages go out meanwhile.
  answer.emails_queued = count_audience(c.audience);
  return answer;
}

CampaignView CampaignService::pause(std::int64_t id) {
  Campaign c = load(id);
  if (auto why = refuse(Action::Pause, c.status)) throw Conflict(*why);
  {
    auto conn = db_.acquire();
    if (!campaigns_.pause(*conn, id, rfc3339(clock_.wall())))
      throw Conflict("the campaign changed meanwhile; reload it");
  }
  return get(id);
}

CampaignView CampaignService::resume(std::int64_t id) {
  Campaign c = load(id);
  if (auto why = refuse(Action::Resume, c.status)) throw Conflict(*why);
  std::optional<std::int64_t> generation;
  {
    auto conn = db_.acquire();
    generation = campaigns_.resume(*conn, id, rfc3339(clock_.wall()), now_ms());
  }
  if (!generation) throw Conflict("the campaign changed meanwhile; reload it");
  try {
    pipeline_.wake(id, *generation, c.expanded, "");
  } catch (const ServiceUnavailable& e) {
    log::warn("job queue unavailable: the campaign waits for the reconciler",
              {{"campaign_id", id}, {"error", e.what()}});
  }
  pipeline_.finish_if_done(id);
  return get(id);
}

CampaignView CampaignService::cancel(std::int64_t id) {
  Campaign c = load(id);
  if (auto why = refuse(Action::Cancel, c.status)) throw Conflict(*why);
  {
    auto conn = db_.acquire();
    storage::Transaction tx(*conn, storage::TxMode::Write);
    if (!campaigns_.cancel(*conn, id, rfc3339(clock_.wall())))
      throw Conflict("the campaign changed meanwhile; reload it");
    recipients_.cancel_waiting(*conn, id, now_ms());
    tx.commit();
  }
  return get(id);
}

std::vector<TestResult> CampaignService::test(std::int64_t id, const std::vector<std::string>& emails) {
  Campaign c = load(id);
  std::int64_t version = 0;
  if (c.template_version) {
    version = *c.template_version;
  } else {
    auto current = catalog_.current(c.template_id);
    if (!current) throw ValidationError("template_id", "no template with id " + std::to_string(c.template_id));
    version = current->version;
  }
  std::vector<TestResult> out;
  for (const auto& email : emails) {
    TestResult r{email, false, ""};
    try {
      auto result = sender_.send_test(c, version, email);
      r.delivered = result.accepted();
      r.detail = result.reply.empty() ? result.to_string() : result.reply;
    } catch (const std::runtime_error& e) {
      throw ValidationError("from_email", e.what());
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::pair<std::vector<Recipient>, std::int64_t> CampaignService::recipients(std::int64_t id,
                                                                            std::optional<RecipientState> state,
                                                                            std::int64_t page, std::int64_t page_size) {
  load(id);
  const std::string s = state ? std::string(to_string(*state)) : std::string();
  auto conn = db_.acquire();
  auto items = recipients_.list(*conn, id, s, page_size, (page - 1) * page_size);
  auto total = recipients_.count(*conn, id, s);
  return {std::move(items), total};
}

Timeline CampaignService::timeline(std::int64_t id, std::int64_t minutes) {
  load(id);
  Timeline t;
  auto conn = db_.acquire();
  for (auto [minute, n] : recipients_.sent_per_minute(*conn, id, now_ms() - minutes * 60000))
    t.per_minute.emplace_back(millis_to_rfc3339(minute * 60000), n);
  return t;
}

std::vector<std::pair<std::string, std::int64_t>> CampaignService::summary() {
  auto conn = db_.acquire();
  return campaigns_.count_by_status(*conn);
}

std::uint64_t CampaignService::tracking_events_dropped() const { return events_.dropped(); }

std::int64_t CampaignService::active_count() {
  auto conn = db_.acquire();
  return campaigns_.active_count(*conn);
}

}  // namespace herald::campaigns

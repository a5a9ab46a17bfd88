#include "campaigns/pipeline.hpp"

#include <algorithm>

#include "core/errors.hpp"
#include "core/log.hpp"
#include "core/time.hpp"

namespace herald::campaigns {
namespace {

std::int64_t int_of(const nlohmann::json& p, const char* key) {
  if (!p.contains(key) || !p[key].is_number_integer())
    throw jobs::PermanentJobError(std::string("the job needs an integer ") + key);
  return p[key].get<std::int64_t>();
}

std::string key_of(std::string_view job, std::int64_t id, std::string_view rest) {
  std::string k(job);
  k += ':';
  k += std::to_string(id);
  if (!rest.empty()) {
    k += ':';
    k += rest;
  }
  return k;
}

std::int64_t ms_of(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace

Pipeline::Pipeline(PipelineDeps deps) : deps_(deps) {}

std::int64_t Pipeline::now_ms() const { return ms_of(deps_.clock.wall()); }

void Pipeline::register_jobs(jobs::HandlerRegistry& registry) {
  registry.add(std::string(kStartJob), [this](jobs::JobContext& ctx) { run_start(ctx); });
  registry.add(std::string(kExpandJob), [this](jobs::JobContext& ctx) { run_expand(ctx); });
  registry.add(std::string(kEmailsJob), [this](jobs::JobContext& ctx) { run_emails(ctx); });
}

void Pipeline::fail(std::int64_t id, const std::string& reason) {
  log::warn("campaign failed", {{"campaign_id", id}, {"error", reason}});
  auto conn = deps_.db.acquire();
  campaigns_.fail(*conn, id, reason, rfc3339(deps_.clock.wall()));
}

// ---- starting ---------------------------------------------------------------

void Pipeline::start(const Campaign& c) {
  auto version = deps_.catalog.current(c.template_id);
  if (!version) throw ValidationError("template_id", "no template with id " + std::to_string(c.template_id));
  deps_.catalog.pin(c.template_id, version->version);
  std::optional<std::int64_t> generation;
  {
    auto conn = deps_.db.acquire();
    generation = campaigns_.start(*conn, c.id, version->version, c.status, rfc3339(deps_.clock.wall()), now_ms());
  }
  if (!generation) throw Conflict("the campaign changed meanwhile; reload it");
  try {
    enqueue_expand(c.id, *generation, "");
  } catch (const ServiceUnavailable& e) {
    // The campaign is sending; the reconciler enqueues its work once the queue answers.
    log::warn("job queue unavailable: the campaign waits for the reconciler",
              {{"campaign_id", c.id}, {"error", e.what()}});
  }
}

void Pipeline::schedule(const Campaign& c) {
  std::optional<std::int64_t> generation;
  {
    auto conn = deps_.db.acquire();
    generation = campaigns_.schedule(*conn, c.id, rfc3339(deps_.clock.wall()));
  }
  if (!generation) throw Conflict("the campaign changed meanwhile; reload it");
  try {
    enqueue_start(c.id, *generation, c.scheduled_at.value_or(""), "");
  } catch (const ServiceUnavailable& e) {
    log::warn("job queue unavailable: the schedule waits for the reconciler",
              {{"campaign_id", c.id}, {"error", e.what()}});
  }
}

void Pipeline::enqueue_start(std::int64_t id, std::int64_t generation, const std::string& scheduled_at,
                             std::string_view tag) {
  jobs::JobSpec spec;
  spec.name = std::string(kStartJob);
  spec.queue = "campaigns";
  spec.payload = {{"campaign_id", id}, {"generation", generation}};
  if (auto at = parse_rfc3339(scheduled_at)) spec.run_at = *at;
  spec.max_attempts = 10;
  spec.unique_key = key_of(kStartJob, id, "g" + std::to_string(generation) + ":" + scheduled_at + std::string(tag));
  deps_.queue.enqueue(spec);
}

void Pipeline::run_start(jobs::JobContext& ctx) {
  const auto id = int_of(ctx.payload(), "campaign_id");
  std::optional<Campaign> c;
  {
    auto conn = deps_.db.acquire();
    c = campaigns_.get(*conn, id);
  }
  if (!c || c->status != Status::Scheduled) return;  // sent, cancelled or deleted meanwhile
  // Rescheduled later: the job for the new time does it.
  if (c->scheduled_at) {
    auto at = parse_rfc3339(*c->scheduled_at);
    if (at && *at > deps_.clock.wall() + std::chrono::seconds(1)) return;
  }
  try {
    start(*c);
  } catch (const ValidationError& e) {
    fail(id, e.errors().empty() ? e.what() : e.errors()[0].message);
  } catch (const Conflict&) {
    // Changed meanwhile (cancelled, sent by hand): nothing to do.
  }
}

// ---- expansion --------------------------------------------------------------

std::int64_t Pipeline::enqueue_expand(std::int64_t id, std::int64_t generation, std::string_view tag) {
  jobs::JobSpec spec;
  spec.name = std::string(kExpandJob);
  spec.queue = "campaigns";
  spec.payload = {{"campaign_id", id}, {"generation", generation}};
  spec.max_attempts = 20;
  spec.unique_key = key_of(kExpandJob, id, "g" + std::to_string(generation) + std::string(tag));
  return deps_.queue.enqueue(spec).created ? 1 : 0;
}

std::int64_t Pipeline::due_for(const Campaign& c, const leads::Lead& lead, std::int64_t now,
                               const std::optional<SendSlot>& slot) {
  std::optional<int> minutes;
  if (c.schedule_mode == ScheduleMode::LocalTime && c.local_time) minutes = parse_local_time(*c.local_time);
  if (!minutes && !(c.schedule_mode == ScheduleMode::BestTime && slot)) return now;
  std::shared_ptr<const Zone> zone;
  if (!lead.timezone.empty()) zone = deps_.zones.find(lead.timezone);
  // A best slot is on the lead's clock, or UTC (as the advice counted it),
  // never the campaign's time zone.
  if (!zone && !minutes) zone = std::make_shared<const Zone>(Zone::utc());
  if (!zone) zone = deps_.zones.find(c.timezone);
  if (!zone) zone = deps_.zones.find("UTC");
  std::int64_t not_before = now;
  if (c.scheduled_at) {
    if (auto at = parse_rfc3339(*c.scheduled_at)) not_before = std::max(not_before, ms_of(*at));
  }
  const SysSeconds from{std::chrono::seconds((not_before + 999) / 1000)};
  if (!minutes) return next_weekly_time(*zone, slot->day, slot->hour, from).time_since_epoch().count() * 1000;
  return next_local_time(*zone, *minutes, from).time_since_epoch().count() * 1000;
}

std::int64_t Pipeline::enqueue_ranges(std::int64_t id, const std::vector<std::int64_t>& ids, std::string_view key_tag,
                                      std::optional<std::int64_t> run_at_ms) {
  std::vector<jobs::JobSpec> specs;
  const auto batch = static_cast<std::size_t>(std::max<std::int64_t>(1, deps_.options.emails_batch));
  for (std::size_t at = 0; at < ids.size(); at += batch) {
    const auto first = ids[at];
    const auto last = ids[std::min(ids.size(), at + batch) - 1];
    jobs::JobSpec spec;
    spec.name = std::string(kEmailsJob);
    spec.queue = "emails";
    spec.payload = {{"campaign_id", id}, {"first", first}, {"last", last}};
    spec.max_attempts = 20;
    if (run_at_ms) spec.run_at = std::chrono::system_clock::time_point(std::chrono::milliseconds(*run_at_ms));
    spec.unique_key = key_of(kEmailsJob, id, std::string(key_tag) + ":" + std::to_string(first));
    specs.push_back(std::move(spec));
  }
  if (specs.empty()) return 0;
  std::int64_t created = 0;
  for (const auto& e : deps_.queue.enqueue_batch(specs)) created += e.created ? 1 : 0;
  return created;
}

void Pipeline::run_expand(jobs::JobContext& ctx) {
  const auto id = int_of(ctx.payload(), "campaign_id");
  const auto generation = int_of(ctx.payload(), "generation");
  std::int64_t done_leads = 0;
  for (;;) {
    if (ctx.stopping()) throw jobs::ReleaseJob();
    std::optional<Campaign> c;
    {
      auto conn = deps_.db.acquire();
      c = campaigns_.get(*conn, id);
    }
    if (!c || c->status != Status::Sending || c->expanded) break;
    if (c->generation != generation) break;  // resumed: a newer job goes on from the cursor
    leads::RecipientBatch batch;
    try {
      batch = deps_.leads.recipients(c->audience, c->expand_after, deps_.options.expand_batch);
    } catch (const ValidationError& e) {
      fail(id, "the audience cannot be read: " + (e.errors().empty() ? std::string(e.what()) : e.errors()[0].message));
      return;
    }
    const auto now = now_ms();
    std::vector<NewRecipient> rows;
    rows.reserve(batch.leads.size());
    std::int64_t earliest = INT64_MAX;
    // "best_time": each lead's best hour of the week, one advice call per batch.
    std::vector<SendSlot> slots;
    if (c->schedule_mode == ScheduleMode::BestTime) {
      std::vector<SendTimeTarget> targets;
      targets.reserve(batch.leads.size());
      for (const auto& lead : batch.leads) targets.push_back({lead.id, lead.timezone});
      if (send_times_) slots = send_times_->best_slots(targets, c->audience.segment_id);
      slots.resize(batch.leads.size());  // without advice: the default slot
    }
    for (std::size_t i = 0; i < batch.leads.size(); ++i) {
      const auto& lead = batch.leads[i];
      const auto due = due_for(*c, lead, now, slots.empty() ? std::nullopt : std::optional<SendSlot>(slots[i]));
      earliest = std::min(earliest, due);
      rows.push_back({lead.id, lead.email, due});
    }
    std::vector<std::int64_t> ids;
    {
      auto conn = deps_.db.acquire();
      storage::Transaction tx(*conn, storage::TxMode::Write);
      recipients_.insert_batch(*conn, id, rows, now);
      tx.commit();
      ids = recipients_.ids_for_leads(*conn, id, c->expand_after, batch.next_after);
    }
    // The jobs first, then the cursor: a batch whose jobs were lost is redone
    // (the rows exist; the unique keys make the jobs once).
    const std::optional<std::int64_t> run_at =
        earliest != INT64_MAX && earliest > now ? std::optional<std::int64_t>(earliest) : std::nullopt;
    enqueue_ranges(id, ids, "g" + std::to_string(generation), run_at);
    bool moved = false;
    {
      auto conn = deps_.db.acquire();
      moved = campaigns_.expand_step(*conn, id, c->expand_after, batch.next_after, batch.done, now_ms());
    }
    if (!moved) continue;  // another worker moved it; look again
    done_leads += static_cast<std::int64_t>(batch.leads.size());
    ctx.progress(batch.done ? 100 : 50, {{"campaign_id", id}, {"recipients", done_leads}});
    if (batch.done) break;
  }
  finish_if_done(id);
}

// ---- sending ----------------------------------------------------------------

void Pipeline::run_emails(jobs::JobContext& ctx) {
  SendRange range;
  range.campaign_id = int_of(ctx.payload(), "campaign_id");
  range.first = int_of(ctx.payload(), "first");
  range.last = int_of(ctx.payload(), "last");
  const auto report = deps_.sender.run(range, [&ctx] { return ctx.stopping(); });
  ctx.set_result({{"sent", report.sent},
                  {"deferred", report.deferred},
                  {"failed", report.failed},
                  {"skipped", report.skipped},
                  {"postponed", report.released}});
  if (report.stopped && ctx.stopping()) throw jobs::ReleaseJob();
  std::optional<Campaign> c;
  {
    auto conn = deps_.db.acquire();
    c = campaigns_.get(*conn, range.campaign_id);
  }
  if (!c || c->status != Status::Sending) return;  // paused: resume wakes it; cancelled: over
  if (report.next_due) {
    // What waits in this range (a back-off, a throttle, another worker's
    // lease) gets a job of its own for when it is due.
    const auto at = std::max(*report.next_due, now_ms() + 50);
    jobs::JobSpec spec;
    spec.name = std::string(kEmailsJob);
    spec.queue = "emails";
    spec.payload = ctx.payload();
    spec.max_attempts = 20;
    spec.run_at = std::chrono::system_clock::time_point(std::chrono::milliseconds(at));
    spec.unique_key = key_of(kEmailsJob, range.campaign_id,
                             "t" + std::to_string(*report.next_due) + ":" + std::to_string(range.first));
    deps_.queue.enqueue(spec);
  }
  finish_if_done(range.campaign_id);
}

bool Pipeline::finish_if_done(std::int64_t id) {
  auto conn = deps_.db.acquire();
  if (!campaigns_.complete_if_done(*conn, id, rfc3339(deps_.clock.wall()))) return false;
  log::info("campaign completed", {{"campaign_id", id}});
  return true;
}

std::int64_t Pipeline::wake(std::int64_t id, std::int64_t generation, bool expanded, std::string_view tag) {
  std::int64_t created = 0;
  const std::string key_tag = "g" + std::to_string(generation) + std::string(tag);
  if (!expanded) created += enqueue_expand(id, generation, tag);
  std::int64_t after = 0;
  for (;;) {
    std::vector<std::int64_t> ids;
    {
      auto conn = deps_.db.acquire();
      ids = recipients_.unfinished_ids(*conn, id, after, 10 * deps_.options.emails_batch);
    }
    if (ids.empty()) break;
    created += enqueue_ranges(id, ids, key_tag, std::nullopt);
    after = ids.back();
  }
  return created;
}

// ---- reconciling ------------------------------------------------------------

std::int64_t Pipeline::reconcile(const jobs::ReconcileContext& ctx) {
  std::vector<ActiveCampaign> active;
  {
    auto conn = deps_.db.acquire();
    active = campaigns_.active(*conn);
  }
  const auto now = ms_of(ctx.now);
  const auto stale_before = now - deps_.staleness.count();
  std::int64_t created = 0;
  for (const auto& a : active) {
    if (a.status == Status::Scheduled) {
      // Idempotent: the start job has this key unless the queue lost it.
      enqueue_start(a.id, a.generation, a.scheduled_at.value_or(""), "");
      continue;
    }
    if (a.progress_at && *a.progress_at >= stale_before) continue;  // work is being done
    if (finish_if_done(a.id)) continue;
    const std::string tag = ":r" + std::to_string(a.progress_at.value_or(0));
    bool stranded = !a.expanded;
    if (!stranded) {
      auto conn = deps_.db.acquire();
      stranded = recipients_.stranded(*conn, a.id, now);
    }
    if (!stranded) continue;  // everything waits for a later time (back-off, local time)
    const auto n = wake(a.id, a.generation, a.expanded, tag);
    {
      auto conn = deps_.db.acquire();
      campaigns_.touch(*conn, a.id, now);
    }
    if (n > 0)
      log::warn("campaign work the queue no longer held was enqueued again", {{"campaign_id", a.id}, {"jobs", n}});
    created += n;
  }
  return created;
}

}  // namespace herald::campaigns

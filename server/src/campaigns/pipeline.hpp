// The sending pipeline on the job queue (queues `campaigns` and `emails`):
//
//   campaigns.start   a scheduled campaign's time has come: pin the template
//                     version, status sending, enqueue the expansion.
//   campaigns.expand  walks the audience in keyset batches (leads' interface,
//                     one batch in memory), writes one recipient row per
//                     (campaign, lead) and enqueues `campaigns.emails` jobs
//                     for each batch's recipient id ranges; the cursor moves
//                     only after the batch's jobs are enqueued.
//   campaigns.emails  sends what is due in its recipient id range (Sender),
//                     then enqueues itself again for what waits (a back-off,
//                     a throttle, another worker's lease) and completes the
//                     campaign once nothing waits.
//
// The database is the source of truth: every job only wakes up work the
// campaign and recipient rows describe, so a repeated, duplicated or lost
// job costs a delay, never a message. The reconciler (registered by the
// module) puts back the work of campaigns that made no progress for a while.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "campaigns/interface.hpp"
#include "campaigns/options.hpp"
#include "campaigns/recipient_store.hpp"
#include "campaigns/schedule.hpp"
#include "campaigns/sender.hpp"
#include "campaigns/store.hpp"
#include "core/clock.hpp"
#include "jobs/queue.hpp"
#include "jobs/reconciler.hpp"
#include "jobs/worker.hpp"
#include "leads/interface.hpp"
#include "storage/database.hpp"
#include "templates/interface.hpp"

namespace herald::campaigns {

inline constexpr std::string_view kStartJob = "campaigns.start";
inline constexpr std::string_view kExpandJob = "campaigns.expand";
inline constexpr std::string_view kEmailsJob = "campaigns.emails";

struct PipelineDeps {
  storage::Database& db;
  const Clock& clock;
  jobs::JobQueue& queue;
  leads::Leads& leads;
  templates::Catalog& catalog;
  Sender& sender;
  ZoneDirectory& zones;
  PipelineOptions options;
  // A campaign that made no progress for this long has lost its jobs
  // (the reconciler enqueues them again).
  std::chrono::milliseconds staleness{std::chrono::minutes(2)};
};

class Pipeline {
 public:
  explicit Pipeline(PipelineDeps deps);

  void register_jobs(jobs::HandlerRegistry& registry);
  // The reconciler's pass for campaigns; returns the jobs it created.
  std::int64_t reconcile(const jobs::ReconcileContext& ctx);

  // Sending starts (from draft or scheduled): pins the template's current
  // version, marks the campaign sending and enqueues the expansion. Throws
  // ValidationError("template_id") when the template is gone, Conflict when
  // the status changed meanwhile.
  void start(const Campaign& c);
  // A draft waits for scheduled_at: status scheduled, start job enqueued.
  void schedule(const Campaign& c);
  // Enqueues the start job of a scheduled campaign for its scheduled_at.
  void enqueue_start(std::int64_t id, std::int64_t generation, const std::string& scheduled_at, std::string_view tag);
  // After resume: the expansion (if unfinished) and jobs for every recipient still to send.
  std::int64_t wake(std::int64_t id, std::int64_t generation, bool expanded, std::string_view tag);
  // Marks the campaign completed when nothing waits.
  bool finish_if_done(std::int64_t id);
  // The "best_time" schedule's advice (set once by the composition root,
  // before the workers start); without it every lead gets the default slot.
  void set_send_time_advisor(SendTimeAdvisor* advisor) noexcept { send_times_ = advisor; }

 private:
  void run_start(jobs::JobContext& ctx);
  void run_expand(jobs::JobContext& ctx);
  void run_emails(jobs::JobContext& ctx);
  std::int64_t enqueue_expand(std::int64_t id, std::int64_t generation, std::string_view tag);
  std::int64_t enqueue_ranges(std::int64_t id, const std::vector<std::int64_t>& ids, std::string_view key_tag,
                              std::optional<std::int64_t> run_at_ms);
  std::int64_t due_for(const Campaign& c, const leads::Lead& lead, std::int64_t now_ms,
                       const std::optional<SendSlot>& slot = std::nullopt);
  std::int64_t now_ms() const;
  void fail(std::int64_t id, const std::string& reason);

  PipelineDeps deps_;
  CampaignStore campaigns_;
  RecipientStore recipients_;
  SendTimeAdvisor* send_times_ = nullptr;
};

}  // namespace herald::campaigns

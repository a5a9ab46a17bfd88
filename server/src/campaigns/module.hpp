// The campaigns module: campaigns and their recipients, the sending pipeline
// on the job queue (jobs campaigns.start, campaigns.expand, campaigns.emails,
// and a reconciler), the shared send limits, and the tracking and
// unsubscribe links. Uses leads' interface (audiences, suppressions, status
// changes), the templates catalog (pinned versions) and settings (sender,
// DKIM, per-domain limits, tracking defaults, the mail transport). Offers
// campaigns::Campaigns, campaigns::Activity (interface.hpp: the event log,
// for analytics) and campaigns::Responses (replies and reports, for inbound); reports each message's outcome to the
// contributed send observers.
#pragma once

#include <memory>

#include "campaigns/activity.hpp"
#include "campaigns/interface.hpp"
#include "campaigns/limits.hpp"
#include "campaigns/options.hpp"
#include "campaigns/pipeline.hpp"
#include "campaigns/responses.hpp"
#include "campaigns/routes.hpp"
#include "campaigns/schedule.hpp"
#include "campaigns/sender.hpp"
#include "campaigns/service.hpp"
#include "campaigns/tracking.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "jobs/queue.hpp"
#include "leads/interface.hpp"
#include "mail/send_observer.hpp"
#include "mail/tracking.hpp"
#include "mail/transport.hpp"
#include "module/module.hpp"
#include "redis/client.hpp"
#include "settings/interface.hpp"
#include "storage/database.hpp"
#include "templates/interface.hpp"

namespace herald::campaigns {

struct Deps {
  storage::Database& db;
  const Clock& clock;
  const Config& config;
  jobs::JobQueue& queue;
  redis::RedisClient* redis;  // shared send limits when set
  leads::Leads& leads;
  templates::Catalog& catalog;
  settings::Settings& settings;
  mail::Transport& transport;
  // Told how each message ended (Contributions::send_observers(): filled once
  // every module is built, read only by the workers).
  const std::vector<mail::SendObserver*>& send_observers;
  PipelineOptions options = {};
};

class Module final : public herald::Module {
 public:
  explicit Module(Deps deps);
  // The endpoints, the three jobs and the reconciler.
  void contribute(Contributions& contributions) override;

  // What later modules may ask (the admin figures).
  Campaigns& campaigns() noexcept { return service_; }

  CampaignService& service() noexcept { return service_; }
  Pipeline& pipeline() noexcept { return pipeline_; }
  EventWriter& events() noexcept { return events_; }
  // The event log and campaign facts, for analytics.
  Activity& activity() noexcept { return activity_; }
  // Replies and delivery and spam reports about sent messages, for inbound.
  Responses& responses() noexcept { return responses_; }
  // The "best_time" schedule's advice, from a later module (the composition root sets it).
  void set_send_time_advisor(SendTimeAdvisor& advisor) noexcept { pipeline_.set_send_time_advisor(&advisor); }

 private:
  static PipelineOptions resolve(PipelineOptions o, const Config& config);

  PipelineOptions options_;
  std::string secret_;
  mail::TokenSigner signer_;
  mail::Tracker tracker_;
  std::unique_ptr<SendLimiter> limiter_;
  ZoneDirectory zones_;
  TemplateCache templates_;
  Sender sender_;
  Pipeline pipeline_;
  EventWriter events_;  // before service_, which reads its drop count
  CampaignService service_;
  Tracking tracking_;
  Routes routes_;
  ActivityFeed activity_;
  ResponseLog responses_;
};

}  // namespace herald::campaigns

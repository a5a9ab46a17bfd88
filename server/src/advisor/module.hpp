// The AI assistant's built-in tools, which need no AI provider: the message
// check (POST /api/ai/analyze) and lead scoring (POST /api/ai/score-leads,
// the advisor.score_leads job on the `analytics` queue) and send-time advice
// (GET /api/ai/send-times). See
// docs/architecture.md, "AI assistant — built-in tools". Reads leads and the
// event log only through leads::Leads and campaigns::Activity, and writes
// scores through leads::Leads::set_scores. The provider-backed tools live in
// the ai module, which uses advisor/interface.hpp for its subject lines.
#pragma once

#include "advisor/routes.hpp"
#include "advisor/scorer.hpp"
#include "advisor/send_time_service.hpp"
#include "campaigns/interface.hpp"
#include "core/clock.hpp"
#include "core/timezone.hpp"
#include "jobs/queue.hpp"
#include "leads/interface.hpp"
#include "module/module.hpp"

namespace herald::advisor {

struct Deps {
  const Clock& clock;
  jobs::JobQueue& queue;
  leads::Leads& leads;
  campaigns::Activity& activity;
};

class Module final : public herald::Module {
 public:
  explicit Module(Deps deps);
  // The endpoints and the advisor.score_leads job.
  void contribute(Contributions& contributions) override;

  // The campaigns' "best_time" schedule asks this.
  campaigns::SendTimeAdvisor& send_time_advisor() noexcept { return send_times_; }

 private:
  ZoneDirectory zones_;
  LeadScorer scorer_;
  SendTimeService send_times_;
  Routes routes_;
};

}  // namespace herald::advisor

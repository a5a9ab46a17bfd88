// The composition root: every domain module, in order, and what each is
// handed. A module gets the platform (database, clock, configuration, rate
// limiter, Redis) and the interfaces of the modules before it — never their
// stores or services. Adding a domain adds one line here (see
// docs/architecture.md, "Adding a domain").
#include <nlohmann/json.hpp>

#include "advisor/interface.hpp"
#include "advisor/module.hpp"
#include "ai/module.hpp"
#include "analytics/module.hpp"
#include "app/composition.hpp"
#include "audit/module.hpp"
#include "auth/module.hpp"
#include "campaigns/module.hpp"
#include "health/module.hpp"
#include "inbound/module.hpp"
#include "jobs/module.hpp"
#include "leads/module.hpp"
#include "observability/module.hpp"
#include "settings/module.hpp"
#include "templates/module.hpp"

namespace herald::app {

void add_modules(Composition& c) {
  auto& db = c.database();
  auto& clock = c.clock();
  auto& config = c.config();
  auto& health = c.add<health::Module>(health::Deps{clock, config, db, c.contributions().health_checks()});
  auto& audit = c.add<audit::Module>(audit::Deps{db, clock});
  auto& auth = c.add<auth::Module>(auth::Deps{db, config, clock, c.limiter(), c.options().first_admin});
  auto& jobs = c.add<jobs::Module>(jobs::Deps{db, clock, config, c.redis()});
  leads::Deps lead_deps{db, clock, config, jobs.queue(), audit.trail(), auth.users()};
  lead_deps.warm_segments = c.options().serves_http;
  auto& leads = c.add<leads::Module>(lead_deps);
  auto& settings = c.add<settings::Module>(settings::Deps{db, clock, config});
  auto& templates = c.add<templates::Module>(
      templates::Deps{db, clock, config, leads.leads(), settings.settings(), settings.transport()});
  auto& campaigns = c.add<campaigns::Module>(campaigns::Deps{db, clock, config, jobs.queue(), c.redis(), leads.leads(),
                                                             templates.catalog(), settings.settings(),
                                                             settings.transport(), c.contributions().send_observers()});
  c.add<analytics::Module>(analytics::Deps{db, clock, config, jobs.queue(), leads.leads(), campaigns.activity()});
  c.add<inbound::Module>(
      inbound::Deps{db, clock, jobs.queue(), settings.settings(), leads.leads(), campaigns.responses()});
  auto& advisor = c.add<advisor::Module>(advisor::Deps{clock, jobs.queue(), leads.leads(), campaigns.activity()});
  campaigns.set_send_time_advisor(advisor.send_time_advisor());
  auto& ai = c.add<ai::Module>(ai::Deps{db, clock, config, settings.settings(), leads.leads(), templates.catalog(),
                                        c.contributions().endpoints()});
  ai.service().set_subject_analysis(
      [](const std::string& subject) { return advisor::to_json(advisor::analyze_subject(subject)); });
  c.add<observability::Module>(observability::Deps{config, clock, db, jobs.queue(), health.reports(),
                                                   settings.smtp_pool(), &campaigns.campaigns()});
}

}  // namespace herald::app

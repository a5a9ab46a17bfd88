// The templates module: Mustache templates with versions and previews.
// Offers templates::Catalog (templates/interface.hpp) to later modules —
// campaigns read the version they send through catalog(), and pin it.
#pragma once

#include "core/clock.hpp"
#include "core/config.hpp"
#include "leads/interface.hpp"
#include "mail/transport.hpp"
#include "module/module.hpp"
#include "settings/interface.hpp"
#include "storage/database.hpp"
#include "templates/routes.hpp"
#include "templates/service.hpp"

namespace herald::templates {

struct Deps {
  storage::Database& db;
  const Clock& clock;
  const Config& config;
  leads::Leads& leads;                 // the lead a preview renders for
  const settings::Settings& settings;  // the sender a preview shows
  mail::Transport& transport;          // where a test message goes (SMTP or the outbox)
};

class Module final : public herald::Module {
 public:
  explicit Module(Deps deps);
  void contribute(Contributions& contributions) override;

  Catalog& catalog() noexcept { return catalog_; }

 private:
  TemplateService service_;
  ServiceCatalog catalog_;
  Routes routes_;
};

}  // namespace herald::templates

// The settings module: sender identity, tracking defaults, per-recipient-
// domain limits, DKIM keys, the SMTP view and test send, and the built-in
// outbox. Offers later modules
//   - settings::Settings (settings/interface.hpp) through settings(), and
//   - the mail delivery through transport(): the SMTP pool when
//     HERALD_SMTP_URL is set, otherwise the outbox (settings/outbox.hpp).
//     Campaigns send every message through it; outbox_sink() is the outbox's
//     storage on its own, for a module that builds its own transport.
// Registers the "smtp" health check when SMTP is configured.
#pragma once

#include <memory>

#include "core/clock.hpp"
#include "core/config.hpp"
#include "mail/transport.hpp"
#include "module/module.hpp"
#include "settings/outbox.hpp"
#include "settings/routes.hpp"
#include "settings/service.hpp"
#include "storage/database.hpp"

namespace herald::settings {

struct Deps {
  storage::Database& db;
  const Clock& clock;
  const Config& config;
};

class Module final : public herald::Module {
 public:
  // Throws ConfigError("HERALD_SMTP_URL", …) for a bad SMTP URL.
  explicit Module(Deps deps);
  void contribute(Contributions& contributions) override;

  Settings& settings() noexcept { return service_; }
  mail::Transport& transport() noexcept { return *transport_; }
  std::shared_ptr<mail::OutboxSink> outbox_sink() const noexcept { return outbox_; }
  // This process's SMTP connections, when HERALD_SMTP_URL is set.
  mail::SmtpPool* smtp_pool() noexcept;

 private:
  std::shared_ptr<DbOutboxSink> outbox_;
  std::unique_ptr<mail::Transport> transport_;
  SettingsService service_;
  Routes routes_;
};

}  // namespace herald::settings

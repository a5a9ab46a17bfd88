#include "settings/module.hpp"

#include <chrono>

#include "health/interface.hpp"

namespace herald::settings {
namespace {

// How long the health report reuses the SMTP check's answer: a dashboard
// polling the report every second costs the mail server one NOOP per period.
constexpr auto kSmtpCheckTtl = std::chrono::seconds(5);

KeyBox key_box(const Config& config) {
  if (config.jwt_secret) return KeyBox(*config.jwt_secret);
  return KeyBox(data_dir_secret(config.data_dir));
}

}  // namespace

Module::Module(Deps d)
    : outbox_(std::make_shared<DbOutboxSink>(d.db, d.clock)),
      transport_(mail::make_transport(d.config, outbox_)),
      service_(d.db, d.clock, d.config, key_box(d.config), *transport_),
      routes_(service_) {}

void Module::contribute(Contributions& c) {
  add_endpoints(c.endpoints(), routes_);
  if (mail::SmtpPool* pool = smtp_pool()) {
    c.add_health_check(health::cached(std::make_shared<mail::SmtpCheck>(*pool), kSmtpCheckTtl));
  }
}

mail::SmtpPool* Module::smtp_pool() noexcept {
  auto* smtp = dynamic_cast<mail::SmtpTransport*>(transport_.get());
  return smtp != nullptr ? &smtp->pool() : nullptr;
}

}  // namespace herald::settings

#include "settings/module.hpp"

namespace herald::settings {
namespace {

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
  if (auto* smtp = dynamic_cast<mail::SmtpTransport*>(transport_.get())) {
    c.add_health_check(std::make_shared<mail::SmtpCheck>(smtp->pool()));
  }
}

}  // namespace herald::settings

// What the settings domain offers the others (campaigns): the default sender
// identity, the DKIM signer for a From domain, the per-recipient-domain
// limits and the tracking defaults. Other domains hold a reference to
// settings::Settings, handed over by the composition root
// (settings::Module::settings()); they never see the settings store or its SQL.
// The mail delivery (SMTP or the built-in outbox) is offered beside it by the
// same module: see settings/module.hpp (Module::transport()).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace herald::mail {
class DkimSigner;  // mail/dkim.hpp; include it to sign with what signer_for returns
}  // namespace herald::mail

namespace herald::settings {

struct Sender {
  std::string from_name, from_email, reply_to;  // reply_to may be empty
};
struct DomainLimit {
  std::string domain;  // recipient domain, lower-case
  int per_minute = 0;
};
struct Tracking {
  bool track_opens = true;
  bool track_clicks = true;
};
// The AI provider in effect: each field from Settings → AI when set there,
// else from HERALD_AI_BASE_URL / _API_KEY / _MODEL; the key in clear.
struct AiProvider {
  std::string base_url, api_key, model;
  std::int64_t daily_token_budget = 200'000;  // per user and UTC day
};

// The monitored mailbox in effect (Settings → Inbound mailbox), the password in clear.
struct InboundMailbox {
  bool enabled = false;
  std::string imap_url, user, password;
  std::int64_t poll_interval_s = 60;
};

// Settings → Inbound mailbox → Test connection: the mailbox a request
// {imap_url?, user?, password?} names, what it leaves out (the password,
// typically) taken from `stored`; checked by the same rules as PATCH
// /api/settings {inbound}. Throws ValidationError naming the field
// ("imap_url", "user", "password"). Pure.
InboundMailbox inbound_mailbox_to_test(const InboundMailbox& stored, const nlohmann::json& body);

class Settings {  // offered by the settings module to later modules
 public:
  virtual ~Settings() = default;
  virtual Sender default_sender() const = 0;
  // The DKIM signer for a From domain (a key generated in settings, or the operator's
  // HERALD_DKIM_DOMAIN/_SELECTOR/_KEY_FILE), or null when that domain has no key.
  virtual std::shared_ptr<const mail::DkimSigner> signer_for(std::string_view from_domain) const = 0;
  virtual std::vector<DomainLimit> domain_limits() const = 0;
  virtual Tracking tracking_defaults() const = 0;
  virtual AiProvider ai_provider() const = 0;
  // Read on each call (one primary-key read): a change applies at once in every process.
  virtual InboundMailbox inbound_mailbox() const = 0;
};

}  // namespace herald::settings

// The settings domain's logic: the mail settings an administrator changes
// (sender identity, tracking defaults, per-recipient-domain limits), DKIM
// keys generated per sending domain (sealed at rest, never returned), the
// SMTP transport shown read-only with a test send, and the outbox listing.
// Implements settings::Settings for later modules.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/config.hpp"
#include "mail/dkim.hpp"
#include "mail/transport.hpp"
#include "settings/interface.hpp"
#include "settings/key_box.hpp"
#include "settings/store.hpp"
#include "settings/types.hpp"
#include "storage/database.hpp"

namespace herald::settings {

// The SMTP transport as configured, without the password.
SmtpView smtp_view(const Config& config);

struct SmtpTestResult {
  bool delivered = false;
  std::string transport;  // smtp or outbox
  std::string detail;     // the server's reply, or what went wrong
  std::string message_id;
};

class SettingsService final : public Settings {
 public:
  // `transport` delivers the test message (the module's SMTP pool or outbox).
  SettingsService(storage::Database& db, const Clock& clock, const Config& config, KeyBox box,
                  mail::Transport& transport);

  // GET /api/settings: {sender, tracking, domain_limits, smtp, public_url, dkim}.
  nlohmann::json view();
  MailSettings mail_settings();
  MailSettings patch(const nlohmann::json& body);

  std::vector<DkimKeyView> dkim_keys();
  // A new RSA-2048 key for the domain (replacing one Herald generated before).
  DkimKeyView generate_dkim_key(const DkimRequest& request);
  void delete_dkim_key(const std::string& domain);

  SmtpTestResult smtp_test(const std::string& to);

  std::pair<std::vector<OutboxEntry>, std::int64_t> outbox(std::int64_t page, std::int64_t page_size,
                                                           std::optional<std::int64_t> campaign_id);
  OutboxEntry outbox_message(std::int64_t id);

  // settings::Settings: each read checks the database, so a change made through
  // any process applies at once; what is parsed (the document, DKIM keys) is kept.
  Sender default_sender() const override;
  std::shared_ptr<const mail::DkimSigner> signer_for(std::string_view from_domain) const override;
  std::vector<DomainLimit> domain_limits() const override;
  Tracking tracking_defaults() const override;
  AiProvider ai_provider() const override;
  InboundMailbox inbound_mailbox() const override;

 private:
  MailSettings cached() const;
  // GET /api/settings' "ai": the provider in effect, where each field comes from, never the key.
  nlohmann::json ai_view();
  AiProvider resolve_ai(const AiSettings& stored) const;
  std::string now() const;
  void load_operator_key();

  storage::Database& db_;
  const Clock& clock_;
  const Config& config_;
  KeyBox box_;
  mail::Transport& transport_;
  Store store_;

  // HERALD_DKIM_* (read once at start).
  std::optional<DkimKeyView> operator_key_;
  std::shared_ptr<const mail::DkimSigner> operator_signer_;

  struct SignerEntry {
    Clock::time_point checked{};
    std::string selector, created_at;
    std::shared_ptr<const mail::DkimSigner> signer;
  };
  mutable std::mutex mutex_;
  mutable std::optional<std::pair<std::string, MailSettings>> settings_cache_;  // document text → parsed
  mutable std::map<std::string, SignerEntry, std::less<>> signers_;
};

}  // namespace herald::settings

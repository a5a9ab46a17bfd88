// SQL access for the settings domain: the mail settings document (in the
// platform's app_settings, key "mail.settings"), DKIM keys
// (server/sql/common/dkim_keys.sql) and the outbox (outbox.sql). Each call
// takes the connection, so the caller decides the transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "settings/inbound.hpp"
#include "settings/types.hpp"
#include "storage/database.hpp"

namespace herald::settings {

struct StoredDkimKey {
  std::string domain, selector;
  std::string private_key_enc;  // sealed (KeyBox); empty in listings
  std::string dns_txt, created_at;
};

struct OutboxEntry {
  std::int64_t id = 0;
  std::string mail_from, rcpt_to, subject;
  std::optional<std::int64_t> campaign_id;
  std::string message_id;
  std::int64_t size = 0;
  std::string created_at;
  std::string raw;  // only from get()
};

class Store {
 public:
  using Connection = storage::Connection;

  MailSettings mail_settings(Connection& c) const;
  // The stored document as written (none before the first PATCH): one primary-key read.
  std::optional<std::string> mail_settings_document(Connection& c) const;
  void put_mail_settings(Connection& c, const MailSettings& s, const std::string& now) const;
  AiSettings ai_settings(Connection& c) const;  // key "ai.settings"
  void put_ai_settings(Connection& c, const AiSettings& s, const std::string& now) const;
  InboundSettings inbound_settings(Connection& c) const;  // key "inbound.settings"
  void put_inbound_settings(Connection& c, const InboundSettings& s, const std::string& now) const;

  std::vector<StoredDkimKey> dkim_keys(Connection& c) const;
  std::optional<StoredDkimKey> dkim_key(Connection& c, std::string_view domain) const;
  void put_dkim_key(Connection& c, const StoredDkimKey& k) const;
  bool delete_dkim_key(Connection& c, std::string_view domain) const;

  void add_outbox(Connection& c, const OutboxEntry& e) const;
  std::vector<OutboxEntry> outbox(Connection& c, std::optional<std::int64_t> campaign_id, std::int64_t limit,
                                  std::int64_t offset) const;
  std::int64_t outbox_count(Connection& c, std::optional<std::int64_t> campaign_id) const;
  std::optional<OutboxEntry> outbox_message(Connection& c, std::int64_t id) const;
};

}  // namespace herald::settings

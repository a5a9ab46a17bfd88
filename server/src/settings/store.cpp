#include "settings/store.hpp"

#include "storage/query.hpp"
#include "storage/settings.hpp"

namespace herald::settings {
namespace {

using storage::Param;
using storage::Row;
using sv = std::string_view;

constexpr sv kMailSettingsKey = "mail.settings";
constexpr sv kAiSettingsKey = "ai.settings";
constexpr sv kInboundSettingsKey = "inbound.settings";

const storage::Query kDkimList{"dkim_keys.list"};
const storage::Query kDkimGet{"dkim_keys.get"};
const storage::Query kDkimPut{"dkim_keys.put"};
const storage::Query kDkimDelete{"dkim_keys.delete"};
const storage::Query kOutboxInsert{"outbox.insert"};
const storage::Query kOutboxList{"outbox.list"};
const storage::Query kOutboxCount{"outbox.count"};
const storage::Query kOutboxListCampaign{"outbox.list_campaign"};
const storage::Query kOutboxCountCampaign{"outbox.count_campaign"};
const storage::Query kOutboxGet{"outbox.get"};

// id, mail_from, rcpt_to, subject, campaign_id, message_id, size, created_at[, raw]
OutboxEntry outbox_from(const Row& r) {
  OutboxEntry e;
  e.id = r.integer(0);
  e.mail_from = r.str(1);
  e.rcpt_to = r.str(2);
  e.subject = r.str(3);
  e.campaign_id = r.opt_integer(4);
  e.message_id = r.str(5);
  e.size = r.integer(6);
  e.created_at = r.str(7);
  if (r.size() > 8) e.raw = r.str(8);
  return e;
}

}  // namespace

MailSettings Store::mail_settings(Connection& c) const {
  auto doc = storage::get_setting(c, kMailSettingsKey);
  if (!doc) return {};
  return mail_settings_from_json(nlohmann::json::parse(*doc, nullptr, false));
}

std::optional<std::string> Store::mail_settings_document(Connection& c) const {
  return storage::get_setting(c, kMailSettingsKey);
}

void Store::put_mail_settings(Connection& c, const MailSettings& s, const std::string& now) const {
  storage::put_setting(c, kMailSettingsKey, to_json(s).dump(), now);
}

AiSettings Store::ai_settings(Connection& c) const {
  auto doc = storage::get_setting(c, kAiSettingsKey);
  if (!doc) return {};
  return ai_settings_from_json(nlohmann::json::parse(*doc, nullptr, false));
}

void Store::put_ai_settings(Connection& c, const AiSettings& s, const std::string& now) const {
  storage::put_setting(c, kAiSettingsKey, to_stored_json(s).dump(), now);
}

InboundSettings Store::inbound_settings(Connection& c) const {
  auto doc = storage::get_setting(c, kInboundSettingsKey);
  if (!doc) return {};
  return inbound_settings_from_json(nlohmann::json::parse(*doc, nullptr, false));
}

void Store::put_inbound_settings(Connection& c, const InboundSettings& s, const std::string& now) const {
  storage::put_setting(c, kInboundSettingsKey, to_stored_json(s).dump(), now);
}

std::vector<StoredDkimKey> Store::dkim_keys(Connection& c) const {
  std::vector<StoredDkimKey> out;
  c.execute(kDkimList, {}, [&](const Row& r) { out.push_back({r.str(0), r.str(1), "", r.str(2), r.str(3)}); });
  return out;
}

std::optional<StoredDkimKey> Store::dkim_key(Connection& c, sv domain) const {
  std::optional<StoredDkimKey> out;
  c.execute(kDkimGet, {domain}, [&](const Row& r) {
    out = StoredDkimKey{r.str(0), r.str(1), r.str(2), r.str(3), r.str(4)};
  });
  return out;
}

void Store::put_dkim_key(Connection& c, const StoredDkimKey& k) const {
  c.execute(kDkimPut, {sv(k.domain), sv(k.selector), sv(k.private_key_enc), sv(k.dns_txt), sv(k.created_at)});
}

bool Store::delete_dkim_key(Connection& c, sv domain) const { return c.execute(kDkimDelete, {domain}) > 0; }

void Store::add_outbox(Connection& c, const OutboxEntry& e) const {
  c.execute(kOutboxInsert,
            {sv(e.mail_from), sv(e.rcpt_to), sv(e.subject), e.campaign_id ? Param(*e.campaign_id) : Param(nullptr),
             sv(e.message_id), e.size, sv(e.raw), sv(e.created_at)});
}

std::vector<OutboxEntry> Store::outbox(Connection& c, std::optional<std::int64_t> campaign_id, std::int64_t limit,
                                       std::int64_t offset) const {
  std::vector<OutboxEntry> out;
  auto add = [&](const Row& r) { out.push_back(outbox_from(r)); };
  if (campaign_id) {
    c.execute(kOutboxListCampaign, {*campaign_id, limit, offset}, add);
  } else {
    c.execute(kOutboxList, {limit, offset}, add);
  }
  return out;
}

std::int64_t Store::outbox_count(Connection& c, std::optional<std::int64_t> campaign_id) const {
  std::int64_t n = 0;
  auto read = [&](const Row& r) { n = r.integer(0); };
  if (campaign_id) {
    c.execute(kOutboxCountCampaign, {*campaign_id}, read);
  } else {
    c.execute(kOutboxCount, {}, read);
  }
  return n;
}

std::optional<OutboxEntry> Store::outbox_message(Connection& c, std::int64_t id) const {
  std::optional<OutboxEntry> out;
  c.execute(kOutboxGet, {id}, [&](const Row& r) { out = outbox_from(r); });
  return out;
}

}  // namespace herald::settings

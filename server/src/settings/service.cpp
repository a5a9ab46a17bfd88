#include "settings/service.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "core/errors.hpp"
#include "core/log.hpp"
#include "core/strings.hpp"
#include "core/time.hpp"
#include "mail/mime.hpp"
#include "mail/smtp_settings.hpp"

namespace herald::settings {
namespace {

std::string_view tls_name(mail::TlsMode m) {
  switch (m) {
    case mail::TlsMode::Never:
      return "never";
    case mail::TlsMode::Opportunistic:
      return "opportunistic";
    case mail::TlsMode::Required:
      return "required";
    case mail::TlsMode::Implicit:
      return "implicit";
  }
  return "unknown";
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + p.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

DkimKeyView generated_view(const StoredDkimKey& k) {
  return {k.domain, k.selector, mail::dkim_dns_name(k.selector, k.domain), k.dns_txt, k.created_at, "generated", ""};
}

}  // namespace

SmtpView smtp_view(const Config& config) {
  SmtpView v;
  if (!config.smtp_url) {
    v.transport = "outbox";
    return v;
  }
  const auto s = mail::parse_smtp_url(*config.smtp_url);
  v.transport = "smtp";
  v.host = s.host;
  v.port = s.port;
  v.tls = tls_name(s.tls);
  v.username = s.username;
  v.verify_certificate = s.verify_certificate;
  v.pool = config.smtp_pool;
  v.url = s.describe();
  return v;
}

SettingsService::SettingsService(storage::Database& db, const Clock& clock, const Config& config, KeyBox box,
                                 mail::Transport& transport)
    : db_(db), clock_(clock), config_(config), box_(std::move(box)), transport_(transport) {
  load_operator_key();
}

void SettingsService::load_operator_key() {
  if (!config_.dkim_domain || !config_.dkim_selector || !config_.dkim_key_file) return;
  DkimKeyView v;
  v.domain = to_lower_ascii(*config_.dkim_domain);
  v.selector = *config_.dkim_selector;
  v.dns_name = mail::dkim_dns_name(v.selector, v.domain);
  v.source = "config";
  try {
    const auto pem = read_file(*config_.dkim_key_file);
    operator_signer_ = std::make_shared<const mail::DkimSigner>(mail::DkimKey{v.domain, v.selector, pem});
    v.dns_txt = mail::dkim_dns_txt(pem);
  } catch (const std::exception& e) {
    v.error = e.what();
    log::error("the DKIM key of HERALD_DKIM_KEY_FILE cannot be used", {{"error", e.what()}});
  }
  operator_key_ = std::move(v);
}

std::string SettingsService::now() const { return rfc3339(clock_.wall()); }

MailSettings SettingsService::mail_settings() {
  auto conn = db_.acquire();
  return store_.mail_settings(*conn);
}

nlohmann::json SettingsService::view() {
  auto out = to_json(mail_settings());
  out["smtp"] = to_json(smtp_view(config_));
  out["public_url"] = config_.public_url;
  nlohmann::json keys = nlohmann::json::array();
  for (const auto& k : dkim_keys()) keys.push_back(to_json(k));
  out["dkim"] = std::move(keys);
  out["ai"] = ai_view();
  {
    auto conn = db_.acquire();
    out["inbound"] = to_view_json(store_.inbound_settings(*conn));
  }
  return out;
}

nlohmann::json SettingsService::ai_view() {
  AiSettings stored;
  {
    auto conn = db_.acquire();
    stored = store_.ai_settings(*conn);
  }
  const auto effective = resolve_ai(stored);
  auto source = [](const std::string& set_here, const std::optional<std::string>& env) {
    if (!set_here.empty()) return "settings";
    return env && !env->empty() ? "environment" : "unset";
  };
  return {{"base_url", effective.base_url},
          {"model", effective.model},
          {"api_key_set", !effective.api_key.empty()},
          {"daily_token_budget", effective.daily_token_budget},
          {"configured", !effective.base_url.empty() && !effective.model.empty()},
          {"source",
           {{"base_url", source(stored.base_url, config_.ai_base_url)},
            {"model", source(stored.model, config_.ai_model)},
            {"api_key", source(stored.api_key_sealed, config_.ai_api_key)}}}};
}

AiProvider SettingsService::resolve_ai(const AiSettings& stored) const {
  AiProvider p;
  p.base_url = !stored.base_url.empty() ? stored.base_url : config_.ai_base_url.value_or("");
  p.model = !stored.model.empty() ? stored.model : config_.ai_model.value_or("");
  if (!stored.api_key_sealed.empty()) {
    auto key = box_.open(stored.api_key_sealed);
    if (!key) {
      log::error("the stored AI provider key cannot be opened (was HERALD_JWT_SECRET or secret.key changed?)");
    }
    p.api_key = key.value_or("");
  } else {
    p.api_key = config_.ai_api_key.value_or("");
  }
  p.daily_token_budget = stored.daily_token_budget;
  return p;
}

InboundMailbox SettingsService::inbound_mailbox() const {
  InboundSettings stored;
  {
    auto conn = db_.acquire();
    stored = store_.inbound_settings(*conn);
  }
  InboundMailbox m{stored.enabled, stored.imap_url, stored.user, "", stored.poll_interval_s};
  if (!stored.password_sealed.empty()) {
    auto password = box_.open(stored.password_sealed);
    if (!password)
      log::error(
          "the inbound mailbox's stored password cannot be opened (was HERALD_JWT_SECRET or secret.key changed?)");
    m.password = password.value_or("");
  }
  return m;
}

MailSettings SettingsService::patch(const nlohmann::json& body) {
  auto conn = db_.acquire();
  storage::Transaction tx(*conn, storage::TxMode::Write);
  ValidationError ai_errors;
  std::optional<AiPatch> ai;
  if (body.is_object() && body.contains("ai")) ai = apply_ai_patch(store_.ai_settings(*conn), body["ai"], ai_errors);
  std::optional<InboundPatch> inbound;
  if (body.is_object() && body.contains("inbound"))
    inbound = apply_inbound_patch(store_.inbound_settings(*conn), body["inbound"], ai_errors);
  MailSettings next;
  try {
    next = apply_patch(store_.mail_settings(*conn), body);
  } catch (ValidationError& e) {
    for (const auto& f : ai_errors.errors()) e.with_field(f.field, f.message);
    throw;
  }
  if (!ai_errors.empty()) throw ai_errors;
  store_.put_mail_settings(*conn, next, now());
  if (ai) {
    if (ai->api_key) ai->next.api_key_sealed = ai->api_key->empty() ? std::string() : box_.seal(*ai->api_key);
    store_.put_ai_settings(*conn, ai->next, now());
  }
  if (inbound) {
    if (inbound->password)
      inbound->next.password_sealed = inbound->password->empty() ? std::string() : box_.seal(*inbound->password);
    store_.put_inbound_settings(*conn, inbound->next, now());
  }
  tx.commit();
  std::lock_guard lock(mutex_);
  settings_cache_.reset();
  return next;
}

std::vector<DkimKeyView> SettingsService::dkim_keys() {
  std::vector<DkimKeyView> out;
  if (operator_key_) out.push_back(*operator_key_);
  auto conn = db_.acquire();
  for (const auto& k : store_.dkim_keys(*conn)) {
    if (operator_key_ && k.domain == operator_key_->domain) continue;
    out.push_back(generated_view(k));
  }
  return out;
}

DkimKeyView SettingsService::generate_dkim_key(const DkimRequest& request) {
  if (operator_key_ && operator_key_->domain == request.domain) {
    throw ValidationError("domain", "has the operator's key (HERALD_DKIM_DOMAIN); change it there");
  }
  auto key = mail::generate_dkim_key(2048);
  StoredDkimKey stored{request.domain, request.selector, box_.seal(key.private_key_pem), key.dns_txt, now()};
  auto conn = db_.acquire();
  store_.put_dkim_key(*conn, stored);
  return generated_view(stored);
}

void SettingsService::delete_dkim_key(const std::string& input) {
  auto domain = normalise_domain(input);
  if (operator_key_ && domain && *domain == operator_key_->domain) {
    throw ValidationError("domain",
                          "has the operator's key (HERALD_DKIM_DOMAIN), which only the configuration changes");
  }
  auto conn = db_.acquire();
  if (!domain || !store_.delete_dkim_key(*conn, *domain)) throw NotFound("no DKIM key for " + input);
  std::lock_guard lock(mutex_);
  signers_.erase(*domain);
}

SmtpTestResult SettingsService::smtp_test(const std::string& to) {
  const auto sender = default_sender();
  const std::string from_email = sender.from_email.empty() ? "herald@localhost" : sender.from_email;
  const auto domain = mail::domain_of(from_email);
  mail::Message m;
  m.from = {sender.from_name.empty() ? "Herald" : sender.from_name, from_email};
  m.to = {"", to};
  m.subject = "Herald SMTP test";
  m.text = fmt::format(
      "This is a test message from Herald.\r\n\r\nIt was sent through the {} transport at {}.\r\n"
      "If you can read it, mail delivery works.\r\n",
      transport_.name(), now());
  m.message_id = mail::random_message_id(domain);
  m.date = clock_.wall();
  auto data = mail::build_message(m);
  if (auto signer = signer_for(domain)) data = signer->sign(data, clock_.wall()) + data;
  const auto result = transport_.send({from_email, to, std::move(data), m.message_id});
  SmtpTestResult out;
  out.delivered = result.accepted();
  out.transport = transport_.name();
  out.message_id = m.message_id;
  out.detail = result.accepted() ? (result.reply.empty() ? "accepted" : result.reply) : result.to_string();
  return out;
}

std::pair<std::vector<OutboxEntry>, std::int64_t> SettingsService::outbox(std::int64_t page, std::int64_t page_size,
                                                                          std::optional<std::int64_t> campaign_id) {
  auto conn = db_.acquire();
  return {store_.outbox(*conn, campaign_id, page_size, (page - 1) * page_size),
          store_.outbox_count(*conn, campaign_id)};
}

OutboxEntry SettingsService::outbox_message(std::int64_t id) {
  auto conn = db_.acquire();
  auto e = store_.outbox_message(*conn, id);
  if (!e) throw NotFound("no outbox message " + std::to_string(id));
  return *e;
}

// Every read asks the database for the document (one primary-key read) and
// parses it only when it differs from the last one: a PATCH through any
// process applies to the next read in every process.
MailSettings SettingsService::cached() const {
  std::optional<std::string> doc;
  {
    auto conn = db_.acquire();
    doc = store_.mail_settings_document(*conn);
  }
  std::string text = doc.value_or("");
  {
    std::lock_guard lock(mutex_);
    if (settings_cache_ && settings_cache_->first == text) return settings_cache_->second;
  }
  MailSettings s = doc ? mail_settings_from_json(nlohmann::json::parse(*doc, nullptr, false)) : MailSettings{};
  std::lock_guard lock(mutex_);
  settings_cache_.emplace(std::move(text), s);
  return s;
}

Sender SettingsService::default_sender() const { return cached().sender; }
std::vector<DomainLimit> SettingsService::domain_limits() const { return cached().domain_limits; }
Tracking SettingsService::tracking_defaults() const { return cached().tracking; }

// Read on every call (one primary-key read beside a provider call of seconds):
// a change through any process applies to the next call in every process.
AiProvider SettingsService::ai_provider() const {
  AiSettings stored;
  {
    auto conn = db_.acquire();
    stored = store_.ai_settings(*conn);
  }
  return resolve_ai(stored);
}

std::shared_ptr<const mail::DkimSigner> SettingsService::signer_for(std::string_view from_domain) const {
  const auto domain = to_lower_ascii(from_domain);
  if (operator_key_ && domain == operator_key_->domain) return operator_signer_;
  const auto at = clock_.now();
  // The row is read every time (once per batch of a campaign, once per test
  // send), so a key generated or deleted through any process applies at
  // once; the key is parsed again only when the row changed.
  auto conn = db_.acquire();
  auto row = store_.dkim_key(*conn, domain);
  std::lock_guard lock(mutex_);
  auto& entry = signers_[domain];
  entry.checked = at;
  if (!row) {
    entry = SignerEntry{at, "", "", nullptr};
    return nullptr;
  }
  if (entry.signer && entry.selector == row->selector && entry.created_at == row->created_at) return entry.signer;
  auto pem = box_.open(row->private_key_enc);
  if (!pem) {
    log::error("a stored DKIM key cannot be opened (was HERALD_JWT_SECRET or secret.key changed?)",
               {{"domain", domain}});
    entry = SignerEntry{at, row->selector, row->created_at, nullptr};
    return nullptr;
  }
  entry = SignerEntry{at, row->selector, row->created_at,
                      std::make_shared<const mail::DkimSigner>(mail::DkimKey{domain, row->selector, *pem})};
  return entry.signer;
}

}  // namespace herald::settings

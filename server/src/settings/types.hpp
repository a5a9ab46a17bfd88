// The settings as the API shows them, their stored form and the PATCH parser.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/errors.hpp"
#include "settings/interface.hpp"

namespace herald::settings {

// The AI provider as stored (app_settings "ai.settings"): empty fields fall
// back to HERALD_AI_*; the API key sealed (KeyBox), never returned.
struct AiSettings {
  std::string base_url, model;
  std::string api_key_sealed;
  std::int64_t daily_token_budget = 200'000;
};
inline constexpr std::int64_t kMaxDailyTokenBudget = 1'000'000'000;
nlohmann::json to_stored_json(const AiSettings& s);
AiSettings ai_settings_from_json(const nlohmann::json& doc);

// What a PATCH {ai: {...}} changes: the next settings and, when the body set
// one, the new API key in clear (to be sealed); "" clears the stored key.
struct AiPatch {
  AiSettings next;
  std::optional<std::string> api_key;
};
// {base_url?, model?, api_key?, daily_token_budget?}; null or "" clears a field.
AiPatch apply_ai_patch(const AiSettings& current, const nlohmann::json& body, ValidationError& errors);

// What an administrator sets (stored as one JSON document).
struct MailSettings {
  Sender sender;
  Tracking tracking;
  std::vector<DomainLimit> domain_limits;
};
nlohmann::json to_json(const MailSettings& s);
// The stored document; members missing from an older document keep their defaults.
MailSettings mail_settings_from_json(const nlohmann::json& doc);

inline constexpr std::size_t kMaxDomainLimits = 200;
inline constexpr int kMaxPerMinute = 1'000'000;

// PATCH /api/settings {sender?: {from_name?, from_email?, reply_to?},
// tracking?: {track_opens?, track_clicks?}, domain_limits?: [{domain, per_minute}]}:
// applies the body to `current`. Throws ValidationError naming each bad field
// ("sender.from_email", "domain_limits[2].per_minute", "smtp" as read-only, …).
MailSettings apply_patch(const MailSettings& current, const nlohmann::json& body);

// A lower-case host name of letters, digits, '-' and '.', or nullopt.
std::optional<std::string> normalise_domain(std::string_view input);
// A DKIM selector: letters, digits, '-', '_' and '.', 1-63 characters.
bool valid_selector(std::string_view selector);

// The SMTP transport, read-only from HERALD_SMTP_URL (never the password).
struct SmtpView {
  std::string transport;  // "smtp" or "outbox"
  std::string host;
  int port = 0;
  std::string tls;  // never, opportunistic, required, implicit
  std::string username;
  bool verify_certificate = true;
  int pool = 0;
  std::string url;  // the URL without the password
};
nlohmann::json to_json(const SmtpView& v);

// One DKIM key as listed (never the private key).
struct DkimKeyView {
  std::string domain, selector, dns_name, dns_txt, created_at;
  std::string source;  // "generated" (settings) or "config" (HERALD_DKIM_*)
  std::string error;   // a key that cannot be used, and why
};
nlohmann::json to_json(const DkimKeyView& v);

// POST /api/settings/dkim {domain, selector}
struct DkimRequest {
  std::string domain, selector;
};
DkimRequest parse_dkim_request(const nlohmann::json& body);

// POST /api/settings/smtp/test {to}
std::string parse_smtp_test_request(const nlohmann::json& body);

}  // namespace herald::settings

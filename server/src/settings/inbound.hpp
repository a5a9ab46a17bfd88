// The monitored mailbox (Settings → Inbound mailbox): where Herald reads
// bounces, complaints and replies over IMAP. Stored in app_settings under
// "inbound.settings" with the password sealed (settings/key_box.hpp); the
// API shows password_set, never the password.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/errors.hpp"

namespace herald::settings {

inline constexpr std::int64_t kMinPollInterval = 10;     // seconds
inline constexpr std::int64_t kMaxPollInterval = 86400;  // a day

struct InboundSettings {
  bool enabled = false;
  std::string imap_url;  // imaps://host:993/INBOX, or imap://host/INBOX (STARTTLS required)
  std::string user;
  std::string password_sealed;
  std::int64_t poll_interval_s = 60;
};
nlohmann::json to_stored_json(const InboundSettings& s);
InboundSettings inbound_settings_from_json(const nlohmann::json& doc);
// GET /api/settings' "inbound": {enabled, imap_url, user, password_set, poll_interval_s}.
nlohmann::json to_view_json(const InboundSettings& s);

// What a PATCH {inbound: {...}} changes: the next settings and, when the
// body set one, the new password in clear ("" clears it).
struct InboundPatch {
  InboundSettings next;
  std::optional<std::string> password;
};
// {enabled?, imap_url?, user?, password?, poll_interval_s?}; field errors
// named "inbound.<field>". Enabling needs an imap_url and a user.
InboundPatch apply_inbound_patch(const InboundSettings& current, const nlohmann::json& body, ValidationError& errors);

}  // namespace herald::settings

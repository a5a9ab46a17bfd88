#include "inbound/probe.hpp"

#include <string>

#include "core/errors.hpp"
#include "settings/inbound.hpp"

namespace herald::inbound {
namespace {

constexpr std::string_view kPrefix = "inbound.";

Error upstream(const std::string& slug, const std::string& what, const ImapError& e) {
  return Error(502, "Bad Gateway", what + " (" + e.what() + ")", slug);
}

}  // namespace

settings::InboundMailbox probe_target(const settings::InboundMailbox& stored, const nlohmann::json& body) {
  ValidationError errors;
  if (!body.is_object()) throw ValidationError("body", "must be an object {imap_url, user, password}");
  for (auto& [key, _] : body.items()) {
    if (key != "imap_url" && key != "user" && key != "password") errors.with_field(key, "is not a field of the test");
  }
  // The same rules as PATCH /api/settings {inbound}; its field names without the prefix.
  settings::InboundSettings current;
  current.imap_url = stored.imap_url;
  current.user = stored.user;
  ValidationError patch_errors;
  const auto patch = settings::apply_inbound_patch(current, body, patch_errors);
  for (const auto& f : patch_errors.errors()) {
    errors.with_field(f.field.starts_with(kPrefix) ? f.field.substr(kPrefix.size()) : f.field, f.message);
  }
  if (errors.empty()) {
    if (patch.next.imap_url.empty()) errors.with_field("imap_url", "is required to test the inbound mailbox");
    if (patch.next.user.empty()) errors.with_field("user", "is required to test the inbound mailbox");
  }
  if (!errors.empty()) throw errors;
  settings::InboundMailbox target = stored;
  target.imap_url = patch.next.imap_url;
  target.user = patch.next.user;
  if (patch.password) target.password = *patch.password;
  return target;
}

MailboxStatus probe(const settings::InboundMailbox& target, long timeout_s) {
  try {
    ImapSession session({target.imap_url, target.user, target.password}, timeout_s);
    return session.status();
  } catch (const ImapError& e) {
    switch (e.stage) {
      case ImapStage::Url:
        throw ValidationError("imap_url", e.what());
      case ImapStage::Connect:
        throw upstream("inbound-connect", "Could not connect to the IMAP server", e);
      case ImapStage::Tls:
        throw upstream("inbound-tls", "The TLS handshake with the IMAP server failed", e);
      case ImapStage::Login:
        throw upstream("inbound-login", "The IMAP server refused the user or password", e);
      case ImapStage::Folder:
        throw upstream("inbound-folder", "The IMAP server has no folder of that name, or refused to open it", e);
      case ImapStage::Other:
        break;
    }
    throw upstream("inbound-error", "The IMAP server did not answer as expected", e);
  }
}

}  // namespace herald::inbound

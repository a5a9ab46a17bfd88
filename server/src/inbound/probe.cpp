#include "inbound/probe.hpp"

#include <string>

#include "core/errors.hpp"

namespace herald::inbound {
namespace {

Error upstream(const std::string& slug, const std::string& what, const ImapError& e) {
  return Error(502, "Bad Gateway", what + " (" + e.what() + ")", slug);
}

}  // namespace

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

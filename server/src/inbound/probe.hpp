// Settings → Inbound mailbox → Test connection: log in to a mailbox, select
// its folder and count what it holds, without reading or marking anything.
// Which mailbox a request names is settings::inbound_mailbox_to_test's
// (settings/interface.hpp): what it leaves out (the password, typically)
// comes from the stored settings, so the saved configuration can be tested
// without typing the password again.
#pragma once

#include <cstdint>

#include "inbound/imap.hpp"
#include "settings/interface.hpp"

namespace herald::inbound {

// Logs in, selects the folder and counts. Throws herald::Error: 422 for a
// URL that cannot be used (field imap_url), else 502 whose type names the
// step that failed (inbound-connect, inbound-tls, inbound-login,
// inbound-folder, inbound-error). The password is in no message.
MailboxStatus probe(const settings::InboundMailbox& target, long timeout_s = 20);

}  // namespace herald::inbound

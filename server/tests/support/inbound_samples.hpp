// Mail as it arrives in a monitored mailbox, written the way real servers
// write it (layouts copied from Postfix, Exim, Gmail, Exchange Online, an
// ARF feedback loop, an Outlook out-of-office, a Gmail reply), about a
// message Herald sent: `original_id` is its Message-ID ("<c1.l2.herald@…>"),
// `rcpt` its recipient.
#pragma once

#include <string>
#include <string_view>

namespace herald::test {

std::string postfix_dsn(std::string_view original_id, std::string_view rcpt, std::string_view status = "5.1.1");
std::string postfix_delayed_dsn(std::string_view original_id, std::string_view rcpt);
std::string exim_dsn(std::string_view original_id, std::string_view rcpt);
std::string gmail_dsn(std::string_view original_id, std::string_view rcpt);
std::string microsoft_dsn(std::string_view original_id, std::string_view rcpt);
std::string arf_report(std::string_view original_id, std::string_view rcpt);
std::string out_of_office(std::string_view original_id, std::string_view from);
std::string human_reply(std::string_view original_id, std::string_view from, std::string_view own_id = "");

}  // namespace herald::test

// One outgoing message as RFC 5322 / MIME text: multipart/alternative (text
// and HTML), encoded headers, List-Unsubscribe with one-click, Message-ID
// derived from campaign and lead, Feedback-ID; CRLF throughout, no line above
// 998 characters. Pure.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mail/mime_encoding.hpp"

namespace herald::mail {

struct Address {
  std::string name;   // display name, any UTF-8 (may be empty)
  std::string email;  // ASCII addr-spec
};

struct Message {
  Address from;
  Address to;
  std::optional<Address> reply_to;
  std::string subject;
  std::string text;        // the text/plain part (one of text and html may be empty)
  std::string html;        // the text/html part
  std::string message_id;  // "<…@…>", e.g. from make_message_id
  std::chrono::system_clock::time_point date;
  std::string list_unsubscribe_url;     // https://…/u/TOKEN: also gets List-Unsubscribe-Post (RFC 8058)
  std::string list_unsubscribe_mailto;  // mailto:…, optional
  std::string feedback_id;              // optional, e.g. from make_feedback_id
  // More headers ("X-Campaign", …); names of letters, digits and '-', values
  // one line. Never the ones above.
  std::vector<std::pair<std::string, std::string>> extra_headers;
};

// The whole message: headers, an empty line, the body. Throws MimeError for
// addresses that cannot be written (see format_addr_spec) or a bad extra header.
std::string build_message(const Message& message);

// "<c{campaign}.l{lead}.{tag}@{domain}>": the same for every attempt to mail a
// lead in a campaign, so a duplicate is recognisable downstream. `tag` (letters,
// digits, '-') tells one Herald installation's messages from another's.
std::string make_message_id(std::int64_t campaign_id, std::int64_t lead_id, std::string_view domain,
                            std::string_view tag = "herald");
// What make_message_id encoded, read back from a Message-ID (with or without
// the angle brackets, as In-Reply-To, References and returned headers carry
// it); nullopt for any other id. Says nothing of whether Herald sent it: the
// caller compares the whole id with the recipient's stored one.
struct MessageIdParts {
  std::int64_t campaign_id = 0, lead_id = 0;
  std::string tag, domain;
};
std::optional<MessageIdParts> parse_message_id(std::string_view id);
// "<local@domain>" with the domain lower-cased, from an id with or without
// brackets (surrounding blanks dropped); the form make_message_id writes.
std::string normalize_message_id(std::string_view id);
// A random "<…@domain>" for messages outside a campaign (tests to given addresses).
std::string random_message_id(std::string_view domain);
// Feedback-ID "c{campaign}:campaign:{sender}" (Gmail's a:b:c:SenderId shape).
std::string make_feedback_id(std::int64_t campaign_id, std::string_view sender = "herald");

// The domain of an address (after the last '@'), lower-cased.
std::string domain_of(std::string_view email);

}  // namespace herald::mail

// The SMTP protocol's pure parts (RFC 5321, 3207, 4954, 2920, 1870): replies,
// EHLO capabilities, envelope address checks, dot-stuffing and AUTH payloads.
// No I/O; the client (smtp_client.hpp) drives a socket with them.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace herald::mail {

// The server said something that is not SMTP.
class SmtpProtocolError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct SmtpReply {
  int code = 0;
  std::vector<std::string> lines;  // the text of each line, after "250-" / "250 "

  bool positive() const noexcept { return code >= 200 && code < 300; }
  bool intermediate() const noexcept { return code >= 300 && code < 400; }
  bool transient() const noexcept { return code >= 400 && code < 500; }
  // "5.1.1" when the first line starts with an enhanced status code (RFC 3463).
  std::string enhanced_code() const;
  // "550 5.1.1 first line / second line": for logs and the recipient's record,
  // cut to 1,000 bytes, control characters and invalid UTF-8 replaced.
  std::string to_string() const;
};

// Collects the lines of one reply: feed lines (without CRLF) until it answers.
class ReplyParser {
 public:
  // The complete reply after its last line; nullopt while more lines follow.
  // Throws SmtpProtocolError for a line that is not "DDD[ -]text", a code
  // that changes within the reply, or a reply longer than 200 lines.
  std::optional<SmtpReply> feed(std::string_view line);

 private:
  SmtpReply current_;
};

struct Capabilities {
  bool pipelining = false;
  bool starttls = false;
  bool eightbitmime = false;
  bool smtputf8 = false;
  bool enhanced_status_codes = false;
  std::uint64_t size = 0;      // SIZE limit in bytes, 0 when none was announced
  std::set<std::string> auth;  // upper-case mechanisms (PLAIN, LOGIN, …)
};
// From the 250 reply to EHLO (the first line is the greeting).
Capabilities parse_ehlo(const SmtpReply& reply);

// Empty when `address` can go in MAIL FROM:<…> / RCPT TO:<…> as it is
// (ASCII, no spaces, controls or angle brackets, one '@' with text either
// side; an empty reverse path is allowed for MAIL FROM), otherwise why not.
std::string envelope_address_problem(std::string_view address, bool allow_empty);

// The DATA payload: lines starting with '.' get another '.', the message is
// made to end with CRLF, and the terminating ".\r\n" is appended.
std::string dot_stuff(std::string_view message);

// AUTH PLAIN's initial response: base64("\0user\0password").
std::string auth_plain(std::string_view user, std::string_view password);
std::string base64_text(std::string_view s);

}  // namespace herald::mail

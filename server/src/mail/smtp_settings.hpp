// Where and how to deliver by SMTP, read from HERALD_SMTP_URL:
//
//   smtp://[user[:password]@]host[:port][?options]    port 25 by default
//   smtps://…                                         implicit TLS, port 465
//
// options (query string): starttls=opportunistic|required|never (smtp only;
// default opportunistic: used when offered), tls_verify=true|false (default
// true; false accepts any certificate), ca_file=PATH (trust this CA instead
// of the system's), helo=NAME (default: this machine's host name),
// timeout=DURATION (each command, default 60s), connect_timeout=DURATION
// (default 10s), data_timeout=DURATION (the reply after the message, default
// 120s), max_messages=N (per connection, default unlimited). User and
// password are percent-decoded. Credentials are only ever sent over TLS.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace herald::mail {

enum class TlsMode {
  Never,          // plain SMTP
  Opportunistic,  // STARTTLS when the server offers it
  Required,       // STARTTLS or no delivery
  Implicit,       // smtps: TLS from the first byte
};

struct SmtpSettings {
  std::string host = "127.0.0.1";
  std::uint16_t port = 25;
  TlsMode tls = TlsMode::Opportunistic;
  bool verify_certificate = true;
  std::string ca_file;  // PEM; empty: the system's trust store
  std::string username;
  std::string password;
  std::string helo_name;  // empty: the host name of this machine
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds command_timeout{60'000};
  std::chrono::milliseconds data_timeout{120'000};
  std::size_t max_messages_per_connection = 0;  // 0: no limit

  // The URL without the password, for logs and the health report.
  std::string describe() const;
};

// Throws ConfigError("HERALD_SMTP_URL", reason).
SmtpSettings parse_smtp_url(std::string_view url);

}  // namespace herald::mail

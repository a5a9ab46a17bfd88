// One SMTP connection (RFC 5321): greeting, EHLO (HELO as a fallback),
// STARTTLS or implicit TLS, AUTH PLAIN/LOGIN (over TLS only), then any
// number of messages, pipelined when the server offers PIPELINING, with
// RSET after a transaction the server refused. Blocking, with a deadline
// on every step; for one thread at a time (the pool hands clients out).
#pragma once

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "mail/delivery.hpp"
#include "mail/smtp_protocol.hpp"
#include "mail/smtp_settings.hpp"
#include "mail/smtp_socket.hpp"

namespace herald::mail {

// Setting up the connection failed; `result` is a Deferred result saying
// where and why (the server's reply when it gave one).
class SmtpConnectError : public std::runtime_error {
 public:
  explicit SmtpConnectError(DeliveryResult result)
      : std::runtime_error(result.to_string()), result_(std::move(result)) {}
  const DeliveryResult& result() const noexcept { return result_; }

 private:
  DeliveryResult result_;
};

class SmtpClient {
 public:
  SmtpClient(const SmtpSettings& settings, std::shared_ptr<const TlsContext> tls);
  ~SmtpClient();
  SmtpClient(const SmtpClient&) = delete;
  SmtpClient& operator=(const SmtpClient&) = delete;

  // Connects and negotiates; throws SmtpConnectError.
  void connect();
  bool connected() const noexcept { return socket_.is_open(); }

  // One message to one recipient. Never throws for what the server or the
  // network does: the result says. After Dropped (or a 421) the connection is
  // closed; connect() again to go on.
  DeliveryResult send(std::string_view mail_from, std::string_view rcpt_to, std::string_view message);

  // True when the server answers NOOP; otherwise the connection is closed.
  bool noop();
  // QUIT politely (briefly), then close.
  void quit() noexcept;

  const Capabilities& capabilities() const noexcept { return caps_; }
  bool tls_active() const noexcept { return socket_.tls(); }
  std::size_t messages_sent() const noexcept { return messages_sent_; }

 private:
  SmtpReply read_reply(Deadline deadline);
  SmtpReply command(std::string_view line, Deadline deadline);
  void ehlo();
  void starttls();
  void authenticate();
  Deadline command_deadline() const;
  [[noreturn]] void connect_failed(std::string stage, const SmtpReply* reply, std::string what);

  SmtpSettings settings_;
  std::shared_ptr<const TlsContext> tls_;
  LineSocket socket_;
  Capabilities caps_;
  std::string helo_name_;
  bool needs_reset_ = false;
  std::size_t messages_sent_ = 0;
};

// This machine's host name, for EHLO.
std::string local_host_name();

}  // namespace herald::mail

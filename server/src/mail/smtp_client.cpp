#include "mail/smtp_client.hpp"

#include <unistd.h>

#include <array>
#include <optional>

#include <fmt/format.h>

#include "core/strings.hpp"

namespace herald::mail {

namespace {

using Clock = std::chrono::steady_clock;

// A refusal from the server as a result: 4xx deferred, 5xx rejected; any
// other code where a refusal or 354 was due means the session is confused.
DeliveryResult refusal(const SmtpReply& reply, std::string stage) {
  DeliveryResult r;
  r.code = reply.code;
  r.reply = reply.to_string();
  r.stage = std::move(stage);
  if (reply.transient())
    r.status = DeliveryStatus::Deferred;
  else if (reply.code >= 500)
    r.status = DeliveryStatus::Rejected;
  else
    r.status = DeliveryStatus::Dropped;
  return r;
}

DeliveryResult local(DeliveryStatus status, std::string stage, std::string why, int code = 0) {
  DeliveryResult r;
  r.status = status;
  r.stage = std::move(stage);
  r.reply = std::move(why);
  r.code = code;
  return r;
}

}  // namespace

std::string local_host_name() {
  std::array<char, 256> buf{};
  if (::gethostname(buf.data(), buf.size() - 1) != 0 || buf[0] == '\0') return "localhost";
  std::string name(buf.data());
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'))
      return "localhost";
  return name;
}

SmtpClient::SmtpClient(const SmtpSettings& settings, std::shared_ptr<const TlsContext> tls)
    : settings_(settings), tls_(std::move(tls)) {
  helo_name_ = settings_.helo_name.empty() ? local_host_name() : settings_.helo_name;
}

SmtpClient::~SmtpClient() { socket_.close(); }

Deadline SmtpClient::command_deadline() const { return Clock::now() + settings_.command_timeout; }

void SmtpClient::connect_failed(std::string stage, const SmtpReply* reply, std::string what) {
  socket_.close();
  DeliveryResult r;
  r.status = DeliveryStatus::Deferred;
  r.stage = std::move(stage);
  if (reply) {
    r.code = reply->code;
    r.reply = reply->to_string() + " (" + what + ")";
  } else {
    r.reply = std::move(what);
  }
  throw SmtpConnectError(std::move(r));
}

SmtpReply SmtpClient::read_reply(Deadline deadline) {
  ReplyParser parser;
  while (true) {
    if (auto reply = parser.feed(socket_.read_line(deadline))) return std::move(*reply);
  }
}

SmtpReply SmtpClient::command(std::string_view line, Deadline deadline) {
  std::string out(line);
  out += "\r\n";
  socket_.write(out, deadline);
  return read_reply(deadline);
}

void SmtpClient::ehlo() {
  auto reply = command("EHLO " + helo_name_, command_deadline());
  if (reply.positive()) {
    caps_ = parse_ehlo(reply);
    return;
  }
  if (reply.code >= 500) {  // an old server: HELO, without extensions
    auto helo = command("HELO " + helo_name_, command_deadline());
    if (helo.positive()) {
      caps_ = Capabilities();
      return;
    }
    connect_failed("ehlo", &helo, "the server refused HELO");
  }
  connect_failed("ehlo", &reply, "the server refused EHLO");
}

void SmtpClient::starttls() {
  auto reply = command("STARTTLS", command_deadline());
  if (reply.code != 220) connect_failed("starttls", &reply, "the server refused STARTTLS");
  // Anything sent before the handshake could be injected by a third party.
  if (socket_.has_buffered()) connect_failed("starttls", nullptr, "the server sent data before the TLS handshake");
  socket_.start_tls(*tls_, settings_.host, Clock::now() + settings_.connect_timeout);
  ehlo();  // capabilities change under TLS
}

void SmtpClient::authenticate() {
  if (!socket_.tls())
    connect_failed("auth", nullptr,
                   "refusing to send the SMTP password without TLS (the server offers no STARTTLS; use "
                   "starttls=required or smtps://)");
  if (caps_.auth.contains("PLAIN")) {
    auto reply = command("AUTH PLAIN " + auth_plain(settings_.username, settings_.password), command_deadline());
    if (reply.code != 235) connect_failed("auth", &reply, "authentication failed");
    return;
  }
  if (caps_.auth.contains("LOGIN")) {
    auto reply = command("AUTH LOGIN", command_deadline());
    if (reply.code == 334) reply = command(base64_text(settings_.username), command_deadline());
    if (reply.code == 334) reply = command(base64_text(settings_.password), command_deadline());
    if (reply.code != 235) connect_failed("auth", &reply, "authentication failed");
    return;
  }
  connect_failed("auth", nullptr, "the server offers neither AUTH PLAIN nor AUTH LOGIN");
}

void SmtpClient::connect() {
  caps_ = Capabilities();
  needs_reset_ = false;
  messages_sent_ = 0;
  std::string stage = "connect";
  try {
    if (settings_.tls != TlsMode::Never && !tls_)
      tls_ = std::make_shared<TlsContext>(settings_.verify_certificate, settings_.ca_file);
    socket_.connect(settings_.host, settings_.port, Clock::now() + settings_.connect_timeout);
    if (settings_.tls == TlsMode::Implicit) {
      stage = "tls";
      socket_.start_tls(*tls_, settings_.host, Clock::now() + settings_.connect_timeout);
    }
    stage = "greeting";
    auto greeting = read_reply(command_deadline());
    if (greeting.code != 220) connect_failed("greeting", &greeting, "the server refused the session");
    stage = "ehlo";
    ehlo();
    if (!socket_.tls() && settings_.tls == TlsMode::Required && !caps_.starttls)
      connect_failed("starttls", nullptr, "the server does not offer STARTTLS (starttls=required)");
    if (!socket_.tls() &&
        (settings_.tls == TlsMode::Required || (settings_.tls == TlsMode::Opportunistic && caps_.starttls))) {
      stage = "starttls";
      starttls();
    }
    if (!settings_.username.empty()) {
      stage = "auth";
      authenticate();
    }
  } catch (const SmtpIoError& e) {
    connect_failed(stage, nullptr, e.what());
  } catch (const SmtpProtocolError& e) {
    connect_failed(stage, nullptr, e.what());
  }
}

DeliveryResult SmtpClient::send(std::string_view mail_from, std::string_view rcpt_to, std::string_view message) {
  if (!connected()) return local(DeliveryStatus::Dropped, "connect", "not connected");
  if (auto p = envelope_address_problem(mail_from, true); !p.empty())
    return local(DeliveryStatus::Rejected, "envelope", "sender: " + p);
  if (auto p = envelope_address_problem(rcpt_to, false); !p.empty())
    return local(DeliveryStatus::Rejected, "envelope", "recipient: " + p);
  if (caps_.size > 0 && message.size() > caps_.size)
    return local(
        DeliveryStatus::Rejected, "size",
        fmt::format("the message ({} bytes) is larger than the server accepts ({} bytes)", message.size(), caps_.size),
        552);

  std::string mail = fmt::format("MAIL FROM:<{}>", mail_from);
  if (caps_.size > 0) mail += fmt::format(" SIZE={}", message.size());
  std::string rcpt = fmt::format("RCPT TO:<{}>", rcpt_to);
  std::string stage = "mail";
  bool dot_sent = false;
  std::optional<DeliveryResult> failure;
  auto finish_refused = [&](DeliveryResult r, int code) {
    needs_reset_ = true;
    if (code == 421 || r.status == DeliveryStatus::Dropped) socket_.close();
    return r;
  };
  try {
    auto deadline = command_deadline();
    if (caps_.pipelining) {
      std::string batch = needs_reset_ ? "RSET\r\n" : "";
      batch += mail + "\r\n" + rcpt + "\r\nDATA\r\n";
      socket_.write(batch, deadline);
      if (needs_reset_) {
        stage = "rset";
        if (!read_reply(deadline).positive()) {
          socket_.close();
          return local(DeliveryStatus::Dropped, "rset", "the server refused RSET");
        }
        needs_reset_ = false;
      }
      stage = "mail";
      auto mail_reply = read_reply(deadline);
      if (!mail_reply.positive()) failure = refusal(mail_reply, "mail");
      stage = "rcpt";
      auto rcpt_reply = read_reply(deadline);
      if (!failure && !rcpt_reply.positive()) failure = refusal(rcpt_reply, "rcpt");
      stage = "data";
      auto data_reply = read_reply(deadline);
      if (failure) {
        // Never end a DATA the transaction did not deserve: hang up instead.
        if (data_reply.code == 354) socket_.close();
        int code = failure->code;
        return finish_refused(std::move(*failure), code);
      }
      if (data_reply.code != 354) return finish_refused(refusal(data_reply, "data"), data_reply.code);
    } else {
      if (needs_reset_) {
        stage = "rset";
        if (!command("RSET", deadline).positive()) {
          socket_.close();
          return local(DeliveryStatus::Dropped, "rset", "the server refused RSET");
        }
        needs_reset_ = false;
      }
      stage = "mail";
      auto mail_reply = command(mail, deadline);
      if (!mail_reply.positive()) return finish_refused(refusal(mail_reply, "mail"), mail_reply.code);
      stage = "rcpt";
      auto rcpt_reply = command(rcpt, deadline);
      if (!rcpt_reply.positive()) return finish_refused(refusal(rcpt_reply, "rcpt"), rcpt_reply.code);
      stage = "data";
      auto data_reply = command("DATA", deadline);
      if (data_reply.code != 354) return finish_refused(refusal(data_reply, "data"), data_reply.code);
    }
    stage = "message";
    auto data_deadline = Clock::now() + settings_.data_timeout;
    socket_.write(dot_stuff(message), data_deadline);
    dot_sent = true;
    auto final_reply = read_reply(data_deadline);
    if (final_reply.positive()) {
      ++messages_sent_;
      DeliveryResult ok;
      ok.status = DeliveryStatus::Accepted;
      ok.code = final_reply.code;
      ok.reply = final_reply.to_string();
      ok.stage = "message";
      return ok;
    }
    auto r = refusal(final_reply, "message");
    if (final_reply.code == 421 || r.status == DeliveryStatus::Dropped) socket_.close();
    return r;  // the transaction is over either way: no RSET needed
  } catch (const SmtpIoError& e) {
    socket_.close();
    if (failure) return std::move(*failure);  // refused, then hung up
    auto r = local(DeliveryStatus::Dropped, stage, e.what());
    r.ambiguous = dot_sent;
    return r;
  } catch (const SmtpProtocolError& e) {
    socket_.close();
    if (failure) return std::move(*failure);
    auto r = local(DeliveryStatus::Dropped, stage, e.what());
    r.ambiguous = dot_sent;
    return r;
  }
}

bool SmtpClient::noop() {
  if (!connected()) return false;
  try {
    if (command("NOOP", command_deadline()).positive()) return true;
  } catch (const SmtpIoError&) {
  } catch (const SmtpProtocolError&) {
  }
  socket_.close();
  return false;
}

void SmtpClient::quit() noexcept {
  if (!connected()) return;
  try {
    auto deadline = Clock::now() + std::chrono::seconds(2);
    socket_.write("QUIT\r\n", deadline);
    read_reply(deadline);
  } catch (...) {  // NOLINT(bugprone-empty-catch): closing anyway
  }
  socket_.close();
}

}  // namespace herald::mail

#include "mail/transport.hpp"

#include <exception>

#include "core/errors.hpp"
#include "core/strings.hpp"

namespace herald::mail {

SmtpTransport::SmtpTransport(SmtpSettings settings, std::size_t pool_size) : pool_(std::move(settings), pool_size) {}

DeliveryResult SmtpTransport::send(const OutgoingMessage& message) {
  return pool_.send(message.mail_from, message.rcpt_to, message.data);
}

DeliveryResult SmtpTransport::send(const OutgoingMessage& message, const Settle& settle) {
  return pool_.send(message.mail_from, message.rcpt_to, message.data, settle);
}

OutboxTransport::OutboxTransport(std::shared_ptr<OutboxSink> sink) : sink_(std::move(sink)) {}

DeliveryResult OutboxTransport::send(const OutgoingMessage& message) {
  DeliveryResult r;
  r.stage = "outbox";
  try {
    sink_->store(message);
    r.status = DeliveryStatus::Accepted;
    r.code = 250;
    r.reply = "stored in the outbox";
  } catch (const std::exception& e) {
    r.status = DeliveryStatus::Deferred;
    r.reply = storable_text(std::string("the outbox could not store the message: ") + e.what());
  }
  return r;
}

std::unique_ptr<Transport> make_transport(const Config& config, std::shared_ptr<OutboxSink> outbox) {
  if (!config.smtp_url) return std::make_unique<OutboxTransport>(std::move(outbox));
  auto settings = parse_smtp_url(*config.smtp_url);
  try {
    return std::make_unique<SmtpTransport>(std::move(settings), static_cast<std::size_t>(config.smtp_pool));
  } catch (const SmtpIoError& e) {  // the trust store (ca_file) cannot be read
    throw ConfigError("HERALD_SMTP_URL", e.what());
  }
}

health::CheckResult SmtpCheck::check() {
  auto result = pool_.check();
  auto stats = pool_.stats();
  health::CheckResult out;
  out.status = result.accepted() ? "healthy" : "unhealthy";
  out.details = {{"server", pool_.settings().describe()},
                 {"connections", {{"size", stats.size}, {"open", stats.open}, {"busy", stats.busy}}}};
  if (!result.accepted()) out.details["error"] = result.to_string();
  return out;
}

}  // namespace herald::mail

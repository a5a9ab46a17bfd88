// Where finished messages go: an SMTP server through the pool, or the
// built-in outbox (the default without HERALD_SMTP_URL), which stores them so
// a user sees exactly what would have been sent. The outbox's storage
// belongs to the campaigns domain; it plugs in as an OutboxSink.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "core/config.hpp"
#include "health/service.hpp"
#include "mail/delivery.hpp"
#include "mail/smtp_pool.hpp"
#include "mail/smtp_settings.hpp"

namespace herald::mail {

struct OutgoingMessage {
  std::string mail_from;   // envelope sender (bounces go here)
  std::string rcpt_to;     // envelope recipient
  std::string data;        // the whole message, DKIM-Signature first when signed
  std::string message_id;  // as in the header, for the outbox's listing and logs
};

class Transport {
 public:
  virtual ~Transport() = default;
  virtual std::string name() const = 0;  // "smtp" or "outbox"
  // Thread-safe; never throws for a delivery problem (the result says).
  virtual DeliveryResult send(const OutgoingMessage& message) = 0;
  // The same, and `settle` runs with the result before the connection that
  // carried the message carries another one (SmtpPool::send): the place to
  // record the outcome. What `settle` throws propagates.
  using Settle = std::function<void(const DeliveryResult&)>;
  virtual DeliveryResult send(const OutgoingMessage& message, const Settle& settle) {
    auto r = send(message);
    if (settle) settle(r);
    return r;
  }
};

class SmtpTransport final : public Transport {
 public:
  SmtpTransport(SmtpSettings settings, std::size_t pool_size);
  std::string name() const override { return "smtp"; }
  DeliveryResult send(const OutgoingMessage& message) override;
  DeliveryResult send(const OutgoingMessage& message, const Settle& settle) override;
  SmtpPool& pool() noexcept { return pool_; }

 private:
  SmtpPool pool_;
};

// The outbox's storage, provided by the campaigns domain.
class OutboxSink {
 public:
  virtual ~OutboxSink() = default;
  // Stores the message; throws on failure (the message is then Deferred).
  virtual void store(const OutgoingMessage& message) = 0;
};

class OutboxTransport final : public Transport {
 public:
  explicit OutboxTransport(std::shared_ptr<OutboxSink> sink);
  std::string name() const override { return "outbox"; }
  using Transport::send;
  DeliveryResult send(const OutgoingMessage& message) override;

 private:
  std::shared_ptr<OutboxSink> sink_;
};

// SMTP when HERALD_SMTP_URL is set (a pool of HERALD_SMTP_POOL connections),
// otherwise the outbox. Throws ConfigError("HERALD_SMTP_URL", …) for a bad URL.
std::unique_ptr<Transport> make_transport(const Config& config, std::shared_ptr<OutboxSink> outbox);

// The "smtp" entry of the health report: can the pool reach its server?
// Not critical: the API works without it, mail waits.
class SmtpCheck final : public health::HealthCheck {
 public:
  explicit SmtpCheck(SmtpPool& pool) : pool_(pool) {}
  std::string name() const override { return "smtp"; }
  bool critical() const override { return false; }
  health::CheckResult check() override;

 private:
  SmtpPool& pool_;
};

}  // namespace herald::mail

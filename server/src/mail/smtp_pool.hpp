// The SMTP connections of one worker process (HERALD_SMTP_POOL of them),
// shared by its threads: send() borrows a connection (waiting while all are
// busy), opens it when needed, and replaces one that broke. A connection
// idle for a while is checked with NOOP before it carries a message; a
// message whose connection turns out to have died before any of it was
// committed (the server closed an idle connection) is sent again once on a
// fresh one, so stale connections cost no failures.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "mail/delivery.hpp"
#include "mail/smtp_client.hpp"
#include "mail/smtp_settings.hpp"

namespace herald::mail {

class SmtpPool {
 public:
  // Throws SmtpIoError when the TLS trust store cannot be loaded.
  SmtpPool(SmtpSettings settings, std::size_t size);
  ~SmtpPool();  // QUITs the idle connections
  SmtpPool(const SmtpPool&) = delete;
  SmtpPool& operator=(const SmtpPool&) = delete;

  // Thread-safe. Never throws for what the server or the network does.
  // `settle` (when given) runs with the result while the connection is
  // still held, before another message can use it: the caller records the
  // outcome there, so a connection never carries a second message while the
  // first one's outcome is unrecorded. What `settle` throws propagates (the
  // connection goes back to the pool).
  using Settle = std::function<void(const DeliveryResult&)>;
  DeliveryResult send(std::string_view mail_from, std::string_view rcpt_to, std::string_view message,
                      const Settle& settle = {});

  // For the health report: NOOP on an idle open connection, or a new
  // connection when none is open. Accepted when the server answers; when
  // every connection is busy the pool is evidently working and says so.
  DeliveryResult check();

  struct Stats {
    std::size_t size = 0;
    std::size_t open = 0;
    std::size_t busy = 0;
    std::uint64_t connections_opened = 0;  // including replacements
    std::uint64_t messages = 0;            // results returned, any status
  };
  Stats stats() const;
  const SmtpSettings& settings() const noexcept { return settings_; }

  // A connection idle longer than this is checked with NOOP before use.
  static constexpr std::chrono::seconds kIdleCheck{15};

 private:
  struct Slot {
    std::unique_ptr<SmtpClient> client;
    std::chrono::steady_clock::time_point last_used{};
  };
  std::size_t acquire();
  std::optional<std::size_t> try_acquire();
  void release(std::size_t index);
  // Opens the slot's connection; the Deferred result when that fails.
  std::optional<DeliveryResult> open(Slot& slot);

  SmtpSettings settings_;
  std::shared_ptr<const TlsContext> tls_;
  std::vector<Slot> slots_;
  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::size_t> free_;
  std::uint64_t opened_ = 0;
  std::uint64_t messages_ = 0;
};

}  // namespace herald::mail

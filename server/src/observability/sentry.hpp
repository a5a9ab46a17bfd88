// Error reporting to Sentry (or GlitchTip, or any server speaking Sentry's
// envelope protocol), never in the way of the caller.
//
// capture_* builds the event on the caller's thread (microseconds, no I/O)
// and puts it in a bounded queue; one sender thread POSTs envelopes with
// libcurl under short timeouts. A full queue drops the event and counts it,
// so a slow or dead Sentry costs a caller nothing but the enqueue. A 429 or
// an X-Sentry-Rate-Limits answer stops sending (and queueing) for as long as
// it says; those events are counted as rate-limited drops.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "core/config.hpp"
#include "observability/sentry_event.hpp"

namespace herald::observability {

struct SentrySettings {
  std::optional<SentryDsn> dsn;  // unset: reporting is off and capture_* return nullopt
  EventSource source;
  double sample_rate = 1.0;

  // From HERALD_SENTRY_*; the server name defaults to the host name.
  static SentrySettings from(const Config& config);
};

struct ReporterOptions {
  std::size_t queue_capacity = 100;
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds send_timeout{5000};  // a whole POST, answer included
  // How long the destructor lets the queue drain before cutting the transfer short.
  std::chrono::milliseconds shutdown_grace{2000};
  // Uniform draws in [0, 1) for sampling; a seeded generator when empty.
  std::function<double()> draw;
};

struct ReporterStats {
  bool enabled = false;
  std::size_t queued = 0;                  // waiting or being sent now
  std::uint64_t sent = 0;                  // accepted by the server (2xx)
  std::uint64_t dropped_queue_full = 0;    // the queue was full
  std::uint64_t dropped_rate_limited = 0;  // the server asked us to hold back
  std::uint64_t failed = 0;                // the POST failed or was refused
  std::uint64_t sampled_out = 0;           // not chosen under the sample rate

  // Events that never reached the server (sampling excluded).
  std::uint64_t dropped() const noexcept { return dropped_queue_full + dropped_rate_limited + failed; }
};

class Reporter {
 public:
  explicit Reporter(SentrySettings settings, ReporterOptions options = {});
  // Sends what is queued for up to shutdown_grace, then stops.
  ~Reporter();
  Reporter(const Reporter&) = delete;
  Reporter& operator=(const Reporter&) = delete;

  bool enabled() const noexcept { return settings_.dsn.has_value(); }

  // The event id when the event was queued; nullopt when reporting is off,
  // the event was sampled out or dropped. Never throws, never blocks on I/O.
  std::optional<std::string> capture_exception(const std::exception& e, const EventContext& context) noexcept;
  std::optional<std::string> capture_message(std::string_view message, EventLevel level,
                                             const EventContext& context) noexcept;

  ReporterStats stats() const;
  // Waits until every queued event was sent (or given up); false on timeout.
  bool flush(std::chrono::milliseconds timeout);

 private:
  struct Item {
    std::string event_id;
    std::string payload;  // the event JSON
  };
  struct Answer;

  std::optional<std::string> capture(Event event, const EventContext& context) noexcept;
  bool holding_back() const noexcept;
  void run();
  void send(const Item& item);

  SentrySettings settings_;
  ReporterOptions options_;
  std::string envelope_url_;
  std::string auth_;
  std::string public_dsn_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;     // the sender: work or stop
  std::condition_variable drained_;  // flush(): the queue emptied
  std::deque<Item> queue_;
  bool in_flight_ = false;
  bool stopping_ = false;
  std::atomic<bool> abort_{false};              // cuts a transfer short
  std::atomic<std::int64_t> hold_until_ns_{0};  // steady clock; no events before it

  std::atomic<std::uint64_t> sent_{0};
  std::atomic<std::uint64_t> dropped_full_{0};
  std::atomic<std::uint64_t> dropped_limited_{0};
  std::atomic<std::uint64_t> failed_{0};
  std::atomic<std::uint64_t> sampled_out_{0};

  std::thread sender_;
};

}  // namespace herald::observability

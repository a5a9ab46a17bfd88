// What recipients do with their mail, through the links in it (outside
// /api, rate class `public`, HMAC-signed tokens instead of a login):
//   GET  /t/o/{token}  open pixel: a 1×1 GIF, never cached
//   GET  /t/c/{token}  click: 302 to the link of that index in that message —
//                      never to a URL the request names (no open redirect)
//   GET  /u/{token}    unsubscribe: a confirmation page that changes nothing
//                      (mail scanners fetch links)
//   POST /u/{token}    RFC 8058 one-click, and the page's form: unsubscribes
// A forged or altered token is a 404. Each records an event (campaign, lead,
// type, time, user agent, IP, URL for clicks) in campaign_events; opens and
// clicks are buffered and written in batches by one thread (so the pixel
// and the redirect cost no database write each), unsubscribes at once.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "campaigns/recipient_store.hpp"
#include "core/clock.hpp"
#include "leads/interface.hpp"
#include "mail/tracking.hpp"
#include "storage/database.hpp"

namespace herald::campaigns {

// A recipient's first open and first click in a batch, one entry per
// (campaign, lead) in key order: the first open is the first open or click
// (a click is an open too). Pure.
std::vector<Engaged> engaged(const std::vector<Event>& batch);

// Buffers open and click events and writes them in batches: each batch (up
// to kWriteBatch events) costs one transaction of two statements, whatever
// its size. record() never blocks the caller (the I/O thread) on the
// database: with kMaxBuffered events waiting, a new one is dropped, counted
// (dropped(), the metric herald_tracking_events_dropped_total) and logged
// (a warning at most every kDropLogEvery).
class EventWriter {
 public:
  // max_buffered: events waiting beyond which new ones are dropped (tests lower it).
  EventWriter(storage::Database& db, std::chrono::milliseconds interval = std::chrono::milliseconds(200),
              std::size_t max_buffered = kMaxBuffered);
  ~EventWriter();  // writes what is buffered
  EventWriter(const EventWriter&) = delete;
  EventWriter& operator=(const EventWriter&) = delete;

  void record(Event e);
  // Writes everything buffered now (tests, shutdown).
  void flush();
  // Events lost: dropped with the buffer full, or refused by the database three times.
  std::uint64_t dropped() const noexcept { return dropped_.load(); }

  static constexpr std::size_t kWriteBatch = 2000;
  static constexpr std::size_t kMaxBuffered = 200000;
  static constexpr std::chrono::seconds kDropLogEvery{10};

 private:
  void loop();
  void write(std::vector<Event>& batch);
  void report_drops();

  storage::Database& db_;
  RecipientStore store_;
  std::chrono::milliseconds interval_;
  std::size_t max_buffered_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable flushed_;
  std::vector<Event> buffer_;
  std::uint64_t enqueued_ = 0, written_ = 0;
  bool stopping_ = false;
  bool flush_requested_ = false;
  std::atomic<std::uint64_t> dropped_{0};
  std::atomic<std::int64_t> last_drop_log_{0};  // steady clock ticks of the last warning
  std::thread thread_;
};

// Who followed a link: views into the request, which outlives the call (the
// event copies what it keeps, once).
struct Visitor {
  std::string_view user_agent, ip, request_id;
};

class Tracking {
 public:
  Tracking(storage::Database& db, const Clock& clock, const mail::TokenSigner& signer, leads::Leads& leads,
           EventWriter& events);

  // nullopt: not a token of ours (404).
  bool open(std::string_view token, const Visitor& v);
  std::optional<std::string> click(std::string_view token, const Visitor& v);
  // The confirmation page's facts; nullopt for a bad token.
  std::optional<mail::TrackingToken> check_unsubscribe(std::string_view token) const;
  // Unsubscribes the lead (status, suppression list, audit entry through
  // leads' interface) and records the event. False for a bad token.
  bool unsubscribe(std::string_view token, const Visitor& v);

 private:
  // A campaign's links, shared by every click on it (never copied per
  // click): its URLs by link index, written with its first message and never
  // changed after, and whether some recipients got links of their own.
  struct Links {
    std::vector<std::string> urls;
    bool personal = false;
    std::chrono::steady_clock::time_point checked;  // when `personal` was last read
  };
  std::shared_ptr<const Links> links_of(std::int64_t campaign);
  std::optional<std::string> link(std::int64_t campaign, std::int64_t lead, std::uint32_t index);
  std::int64_t now_ms() const;

  storage::Database& db_;
  const Clock& clock_;
  const mail::TokenSigner& signer_;
  leads::Leads& leads_;
  EventWriter& events_;
  RecipientStore store_;
  std::mutex links_mutex_;
  std::unordered_map<std::int64_t, std::shared_ptr<const Links>> links_;
};

// The 1×1 transparent GIF.
const std::string& pixel_gif();
// The pages (self-contained HTML, no script, styles inline in a <style> the page CSP allows).
std::string unsubscribe_page(std::string_view action_path);
std::string unsubscribed_page();

}  // namespace herald::campaigns

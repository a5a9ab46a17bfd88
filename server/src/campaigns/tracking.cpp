#include "campaigns/tracking.hpp"

#include <algorithm>
#include <tuple>

#include "core/errors.hpp"
#include "core/log.hpp"

namespace herald::campaigns {
namespace {

// Links of a campaign are read again after this long (a new personalised link).
constexpr auto kLinksTtl = std::chrono::seconds(10);
constexpr std::size_t kMaxCachedCampaigns = 1024;
constexpr std::size_t kMaxUserAgent = 512;

std::string clip(std::string_view s, std::size_t max) { return std::string(s.substr(0, max)); }

const char* kPageStyle =
    "<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#111}"
    "button{font:inherit;padding:.5rem 1rem;border-radius:.375rem;border:1px solid #444;background:#111;color:#fff;"
    "cursor:pointer}button:focus-visible{outline:3px solid #2563eb;outline-offset:2px}</style>";

std::string page(std::string_view title, std::string_view body) {
  std::string out =
      "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><meta name=\"robots\" "
      "content=\"noindex\">"
      "<title>";
  out += title;
  out += "</title>";
  out += kPageStyle;
  out += "</head><body><main>";
  out += body;
  out += "</main></body></html>";
  return out;
}

}  // namespace

// ---- EventWriter ------------------------------------------------------------

EventWriter::EventWriter(storage::Database& db, std::chrono::milliseconds interval, std::size_t max_buffered)
    : db_(db), interval_(interval), max_buffered_(max_buffered) {
  buffer_.reserve(kWriteBatch);
  thread_ = std::thread([this] { loop(); });
}

EventWriter::~EventWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void EventWriter::record(Event e) {
  bool full_batch = false, dropped = false;
  {
    std::lock_guard lock(mutex_);
    if (buffer_.size() < max_buffered_) {
      buffer_.push_back(std::move(e));
      ++enqueued_;
      full_batch = buffer_.size() >= kWriteBatch;
    } else {
      dropped_.fetch_add(1);
      dropped = true;
    }
  }
  if (full_batch) wake_.notify_one();
  if (dropped) report_drops();
}

void EventWriter::report_drops() {
  // The buffer was full: at most one warning per kDropLogEvery, with the total.
  const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
  auto last = last_drop_log_.load();
  const auto every = std::chrono::duration_cast<std::chrono::steady_clock::duration>(kDropLogEvery).count();
  if (last != 0 && now - last < every) return;
  if (!last_drop_log_.compare_exchange_strong(last, now)) return;
  log::warn("tracking events dropped: the write buffer is full (the database is not keeping up)",
            {{"dropped_total", static_cast<std::int64_t>(dropped_.load())},
             {"buffer_limit", static_cast<std::int64_t>(max_buffered_)}});
}

void EventWriter::flush() {
  std::unique_lock lock(mutex_);
  const auto target = enqueued_;
  flush_requested_ = true;  // the writer does not wait out its interval
  wake_.notify_one();
  flushed_.wait_for(lock, std::chrono::seconds(10), [&] { return written_ >= target || stopping_; });
}

void EventWriter::loop() {
  // Two vectors of kWriteBatch events take turns: the one being written and
  // the one record() fills, so a hit never grows (reallocates and moves) the
  // buffer under the lock, and no batch allocates a new array.
  std::vector<Event> batch;
  batch.reserve(kWriteBatch);
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait_for(lock, interval_, [this] { return stopping_ || flush_requested_ || buffer_.size() >= kWriteBatch; });
    flush_requested_ = false;
    while (!buffer_.empty()) {
      if (buffer_.size() <= kWriteBatch) {
        batch.swap(buffer_);  // buffer_ gets the empty array back, its capacity kept
      } else {
        batch.assign(std::make_move_iterator(buffer_.begin()),
                     std::make_move_iterator(buffer_.begin() + static_cast<std::ptrdiff_t>(kWriteBatch)));
        buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(kWriteBatch));
      }
      const auto n = batch.size();
      lock.unlock();
      write(batch);
      batch.clear();  // the events' strings are freed here, outside the lock
      if (batch.capacity() < kWriteBatch) batch.reserve(kWriteBatch);
      lock.lock();
      written_ += n;
    }
    flushed_.notify_all();
    if (stopping_) return;
  }
}

std::vector<Engaged> engaged(const std::vector<Event>& batch) {
  std::vector<Engaged> out;
  std::map<std::pair<std::int64_t, std::int64_t>, std::size_t> at;
  for (const auto& e : batch) {
    const bool click = e.type == "click";
    if (!click && e.type != "open") continue;
    auto [it, added] = at.try_emplace({e.campaign_id, e.lead_id}, out.size());
    if (added) out.push_back({e.campaign_id, e.lead_id, e.occurred_at, std::nullopt});
    auto& row = out[it->second];
    if (click && !row.first_click) row.first_click = e.occurred_at;
  }
  // In key order: two processes' batches lock shared rows in the same order.
  std::sort(out.begin(), out.end(), [](const Engaged& a, const Engaged& b) {
    return std::tie(a.campaign_id, a.lead_id) < std::tie(b.campaign_id, b.lead_id);
  });
  return out;
}

void EventWriter::write(std::vector<Event>& batch) {
  // Two statements whatever the batch's size: the events (one multi-row
  // INSERT), then each recipient's first open and click (one UPDATE).
  const auto stamps = engaged(batch);
  for (int attempt = 1;; ++attempt) {
    try {
      auto conn = db_.acquire();
      storage::Transaction tx(*conn, storage::TxMode::Write);
      store_.insert_events(*conn, batch);
      store_.mark_engaged(*conn, stamps);
      tx.commit();
      return;
    } catch (const std::exception& ex) {
      if (attempt >= 3) {
        log::error("tracking events lost: the database refused them",
                   {{"events", static_cast<std::int64_t>(batch.size())}, {"error", ex.what()}});
        dropped_.fetch_add(batch.size());
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200 * attempt));
    }
  }
}

// ---- Tracking ---------------------------------------------------------------

Tracking::Tracking(storage::Database& db, const Clock& clock, const mail::TokenSigner& signer, leads::Leads& leads,
                   EventWriter& events)
    : db_(db), clock_(clock), signer_(signer), leads_(leads), events_(events) {}

std::int64_t Tracking::now_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.wall().time_since_epoch()).count();
}

bool Tracking::open(std::string_view token, const Visitor& v) {
  auto t = signer_.verify(token, mail::TokenKind::Open);
  if (!t) return false;
  events_.record({t->campaign_id, t->lead_id, "open", now_ms(), clip(v.user_agent, kMaxUserAgent), std::string(v.ip),
                  std::nullopt});
  return true;
}

std::shared_ptr<const Tracking::Links> Tracking::links_of(std::int64_t campaign) {
  // A campaign's URLs are written once, with its first message, and never
  // change (links.insert: ON CONFLICT DO NOTHING), so once read they are kept
  // for good: every process reads the same rows, nothing to invalidate. Only
  // "some recipients have links of their own" can still turn true while the
  // campaign sends; it is read again after kLinksTtl until it does (then it
  // stays true). Bounded: past kMaxCachedCampaigns the cache starts over.
  const auto now = std::chrono::steady_clock::now();
  std::shared_ptr<const Links> cached;
  {
    std::lock_guard lock(links_mutex_);
    if (auto it = links_.find(campaign); it != links_.end()) cached = it->second;
  }
  if (cached && (cached->personal || now - cached->checked < kLinksTtl)) return cached;
  auto fresh = std::make_shared<Links>();
  {
    auto conn = db_.acquire();
    if (cached && !cached->urls.empty())
      fresh->urls = cached->urls;
    else
      fresh->urls = store_.campaign_links(*conn, campaign);
    fresh->personal = store_.has_personal_links(*conn, campaign);
  }
  fresh->checked = now;
  std::shared_ptr<const Links> out = std::move(fresh);
  std::lock_guard lock(links_mutex_);
  if (links_.size() >= kMaxCachedCampaigns && !links_.contains(campaign)) links_.clear();
  links_[campaign] = out;
  return out;
}

std::optional<std::string> Tracking::link(std::int64_t campaign, std::int64_t lead, std::uint32_t index) {
  const auto links = links_of(campaign);
  if (links->personal) {
    auto conn = db_.acquire();
    if (auto url = store_.recipient_link(*conn, campaign, lead, index)) return url;
  }
  if (index < links->urls.size()) return links->urls[index];
  return std::nullopt;
}

std::optional<std::string> Tracking::click(std::string_view token, const Visitor& v) {
  auto t = signer_.verify(token, mail::TokenKind::Click);
  if (!t) return std::nullopt;
  auto url = link(t->campaign_id, t->lead_id, t->link);
  if (!url) return std::nullopt;
  events_.record(
      {t->campaign_id, t->lead_id, "click", now_ms(), clip(v.user_agent, kMaxUserAgent), std::string(v.ip), *url});
  return url;
}

std::optional<mail::TrackingToken> Tracking::check_unsubscribe(std::string_view token) const {
  return signer_.verify(token, mail::TokenKind::Unsubscribe);
}

bool Tracking::unsubscribe(std::string_view token, const Visitor& v) {
  auto t = signer_.verify(token, mail::TokenKind::Unsubscribe);
  if (!t) return false;
  leads::StatusChange change;
  change.lead_id = t->lead_id;
  change.event = leads::LeadEvent::Unsubscribed;
  change.source = "campaign/" + std::to_string(t->campaign_id);
  change.ip = std::string(v.ip);
  change.request_id = std::string(v.request_id);
  try {
    leads_.change_status(change);
  } catch (const NotFound&) {
    // The lead was deleted (or erased) meanwhile: nothing left to mail.
  }
  auto conn = db_.acquire();
  storage::Transaction tx(*conn, storage::TxMode::Write);
  const auto now = now_ms();
  store_.mark_unsubscribed(*conn, t->campaign_id, t->lead_id, now);
  store_.insert_event(*conn, {t->campaign_id, t->lead_id, "unsubscribe", now, clip(v.user_agent, kMaxUserAgent),
                              std::string(v.ip), std::nullopt});
  tx.commit();
  return true;
}

// ---- pages ------------------------------------------------------------------

const std::string& pixel_gif() {
  static const std::string gif = [] {
    const unsigned char bytes[] = {0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80,
                                   0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0x21, 0xf9, 0x04,
                                   0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00, 0x01,
                                   0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b};
    return std::string(reinterpret_cast<const char*>(bytes), sizeof bytes);
  }();
  return gif;
}

std::string unsubscribe_page(std::string_view action_path) {
  std::string body =
      "<h1>Unsubscribe</h1><p>Do you want to stop receiving these emails?</p>"
      "<form method=\"post\" action=\"";
  body += action_path;  // a path we built from a verified token: [A-Za-z0-9_-/] only
  body +=
      "\"><input type=\"hidden\" name=\"confirm\" value=\"1\">"
      "<button type=\"submit\">Unsubscribe</button></form>";
  return page("Unsubscribe", body);
}

std::string unsubscribed_page() {
  return page("Unsubscribed", "<h1>You are unsubscribed</h1><p>You will not receive these emails any more.</p>");
}

}  // namespace herald::campaigns

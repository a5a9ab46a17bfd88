// The sending half of the pipeline: one `campaigns.emails` job's work. It
// claims the due recipients of its id range a few at a time (queued or
// deferred → sending, with a lease), re-reads their leads through leads'
// interface (a lead unsubscribed, bounced, suppressed or deleted since the
// expansion is skipped), takes a token from every send limit, composes the
// message (mail::Composer: template version pinned at start, tracking, DKIM)
// and hands it to the transport — then writes the outcome before the next
// message on that connection: sent, deferred with back-off (4xx, dropped
// connection), failed with the reply (5xx, or the last attempt).
//
// Exactly once: only the lease's holder may write a recipient's outcome,
// and a sent recipient is never claimed again, whatever happens to the job.
// The one window: a worker killed between the server's 250 and the
// recipient's `sent` — at most one message per open connection.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "campaigns/limits.hpp"
#include "campaigns/options.hpp"
#include "campaigns/outcome_writer.hpp"
#include "campaigns/recipient_store.hpp"
#include "campaigns/store.hpp"
#include "core/clock.hpp"
#include "leads/interface.hpp"
#include "mail/composer.hpp"
#include "mail/send_observer.hpp"
#include "mail/template.hpp"
#include "mail/tracking.hpp"
#include "mail/transport.hpp"
#include "settings/interface.hpp"
#include "storage/database.hpp"
#include "templates/interface.hpp"

namespace herald::campaigns {

// Compiled template versions, shared by every job of the process.
class TemplateCache {
 public:
  explicit TemplateCache(templates::Catalog& catalog) : catalog_(catalog) {}
  // Throws std::runtime_error when the version is gone or does not compile.
  std::shared_ptr<const mail::CompiledTemplate> get(std::int64_t template_id, std::int64_t version);

 private:
  templates::Catalog& catalog_;
  std::mutex mutex_;
  std::map<std::pair<std::int64_t, std::int64_t>, std::shared_ptr<const mail::CompiledTemplate>> cache_;
};

// What a job needs to compose a campaign's messages.
struct Prepared {
  Campaign campaign;
  std::shared_ptr<const mail::CompiledTemplate> content;
  std::shared_ptr<const mail::DkimSigner> signer;
  mail::CampaignMail mail;
  std::unique_ptr<mail::Composer> composer;
};

struct SendRange {
  std::int64_t campaign_id = 0;
  std::int64_t first = 0, last = 0;
};

struct SendReport {
  std::int64_t sent = 0, deferred = 0, failed = 0, skipped = 0, released = 0;
  std::optional<std::int64_t> next_due;  // when something in the range can next go
  bool stopped = false;                  // the campaign was paused or cancelled, or the worker stops
};

struct SenderDeps {
  storage::Database& db;
  const Clock& clock;
  leads::Leads& leads;
  settings::Settings& settings;
  mail::Transport& transport;
  SendLimiter& limiter;
  const mail::Tracker& tracker;
  TemplateCache& templates;
  double global_rate = 0;  // HERALD_SEND_RATE, per second
  PipelineOptions options;
  // Told each message's outcome once it is recorded (may be null).
  const std::vector<mail::SendObserver*>* observers = nullptr;
};

class Sender {
 public:
  explicit Sender(const SenderDeps& deps);

  // Builds what composing needs with template version `version`; throws
  // std::runtime_error saying why the campaign cannot be sent (the template
  // version is gone or does not compile, no sender address).
  Prepared prepare(const Campaign& c, std::int64_t version) const;

  // Sends what is due in the range. `stopping` asks it to hand back what it
  // holds and return. Exceptions (database or queue down) leave claimed
  // recipients to the lease.
  SendReport run(const SendRange& range, const std::function<bool()>& stopping);

  // A test message to an address that is no lead (POST …/test), with the
  // template's `version`: no tracking, nothing recorded.
  mail::DeliveryResult send_test(const Campaign& c, std::int64_t version, const std::string& email);

  // Back-off before attempt `attempt + 1` (attempt ≥ 1).
  std::chrono::milliseconds backoff(std::int64_t attempt) const;
  std::chrono::milliseconds lease() const noexcept { return deps_.options.lease; }

 private:
  std::int64_t now_ms() const;
  void report(mail::SendOutcome outcome) const noexcept;
  // Whether this process should mark the campaign's progress now: at most
  // once a second per campaign, whatever the number of sending threads.
  bool touch_due(std::int64_t campaign_id);

  SenderDeps deps_;
  CampaignStore campaigns_;
  RecipientStore recipients_;
  OutcomeWriter outcomes_;  // every sending thread's outcomes, group-committed
  std::mutex touch_mutex_;
  std::map<std::int64_t, std::chrono::steady_clock::time_point> touched_;  // by campaign
};

}  // namespace herald::campaigns

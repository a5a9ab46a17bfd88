#include "campaigns/sender.hpp"

#include <algorithm>
#include <random>
#include <thread>

#include "core/crypto.hpp"
#include "core/log.hpp"
#include "core/time.hpp"
#include "mail/mime.hpp"

namespace herald::campaigns {
namespace {

constexpr std::string_view kNotMailable =
    "not mailable any more: unsubscribed, bounced, suppressed or deleted since the campaign started";
// Cached compiled versions; a campaign uses one, so a few suffice.
constexpr std::size_t kMaxCachedTemplates = 64;

std::int64_t ms_of(std::chrono::milliseconds d) { return d.count(); }

Outcome outcome_of(const mail::DeliveryResult& r, const std::string& message_id) {
  Outcome o;
  if (r.code > 0) o.code = r.code;
  o.reply = r.reply.empty() ? r.to_string() : r.reply;
  if (o.reply.size() > 1000) o.reply.resize(1000);
  o.message_id = message_id;
  return o;
}

// A 5xx to RCPT TO: the mailbox does not exist or refuses mail for good.
bool is_bounce(const mail::DeliveryResult& r) { return r.stage == "rcpt" && r.code >= 500 && r.code < 600; }

}  // namespace

std::shared_ptr<const mail::CompiledTemplate> TemplateCache::get(std::int64_t template_id, std::int64_t version) {
  const auto key = std::make_pair(template_id, version);
  {
    std::lock_guard lock(mutex_);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
  }
  auto v = catalog_.version(template_id, version);
  if (!v)
    throw std::runtime_error("template " + std::to_string(template_id) + " version " + std::to_string(version) +
                             " no longer exists");
  std::shared_ptr<const mail::CompiledTemplate> compiled;
  try {
    compiled =
        std::make_shared<const mail::CompiledTemplate>(mail::CompiledTemplate::compile({v->subject, v->html, v->text}));
  } catch (const mail::TemplateError& e) {
    throw std::runtime_error(std::string("the template does not compile: ") + e.what());
  }
  std::lock_guard lock(mutex_);
  if (cache_.size() >= kMaxCachedTemplates) cache_.clear();
  cache_.emplace(key, compiled);
  return compiled;
}

Sender::Sender(const SenderDeps& deps) : deps_(deps), outcomes_(deps_.db) {}

std::int64_t Sender::now_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(deps_.clock.wall().time_since_epoch()).count();
}

bool Sender::touch_due(std::int64_t campaign_id) {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(touch_mutex_);
  if (touched_.size() > 1000) touched_.clear();  // finished campaigns
  auto [it, fresh] = touched_.try_emplace(campaign_id, now);
  if (fresh) return true;
  if (now - it->second < std::chrono::seconds(1)) return false;
  it->second = now;
  return true;
}

void Sender::report(mail::SendOutcome outcome) const noexcept {
  if (deps_.observers)
    for (auto* o : *deps_.observers) o->message_sent(outcome);
}

std::chrono::milliseconds Sender::backoff(std::int64_t attempt) const {
  const auto& o = deps_.options;
  double ms = static_cast<double>(o.backoff_base.count());
  for (std::int64_t i = 1; i < attempt && ms < static_cast<double>(o.backoff_max.count()); ++i) ms *= 2;
  ms = std::min(ms, static_cast<double>(o.backoff_max.count()));
  thread_local std::mt19937 rng{std::random_device{}()};
  std::uniform_real_distribution<double> jitter(0.8, 1.2);
  return std::chrono::milliseconds(static_cast<std::int64_t>(ms * jitter(rng)));
}

Prepared Sender::prepare(const Campaign& c, std::int64_t version) const {
  Prepared p;
  p.campaign = c;
  p.content = deps_.templates.get(c.template_id, version);
  const auto defaults = deps_.settings.default_sender();
  std::string from_email = c.from_email.empty() ? defaults.from_email : c.from_email;
  std::string from_name = c.from_name.empty() ? defaults.from_name : c.from_name;
  std::string reply_to = c.reply_to.empty() ? defaults.reply_to : c.reply_to;
  if (from_email.empty())
    throw std::runtime_error("no sender address: set from_email on the campaign or in the settings");
  p.signer = deps_.settings.signer_for(mail::domain_of(from_email));
  p.mail.campaign_id = c.id;
  p.mail.campaign_name = c.name;
  p.mail.content = p.content.get();
  p.mail.from = {from_name, from_email};
  if (!reply_to.empty()) p.mail.reply_to = mail::Address{"", reply_to};
  // Mail to this address asks a person to take the recipient off the list.
  p.mail.unsubscribe_mailto = "mailto:" + (reply_to.empty() ? from_email : reply_to) + "?subject=unsubscribe";
  p.mail.track_opens = c.track_opens;
  p.mail.track_clicks = c.track_clicks;
  p.composer = std::make_unique<mail::Composer>(deps_.tracker, p.signer.get(), deps_.clock);
  return p;
}

mail::DeliveryResult Sender::send_test(const Campaign& c, std::int64_t version, const std::string& email) {
  Campaign copy = c;
  copy.track_opens = false;
  copy.track_clicks = false;
  auto p = prepare(copy, version);
  nlohmann::json lead = {{"id", 0}, {"email", email}, {"first_name", ""}, {"last_name", ""}, {"company", ""}};
  auto composed = p.composer->compose(p.mail, lead);
  composed.message.message_id = mail::random_message_id(mail::domain_of(p.mail.from.email));
  return deps_.transport.send(composed.message);
}

SendReport Sender::run(const SendRange& range, const std::function<bool()>& stopping) {
  SendReport rep;
  const auto& opt = deps_.options;
  std::optional<Campaign> campaign;
  {
    auto conn = deps_.db.acquire();
    campaign = campaigns_.get(*conn, range.campaign_id);
  }
  if (!campaign || campaign->status != Status::Sending || !campaign->template_version) {
    rep.stopped = true;
    return rep;
  }
  std::optional<Prepared> prepared;
  try {
    prepared.emplace(prepare(*campaign, *campaign->template_version));
  } catch (const std::runtime_error& e) {
    log::warn("campaign cannot be sent", {{"campaign_id", campaign->id}, {"error", e.what()}});
    auto conn = deps_.db.acquire();
    campaigns_.fail(*conn, campaign->id, e.what(), rfc3339(deps_.clock.wall()));
    rep.stopped = true;
    return rep;
  }
  Prepared& p = *prepared;

  const std::string owner = crypto::random_token(12);
  const std::int64_t lease_ms = ms_of(opt.lease);
  std::map<std::string, double, std::less<>> domain_rates;
  for (const auto& d : deps_.settings.domain_limits())
    if (d.per_minute > 0) domain_rates[d.domain] = d.per_minute / 60.0;
  const std::string campaign_key = "campaign:" + std::to_string(campaign->id);
  const double campaign_rate = static_cast<double>(campaign->throttle_per_minute) / 60.0;
  const bool any_limit = deps_.global_rate > 0 || campaign_rate > 0 || !domain_rates.empty();

  std::vector<std::string> known_links;
  {
    auto conn = deps_.db.acquire();
    known_links = recipients_.campaign_links(*conn, campaign->id);
  }
  auto last_check = std::chrono::steady_clock::now();
  Status status = Status::Sending;

  for (;;) {
    if (stopping()) {
      rep.stopped = true;
      break;
    }
    std::vector<Claimed> claimed;
    std::int64_t lease_until = 0;
    {
      auto conn = deps_.db.acquire();
      const auto now = now_ms();
      lease_until = now + lease_ms;
      claimed = recipients_.claim(*conn, range.campaign_id, range.first, range.last, now, lease_until, owner,
                                  opt.claim_chunk);
    }
    if (claimed.empty()) break;

    leads::Audience audience;
    for (const auto& r : claimed) audience.lead_ids.push_back(r.lead_id);
    std::map<std::int64_t, leads::Lead> mailable;
    std::vector<bool> lost(claimed.size(), false);  // claimed here, then taken by another sender
    std::size_t next = 0;     // the first claimed recipient not yet dealt with
    bool unrecorded = false;  // claimed[next] was handed to the transport, its outcome not yet written
    try {
      auto batch = deps_.leads.recipients(audience, 0, claimed.size());
      for (auto& l : batch.leads) mailable.emplace(l.id, std::move(l));

      for (; next < claimed.size(); ++next) {
        const Claimed& r = claimed[next];
        // Pause and cancel take effect between two messages.
        if (std::chrono::steady_clock::now() - last_check >= opt.status_check) {
          auto conn = deps_.db.acquire();
          auto fresh = campaigns_.get(*conn, range.campaign_id);
          status = fresh ? fresh->status : Status::Cancelled;
          last_check = std::chrono::steady_clock::now();
        }
        if (status != Status::Sending || stopping()) break;
        if (now_ms() > lease_until - lease_ms / 2) {
          auto conn = deps_.db.acquire();
          lease_until = now_ms() + lease_ms;
          auto held = recipients_.extend_lease(*conn, range.campaign_id, range.first, range.last, owner, lease_until);
          // A lease that ran out (this thread stalled longer than half of it)
          // may have let another sender claim some of this chunk: those are
          // its to send now, not this thread's.
          std::sort(held.begin(), held.end());
          for (std::size_t i = next; i < claimed.size(); ++i)
            if (!std::binary_search(held.begin(), held.end(), claimed[i].id)) lost[i] = true;
        }
        if (lost[next]) {
          log::warn("a recipient's lease ran out before its message was sent; another sender has it",
                    {{"campaign_id", range.campaign_id}, {"recipient_id", r.id}});
          continue;
        }
        auto lead = mailable.find(r.lead_id);
        if (lead == mailable.end()) {
          auto conn = deps_.db.acquire();
          recipients_.mark_skipped(*conn, r.id, owner, now_ms(), kNotMailable);
          ++rep.skipped;
          continue;
        }
        if (any_limit) {
          const std::string domain = mail::domain_of(r.email);
          std::vector<Limit> limits;
          if (deps_.global_rate > 0) limits.push_back({"global", deps_.global_rate});
          if (campaign_rate > 0) limits.push_back({campaign_key, campaign_rate});
          if (auto it = domain_rates.find(domain); it != domain_rates.end())
            limits.push_back({"domain:" + domain, it->second});
          bool postponed = false;
          for (;;) {
            auto taken = deps_.limiter.acquire(limits);
            if (taken.allowed) break;
            if (taken.retry_ms <= opt.max_throttle_sleep.count()) {
              std::this_thread::sleep_for(std::chrono::milliseconds(taken.retry_ms));
              continue;
            }
            auto conn = deps_.db.acquire();
            recipients_.release(*conn, r.id, owner, now_ms(), now_ms() + taken.retry_ms);
            ++rep.released;
            postponed = true;
            break;
          }
          if (postponed) continue;
        }

        mail::ComposedMessage composed;
        try {
          composed = p.composer->compose(p.mail, leads::to_json(lead->second));
        } catch (const mail::MimeError& e) {
          auto conn = deps_.db.acquire();
          recipients_.mark_failed(*conn, r.id, owner, now_ms(),
                                  {std::nullopt, std::string("the message cannot be written: ") + e.what(), ""}, false);
          ++rep.failed;
          report(mail::SendOutcome::Invalid);
          continue;
        }
        if (!composed.links.empty() && composed.links != known_links) {
          auto conn = deps_.db.acquire();
          if (known_links.empty()) {
            // One transaction: a thread that reads the campaign's links
            // meanwhile sees none or all of them. Inserted one by one, a job
            // that read a partial set wrote per-recipient links for each of
            // its messages.
            storage::Transaction tx(*conn, storage::TxMode::Write);
            recipients_.insert_links(*conn, range.campaign_id, composed.links);
            tx.commit();
            known_links = recipients_.campaign_links(*conn, range.campaign_id);
          }
          if (composed.links != known_links)
            recipients_.insert_recipient_links(*conn, range.campaign_id, r.lead_id, composed.links);
        }

        // The outcome is written (group commit with the other sending
        // threads) while the connection is still held: it carries no other
        // message before this one is recorded.
        unrecorded = true;
        bool bounce = false;
        mail::SendOutcome outcome = mail::SendOutcome::Sent;
        auto settle = [&](const mail::DeliveryResult& result) {
          const auto o = outcome_of(result, composed.message.message_id);
          bounce = result.status == mail::DeliveryStatus::Rejected && is_bounce(result);
          const auto now = now_ms();
          bool recorded = true;
          std::int64_t* counter = nullptr;
          OutcomeWriter::Write write;
          switch (result.status) {
            case mail::DeliveryStatus::Accepted:
              counter = &rep.sent;
              // The state change and its event (analytics counts it) in one
              // transaction, in the group's statements (write_sent below).
              break;
            case mail::DeliveryStatus::Rejected:
              counter = &rep.failed;
              write = [&](storage::Connection& conn) {
                if (recipients_.mark_failed(conn, r.id, owner, now, o, bounce))
                  recipients_.insert_event(
                      conn, {range.campaign_id, r.lead_id, bounce ? "bounce" : "rejected", now, "", "", std::nullopt});
              };
              outcome = bounce ? mail::SendOutcome::Bounced : mail::SendOutcome::Rejected;
              break;
            case mail::DeliveryStatus::Deferred:
            case mail::DeliveryStatus::Dropped:
              if (r.attempts >= opt.max_attempts) {
                counter = &rep.failed;
                auto gave_up = o;
                gave_up.reply = "gave up after " + std::to_string(r.attempts) + " attempts: " + o.reply;
                write = [&, gave_up](storage::Connection& conn) {
                  recipients_.mark_failed(conn, r.id, owner, now, gave_up, false);
                };
                outcome = mail::SendOutcome::GaveUp;
              } else {
                counter = &rep.deferred;
                auto wait = backoff(r.attempts);
                if (result.status == mail::DeliveryStatus::Dropped)
                  wait = std::min(wait, std::chrono::milliseconds(std::chrono::seconds(10)));
                const auto due = now + wait.count();
                write = [&, due](storage::Connection& conn) {
                  recipients_.mark_deferred(conn, r.id, owner, now, due, o);
                };
                outcome = result.status == mail::DeliveryStatus::Dropped ? mail::SendOutcome::DeferredConnection
                                                                         : mail::SendOutcome::DeferredTemporary;
              }
              break;
          }
          if (write)
            outcomes_.write(write);
          else
            recorded = outcomes_.write_sent({r.id, owner, now, &o});
          unrecorded = false;
          ++*counter;
          report(outcome);
          if (!recorded)
            log::warn("a recipient's lease ran out while its message was sent",
                      {{"campaign_id", range.campaign_id}, {"recipient_id", r.id}});
        };
        deps_.transport.send(composed.message, settle);
        if (bounce) {
          // The mailbox refused for good: the lead is bounced and suppressed.
          leads::StatusChange change;
          change.lead_id = r.lead_id;
          change.event = leads::LeadEvent::Bounced;
          change.source = "campaign/" + std::to_string(range.campaign_id);
          try {
            deps_.leads.change_status(change);
          } catch (const std::exception& e) {
            log::warn("could not mark a bounced lead", {{"lead_id", r.lead_id}, {"error", e.what()}});
          }
        }
      }
    } catch (...) {
      // The database, the limiter or the leads service failed: what this job
      // still holds goes back at once rather than waiting for the lease —
      // but not a message the transport may have delivered: that one waits
      // for its lease (the window of ambiguity).
      try {
        auto conn = deps_.db.acquire();
        for (std::size_t i = next + (unrecorded ? 1 : 0); i < claimed.size(); ++i)
          recipients_.release(*conn, claimed[i].id, owner, now_ms(), now_ms());
      } catch (...) {
      }
      throw;
    }
    if (next < claimed.size()) {
      // Paused, cancelled, or the worker stops: hand back what is left.
      auto conn = deps_.db.acquire();
      for (std::size_t i = next; i < claimed.size(); ++i) {
        if (status == Status::Cancelled || status == Status::Completed || status == Status::Failed) {
          recipients_.cancel_claimed(*conn, claimed[i].id, owner, now_ms());
        } else {
          recipients_.release(*conn, claimed[i].id, owner, now_ms(), now_ms());
        }
      }
      rep.stopped = true;
      break;
    }
    // The reconciler's sign of work being done (Pipeline::staleness, 2 min):
    // at most once a second per campaign and process, not after every chunk
    // or by every job — every sending thread updates the same campaigns row,
    // and on PostgreSQL each such update waits for the row lock the others
    // hold until they commit.
    if (touch_due(range.campaign_id)) {
      auto conn = deps_.db.acquire();
      campaigns_.touch(*conn, range.campaign_id, now_ms());
    }
  }
  auto conn = deps_.db.acquire();
  rep.next_due = recipients_.next_due(*conn, range.campaign_id, range.first, range.last);
  return rep;
}

}  // namespace herald::campaigns

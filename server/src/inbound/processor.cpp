#include "inbound/processor.hpp"

#include <optional>

#include "core/errors.hpp"
#include "core/log.hpp"
#include "inbound/classify.hpp"

namespace herald::inbound {
namespace {

// A claim this old without its finish belongs to a worker that died.
constexpr std::int64_t kStaleClaimMs = 10 * 60 * 1000;

void change_lead(leads::Leads& leads, std::int64_t lead_id, leads::LeadEvent event, std::string source) {
  leads::StatusChange change;
  change.lead_id = lead_id;
  change.event = event;
  change.source = std::move(source);
  try {
    leads.change_status(change);
  } catch (const NotFound&) {
    // The lead was deleted since: the campaign's event stays, there is no status to change.
  }
}

// What a remote server wrote goes into a text column: printable ASCII only
// (PostgreSQL refuses NUL and invalid UTF-8), at most 500 bytes.
std::string printable(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (out.size() >= 500) break;
    out += (c >= 0x20 && c < 0x7f) ? c : ' ';
  }
  return out;
}

}  // namespace

bool handled_outcome(std::string_view o) {
  return o == "reply" || o == "bounce_hard" || o == "bounce_soft" || o == "complaint" || o == "auto_reply";
}

Processed Processor::process(std::string_view raw) {
  const auto verdict = classify(raw);
  const auto key = dedupe_key(verdict, raw);
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(clock_.wall().time_since_epoch()).count();
  Processed out;
  if (!store_.claim(key, now, now - kStaleClaimMs)) {
    out.duplicate = true;
    const auto before = store_.outcome(key);
    out.held = !before;
    out.outcome = before.value_or("");
    out.handled = handled_outcome(out.outcome);
    return out;
  }
  Finished f;
  try {
    std::optional<campaigns::RecipientRef> who;
    const bool about_ours =
        verdict.kind == Kind::Bounce || verdict.kind == Kind::Complaint || verdict.kind == Kind::Reply;
    if (about_ours && verdict.original) who = responses_.recipient_of(verdict.original_id);
    if (about_ours && !who) {
      f.outcome = "unmatched";
      f.detail = std::string(to_string(verdict.kind)) + " about " +
                 (verdict.original_id.empty() ? std::string("no Message-ID") : verdict.original_id);
    } else if (who) {
      f.campaign_id = who->campaign_id;
      f.lead_id = who->lead_id;
      const auto source = "campaign/" + std::to_string(who->campaign_id);
      switch (verdict.kind) {
        case Kind::Bounce:
          f.outcome = verdict.hard ? "bounce_hard" : "bounce_soft";
          f.detail = verdict.status + " " + verdict.diagnostic;
          responses_.record(
              *who, verdict.hard ? campaigns::ResponseKind::HardBounce : campaigns::ResponseKind::SoftBounce, now);
          if (verdict.hard) change_lead(leads_, who->lead_id, leads::LeadEvent::Bounced, source);
          break;
        case Kind::Complaint:
          f.outcome = "complaint";
          f.detail = verdict.diagnostic;
          responses_.record(*who, campaigns::ResponseKind::Complaint, now);
          change_lead(leads_, who->lead_id, leads::LeadEvent::Complained, source);
          break;
        default:
          f.outcome = "reply";
          responses_.record(*who, campaigns::ResponseKind::Reply, now);
          change_lead(leads_, who->lead_id, leads::LeadEvent::Replied, source);
          break;
      }
    } else {
      f.outcome = verdict.kind == Kind::AutoReply    ? "auto_reply"
                  : verdict.kind == Kind::Unreadable ? "unreadable"
                                                     : "other";
      f.detail = verdict.reason;
    }
    f.detail = printable(f.detail);
    store_.finish(key, f, now);
  } catch (...) {
    try {
      store_.release(key);
    } catch (const std::exception& e) {
      log::warn("inbound message claim not released", {{"error", e.what()}});
    }
    throw;
  }
  out.outcome = f.outcome;
  out.handled = handled_outcome(f.outcome);
  if (f.outcome == "unmatched") log::info("inbound message about no message Herald sent", {{"detail", f.detail}});
  return out;
}

}  // namespace herald::inbound

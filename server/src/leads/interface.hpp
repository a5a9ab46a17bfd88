// What the leads domain offers the others (campaigns, tracking, templates):
// the recipients of an audience in keyset batches, whether an address may be
// mailed, and the status changes mail brings (unsubscribed, bounced,
// replied), each with its audit entry. Other domains hold a reference to
// leads::Leads, handed over by the composition root; they never see the
// leads store, its SQL or its database handle.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "leads/types.hpp"

namespace herald::leads {

// Who a campaign goes to: every lead, a saved segment, leads with any of
// some tags, or a list of lead ids (SPEC: audience {all | segment_id |
// tags[] | lead_ids[]}). Exactly one is set.
struct Audience {
  bool all = false;
  std::optional<std::int64_t> segment_id;
  std::vector<std::string> tags;
  std::vector<std::int64_t> lead_ids;
};
// Throws ValidationError naming "audience" or "audience.<key>".
Audience parse_audience(const nlohmann::json& body);
nlohmann::json to_json(const Audience& a);

// One batch of an audience, in id order. `leads` holds the mailable ones
// (neither unsubscribed nor bounced, address and domain not suppressed);
// continue with recipients(audience, next_after, …) until `done`.
struct RecipientBatch {
  std::vector<Lead> leads;
  std::int64_t next_after = 0;
  bool done = false;
};

enum class LeadEvent { Unsubscribed, Bounced, Replied, Complained };
std::string_view to_string(LeadEvent e) noexcept;

struct StatusChange {
  std::int64_t lead_id = 0;
  LeadEvent event = LeadEvent::Replied;
  std::string source;                   // what reported it, e.g. "campaign/7"; kept in the audit entry
  std::optional<std::int64_t> user_id;  // the person, when one did it by hand
  std::string ip, request_id;           // of the request that brought it, if any
};

// How many leads there are, and how many were created in a period and in
// the period before it.
struct LeadTotals {
  std::int64_t total = 0, created = 0, created_before = 0;
};

// A computed score (0-100) and its reasons, a JSON array [{feature, weight}]
// (the advisor's lead scorer).
struct ScoreUpdate {
  std::int64_t lead_id = 0;
  std::int64_t score = 0;
  std::string reasons_json = "[]";
};

class Leads {
 public:
  virtual ~Leads() = default;

  virtual std::optional<Lead> find(std::int64_t lead_id) = 0;
  virtual std::optional<std::int64_t> find_id(std::string_view email) = 0;

  // Up to `limit` leads of the audience with ids above `after_id`, minus the
  // ones that must not be mailed. Memory is one batch, whatever the audience's size.
  // ValidationError("audience.segment_id") when the segment does not exist.
  virtual RecipientBatch recipients(const Audience& audience, std::int64_t after_id, std::size_t limit) = 0;

  // The address, or its domain, is on the suppression list.
  virtual bool is_suppressed(std::string_view email) = 0;

  // Unsubscribed and bounced set the status and put the address on the
  // suppression list (reason unsubscribe / bounce); complained (a spam
  // report) sets the status unsubscribed and suppresses with reason
  // complaint; replied sets the status unless the lead is unsubscribed or
  // bounced. Writes one audit entry (LEAD_UNSUBSCRIBED, LEAD_BOUNCED,
  // LEAD_REPLIED, LEAD_COMPLAINED) when something changed;
  // returns whether it did. NotFound when the lead does not exist.
  virtual bool change_status(const StatusChange& change) = 0;

  // Every lead whatever its status, up to `limit` with ids above `after_id`,
  // in id order (the lead scorer reads them all this way).
  virtual std::vector<Lead> scan(std::int64_t after_id, std::size_t limit) = 0;
  // Writes computed scores and their reasons in one transaction (updated_at
  // stays the last edit's); a lead deleted meanwhile is skipped.
  virtual void set_scores(std::span<const ScoreUpdate> scores) = 0;

  // Every lead (the kept total), those created in [from, to) and those created
  // in [before, from) (analytics' overview and its previous period): one statement.
  virtual LeadTotals totals(std::chrono::system_clock::time_point before, std::chrono::system_clock::time_point from,
                            std::chrono::system_clock::time_point to) = 0;
};

}  // namespace herald::leads

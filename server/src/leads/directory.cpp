#include "leads/directory.hpp"

#include "core/errors.hpp"
#include "core/time.hpp"

namespace herald::leads {
namespace {

constexpr std::size_t kMaxAudienceIds = 100000;

std::string_view target_status(LeadEvent e) {
  switch (e) {
    case LeadEvent::Unsubscribed:
      return "unsubscribed";
    case LeadEvent::Bounced:
      return "bounced";
    case LeadEvent::Replied:
      return "replied";
    case LeadEvent::Complained:
      return "unsubscribed";  // a spam report: never mail them again
  }
  return "replied";
}

bool mailable_status(std::string_view status) { return status != "unsubscribed" && status != "bounced"; }

}  // namespace

std::string_view to_string(LeadEvent e) noexcept {
  switch (e) {
    case LeadEvent::Unsubscribed:
      return "LEAD_UNSUBSCRIBED";
    case LeadEvent::Bounced:
      return "LEAD_BOUNCED";
    case LeadEvent::Replied:
      return "LEAD_REPLIED";
    case LeadEvent::Complained:
      return "LEAD_COMPLAINED";
  }
  return "LEAD_REPLIED";
}

Audience parse_audience(const nlohmann::json& body) {
  if (!body.is_object())
    throw ValidationError(
        "audience",
        "must be an object: {\"all\": true}, {\"segment_id\": 3}, {\"tags\": [...]} or {\"lead_ids\": [...]}");
  ValidationError errors;
  Audience a;
  int kinds = 0;
  for (auto& [key, value] : body.items()) {
    if (key == "all") {
      ++kinds;
      if (value != true) errors.with_field("audience.all", "must be true");
      a.all = true;
    } else if (key == "segment_id") {
      ++kinds;
      if (!value.is_number_integer() || value.get<std::int64_t>() <= 0) {
        errors.with_field("audience.segment_id", "must be a segment id");
      } else {
        a.segment_id = value.get<std::int64_t>();
      }
    } else if (key == "tags") {
      ++kinds;
      if (!value.is_array() || value.empty() || value.size() > kMaxTags) {
        errors.with_field("audience.tags", "must be a list of 1 to 50 tags");
        continue;
      }
      for (const auto& t : value) {
        auto problem =
            t.is_string() ? tag_problem(t.get<std::string>()) : std::optional<std::string>("must be strings");
        if (problem) {
          errors.with_field("audience.tags", *problem);
          break;
        }
        merge_tags(a.tags, {t.get<std::string>()});
      }
    } else if (key == "lead_ids") {
      ++kinds;
      if (!value.is_array() || value.empty() || value.size() > kMaxAudienceIds) {
        errors.with_field("audience.lead_ids", "must be a list of 1 to 100000 lead ids");
        continue;
      }
      for (const auto& id : value) {
        if (!id.is_number_integer() || id.get<std::int64_t>() <= 0) {
          errors.with_field("audience.lead_ids", "must contain lead ids only");
          break;
        }
        a.lead_ids.push_back(id.get<std::int64_t>());
      }
    } else {
      errors.with_field("audience." + key, "is not an audience key (all, segment_id, tags, lead_ids)");
    }
  }
  if (kinds != 1 && errors.empty())
    errors.with_field("audience", "give exactly one of all, segment_id, tags, lead_ids");
  if (!errors.empty()) throw errors;
  return a;
}

nlohmann::json to_json(const Audience& a) {
  if (a.segment_id) return {{"segment_id", *a.segment_id}};
  if (!a.tags.empty()) return {{"tags", a.tags}};
  if (!a.lead_ids.empty()) return {{"lead_ids", a.lead_ids}};
  return {{"all", true}};
}

Filter Directory::filter_of(const Audience& audience) {
  Filter f;
  if (audience.segment_id) {
    f.segment_id = audience.segment_id;
    try {
      return leads_.resolve(std::move(f));
    } catch (const ValidationError& e) {
      throw ValidationError("audience.segment_id", e.errors().empty() ? "no such segment" : e.errors()[0].message);
    }
  }
  if (!audience.tags.empty()) f.tag_groups.push_back(audience.tags);
  if (!audience.lead_ids.empty()) f.ids = audience.lead_ids;
  return f;
}

std::optional<Lead> Directory::find(std::int64_t lead_id) {
  auto conn = db_.acquire();
  return store_.by_id(*conn, lead_id);
}

std::optional<std::int64_t> Directory::find_id(std::string_view email) {
  auto normalised = normalise_email(email);
  if (!normalised) return std::nullopt;
  auto conn = db_.acquire();
  return store_.id_by_email(*conn, *normalised);
}

// The slice walks the primary key only (no status condition, which would
// make the database sort every match by id for each batch); statuses and the
// suppression list are checked here, a batch at a time.
RecipientBatch Directory::recipients(const Audience& audience, std::int64_t after_id, std::size_t limit) {
  RecipientBatch batch;
  batch.next_after = after_id;
  const Filter f = filter_of(audience);
  std::vector<Lead> scanned;
  scanned.reserve(limit);
  auto rows = leads_.slice(f, after_id, static_cast<std::int64_t>(limit),
                           [&](const storage::Row& r) { scanned.push_back(lead_from_row(r)); });
  batch.done = rows < static_cast<std::int64_t>(limit);
  if (scanned.empty()) return batch;
  batch.next_after = scanned.back().id;

  std::vector<std::string_view> emails;
  emails.reserve(scanned.size());
  for (const auto& l : scanned) emails.push_back(l.email);
  auto conn = db_.acquire();
  auto suppressed = suppressions_.suppressed(*conn, emails);
  batch.leads.reserve(scanned.size());
  for (std::size_t i = 0; i < scanned.size(); ++i) {
    if (!suppressed[i] && mailable_status(scanned[i].status)) batch.leads.push_back(std::move(scanned[i]));
  }
  return batch;
}

std::vector<Lead> Directory::scan(std::int64_t after_id, std::size_t limit) {
  std::vector<Lead> out;
  out.reserve(limit);
  leads_.slice(Filter{}, after_id, static_cast<std::int64_t>(limit),
               [&](const storage::Row& r) { out.push_back(lead_from_row(r)); });
  return out;
}

void Directory::set_scores(std::span<const ScoreUpdate> scores) {
  if (scores.empty()) return;
  auto conn = db_.acquire();
  storage::Transaction tx(*conn, storage::TxMode::Write);
  for (const auto& s : scores) store_.set_score(*conn, s.lead_id, s.score, s.reasons_json);
  tx.commit();
}

LeadTotals Directory::totals(std::chrono::system_clock::time_point before, std::chrono::system_clock::time_point from,
                             std::chrono::system_clock::time_point to) {
  auto conn = db_.acquire();
  return store_.totals(*conn, rfc3339(before), rfc3339(from), rfc3339(to));
}

bool Directory::is_suppressed(std::string_view email) { return suppressions_.suppressed(email); }

bool Directory::change_status(const StatusChange& change) {
  const auto status = target_status(change.event);
  const auto now = rfc3339(clock_.wall());
  std::string before;
  {
    auto conn = db_.acquire();
    storage::Transaction tx(*conn, storage::TxMode::Write);
    auto lead = store_.by_id(*conn, change.lead_id);
    if (!lead) throw NotFound("no lead with id " + std::to_string(change.lead_id));
    before = lead->status;
    bool changed = false;
    if (lead->status != status && (change.event != LeadEvent::Replied || mailable_status(lead->status))) {
      store_.set_status(*conn, lead->id, status, now);
      changed = true;
    }
    if (change.event != LeadEvent::Replied) {
      const auto reason = change.event == LeadEvent::Unsubscribed ? "unsubscribe"
                          : change.event == LeadEvent::Complained ? "complaint"
                                                                  : "bounce";
      changed = suppressions_.add_address(*conn, lead->email, reason, change.source) || changed;
    }
    if (!changed) return false;
    tx.commit();
  }
  audit::Entry e;
  e.action = std::string(to_string(change.event));
  e.resource = "lead/" + std::to_string(change.lead_id);
  e.user_id = change.user_id;
  e.ip = change.ip;
  e.request_id = change.request_id;
  e.details = nlohmann::json({{"from", before}, {"source", change.source}}).dump();
  audit_.record(std::move(e));
  return true;
}

}  // namespace herald::leads

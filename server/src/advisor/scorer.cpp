#include "advisor/scorer.hpp"

#include <cmath>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "advisor/scoring.hpp"
#include "core/errors.hpp"

namespace herald::advisor {
namespace {

constexpr std::size_t kEventBatch = 5000;
constexpr std::size_t kLeadBatch = 1000;

struct Engagement {
  std::int64_t delivered = 0, opens = 0, clicks = 0, replies = 0;
  std::optional<std::int64_t> last_ms;
};

LeadFacts facts_of(const leads::Lead& lead, const Engagement* e) {
  LeadFacts f;
  f.lead_id = lead.id;
  f.title = lead.title;
  f.has_company = !lead.company.empty();
  f.has_website = !lead.website.empty();
  f.has_phone = !lead.phone.empty();
  f.has_country = !lead.country.empty();
  f.status = lead.status;
  if (e) {
    f.delivered = e->delivered;
    f.opens = e->opens;
    f.clicks = e->clicks;
    f.replies = e->replies;
    f.last_engagement_ms = e->last_ms;
  }
  return f;
}

std::int64_t now_ms(const Clock& clock) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock.wall().time_since_epoch()).count();
}

void check_stop(const LeadScorer::Stop& stop) {
  if (stop && stop()) throw ServiceUnavailable("lead scoring stopped; it will run again");
}

}  // namespace

nlohmann::json to_json(const ScoreRunResult& r) {
  nlohmann::json j = {{"model", r.model},
                      {"leads_scored", r.leads_scored},
                      {"labelled", r.labelled},
                      {"positives", r.positives},
                      {"reason", r.reason}};
  if (r.auc) j["auc"] = std::round(*r.auc * 10000) / 10000;
  j["rules_auc"] = r.rules_auc ? nlohmann::json(std::round(*r.rules_auc * 10000) / 10000) : nlohmann::json(nullptr);
  return j;
}

ScoreRunResult LeadScorer::run(const Progress& progress, const Stop& stop) {
  const auto now = now_ms(clock_);
  // 1. Engagement per lead from the event log (0-30%).
  std::unordered_map<std::int64_t, Engagement> engagement;
  const auto last_event = activity_.last_event_id();
  for (std::int64_t after = 0; after < last_event;) {
    check_stop(stop);
    auto events = activity_.events_after(after, kEventBatch);
    if (events.empty()) break;
    for (const auto& ev : events) {
      auto& e = engagement[ev.lead_id];
      if (ev.type == "delivered") {
        ++e.delivered;
      } else if (ev.type == "open" || ev.type == "click") {
        ++(ev.type == "open" ? e.opens : e.clicks);
        if (!e.last_ms || ev.occurred_at > *e.last_ms) e.last_ms = ev.occurred_at;
      } else if (ev.type == "reply") {
        ++e.replies;
      }
    }
    after = events.back().id;
    progress(static_cast<int>(30 * after / std::max<std::int64_t>(last_event, 1)), "reading engagement");
  }
  auto facts_for = [&](const leads::Lead& lead) {
    auto it = engagement.find(lead.id);
    return facts_of(lead, it == engagement.end() ? nullptr : &it->second);
  };

  // 2. The labelled leads' features (30-50%).
  std::vector<Features> train_x, test_x;
  std::vector<bool> train_y, test_y;
  std::vector<double> test_rules;
  ScoreRunResult result;
  std::int64_t seen = 0;
  for (std::int64_t after = 0;;) {
    check_stop(stop);
    auto batch = leads_.scan(after, kLeadBatch);
    for (const auto& lead : batch) {
      auto f = facts_for(lead);
      if (!is_labelled(f)) continue;
      ++result.labelled;
      const bool positive = is_positive(f);
      if (positive) ++result.positives;
      if (held_out(lead.id)) {
        test_x.push_back(features_of(f, now));
        test_y.push_back(positive);
        test_rules.push_back(rule_score(f, now).score);
      } else {
        train_x.push_back(features_of(f, now));
        train_y.push_back(positive);
      }
    }
    seen += static_cast<std::int64_t>(batch.size());
    if (batch.size() < kLeadBatch) break;
    after = batch.back().id;
    progress(40, fmt::format("read {} leads", seen));
  }
  progress(50, "fitting");

  // 3. The model, or the rules.
  std::optional<LogisticModel> model;
  result.rules_auc = auc(test_rules, test_y);
  if (result.positives < static_cast<std::int64_t>(kMinPositives) ||
      result.labelled < static_cast<std::int64_t>(kMinLabelled)) {
    result.reason = fmt::format("too little history: {} replied of {} contacted leads (a model needs {} and {})",
                                result.positives, result.labelled, kMinPositives, kMinLabelled);
  } else {
    auto fitted = LogisticModel::fit(train_x, train_y);
    std::vector<double> test_scores;
    test_scores.reserve(test_x.size());
    for (const auto& x : test_x) test_scores.push_back(fitted.probability(x));
    auto model_auc = auc(test_scores, test_y);
    if (!model_auc) {
      result.reason = "the held-out leads hold only one class; the model cannot be checked";
    } else if (result.rules_auc && *model_auc < *result.rules_auc) {
      result.reason =
          fmt::format("the model's held-out AUC {:.3f} is below the rules' {:.3f}", *model_auc, *result.rules_auc);
    } else {
      result.auc = model_auc;
      result.reason = fmt::format("fitted on {} leads, checked on {} held-out leads", train_x.size(), test_x.size());
      model = fitted;
    }
  }
  result.model = model ? "logistic" : "rules";

  // 4. Every lead's score and reasons (50-100%).
  std::vector<leads::ScoreUpdate> updates;
  for (std::int64_t after = 0;;) {
    check_stop(stop);
    auto batch = leads_.scan(after, kLeadBatch);
    updates.clear();
    for (const auto& lead : batch) {
      auto f = facts_for(lead);
      Scored s = model ? model->score(features_of(f, now)) : rule_score(f, now);
      updates.push_back({lead.id, s.score, reasons_json(s.reasons).dump()});
    }
    leads_.set_scores(updates);
    result.leads_scored += static_cast<std::int64_t>(batch.size());
    if (batch.size() < kLeadBatch) break;
    after = batch.back().id;
    progress(50 + static_cast<int>(50 * result.leads_scored / std::max<std::int64_t>(seen, 1)) - 1,
             fmt::format("scored {} leads", result.leads_scored));
  }
  return result;
}

}  // namespace herald::advisor

// The score-leads job's work: reads the install's history through the
// interfaces the leads and campaigns modules offer (every lead; the event
// log), fits the logistic model when there is enough of it (else uses the
// rule-based score), judges both on the held-out fifth, and writes each
// lead's score and top reasons back through leads::Leads::set_scores.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "campaigns/interface.hpp"
#include "core/clock.hpp"
#include "leads/interface.hpp"

namespace herald::advisor {

struct ScoreRunResult {
  std::string model;  // "logistic" or "rules"
  std::int64_t leads_scored = 0;
  std::int64_t labelled = 0, positives = 0;
  std::optional<double> auc;        // the logistic model's, on held-out leads (logistic only)
  std::optional<double> rules_auc;  // the rule-based score's on the same leads, when there are both classes
  std::string reason;               // why this model
};
// {model, leads_scored, auc (logistic only), rules_auc, labelled, positives, reason}
nlohmann::json to_json(const ScoreRunResult& r);

class LeadScorer {
 public:
  using Progress = std::function<void(int percent, const std::string& detail)>;
  using Stop = std::function<bool()>;

  LeadScorer(leads::Leads& leads, campaigns::Activity& activity, const Clock& clock)
      : leads_(leads), activity_(activity), clock_(clock) {}

  ScoreRunResult run(const Progress& progress, const Stop& stop);

 private:
  leads::Leads& leads_;
  campaigns::Activity& activity_;
  const Clock& clock_;
};

}  // namespace herald::advisor

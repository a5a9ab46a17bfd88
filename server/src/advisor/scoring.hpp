// Lead scoring, pure: the features of a lead, a transparent rule-based score,
// an L2-regularised logistic regression fitted by Newton's method, the
// deterministic held-out split and the AUC that judges both. The job that
// feeds it from the install's history is advisor/scorer.hpp.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace herald::advisor {

// Title seniority from a keyword map, checked from the top down on the
// lower-cased title's words:
//   c_level:  ceo cto cfo coo cmo cio cro cso chief founder co-founder cofounder owner president partner
//   vp:       vp svp evp avp "vice president" "head of"
//   director: director
//   manager:  manager lead supervisor principal
//   ic:       any other title;  none: no title
enum class Seniority { None, Ic, Manager, Director, Vp, CLevel };
Seniority seniority_of(std::string_view title);
std::string_view to_string(Seniority s);

// What the history says about one lead. Engagement is from the campaigns'
// event log: opens and clicks, and the time of the last of them.
struct LeadFacts {
  std::int64_t lead_id = 0;
  std::string title;
  bool has_company = false, has_website = false, has_phone = false, has_country = false;
  std::int64_t delivered = 0, opens = 0, clicks = 0, replies = 0;
  std::optional<std::int64_t> last_engagement_ms;  // the last open or click
  std::string status;                              // the lead's status
};

// A lead is labelled when it was contacted (a message delivered, or a status
// past "new"); positive when it replied or converted (a reply event, or
// status replied, interested or converted).
bool is_labelled(const LeadFacts& f);
bool is_positive(const LeadFacts& f);

// The features, in this order. Replies are the label, so they are no feature.
inline constexpr std::array<std::string_view, 12> kFeatureNames = {"seniority_c_level",
                                                                   "seniority_vp",
                                                                   "seniority_director",
                                                                   "seniority_manager",
                                                                   "seniority_ic",
                                                                   "has_company",
                                                                   "has_website",
                                                                   "has_phone",
                                                                   "has_country",
                                                                   "opens",
                                                                   "clicks",
                                                                   "recent_engagement"};
inline constexpr std::size_t kFeatures = kFeatureNames.size();
using Features = std::array<double, kFeatures>;
// opens and clicks as log(1 + n); recent_engagement = exp(-days since the last open or click / 30), 0 for never.
Features features_of(const LeadFacts& f, std::int64_t now_ms);

struct Reason {
  std::string feature;
  double weight = 0;  // rules: points; logistic: the feature's contribution to the log-odds
  bool operator==(const Reason&) const = default;
};
struct Scored {
  int score = 0;                // 0-100
  std::vector<Reason> reasons;  // the top contributors, largest first (at most 3)
};
nlohmann::json reasons_json(const std::vector<Reason>& reasons);

// The rule-based score: seniority (c_level 30, vp 25, director 20, manager
// 12, ic 5), company 10, website 5, phone 5, country 2, opens 4 each (at
// most 20), clicks 8 each (at most 24), engagement in the last 14 days 10
// (in the last 60 days 5); capped at 100. Reasons: every non-zero rule.
Scored rule_score(const LeadFacts& f, std::int64_t now_ms);

class LogisticModel {
 public:
  // Fits on the rows (standardised inside) with an L2 penalty `lambda` on the
  // weights (not the intercept), by Newton's method until the step is tiny.
  static LogisticModel fit(const std::vector<Features>& x, const std::vector<bool>& y, double lambda = 1.0);
  double probability(const Features& f) const;
  Scored score(const Features& f) const;
  const Features& weights() const noexcept { return weights_; }  // on standardised features

 private:
  Features mean_{}, scale_{}, weights_{};
  double intercept_ = 0;
};

// The held-out fifth: a fixed function of the lead id, so a re-run splits the same way.
bool held_out(std::int64_t lead_id);

// The area under the ROC curve of scores against labels (ties count half);
// nullopt when either class is empty.
std::optional<double> auc(const std::vector<double>& scores, const std::vector<bool>& labels);

// Too little history for a model: fewer than this many positives or labelled leads.
inline constexpr std::size_t kMinPositives = 30;
inline constexpr std::size_t kMinLabelled = 200;

}  // namespace herald::advisor

#include "advisor/scoring.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <numeric>

#include <nlohmann/json.hpp>

namespace herald::advisor {
namespace {

constexpr double kDayMs = 86'400'000.0;

// The title's words, lower-case, joined by single spaces and framed by spaces
// (" vice president of sales "), so phrases match on word boundaries.
std::string framed_words(std::string_view title) {
  std::string out = " ";
  bool in_word = false;
  for (unsigned char c : title) {
    if (std::isalnum(c) != 0 || c == '-' || c >= 0x80) {
      out += static_cast<char>(std::tolower(c));
      in_word = true;
    } else if (in_word) {
      out += ' ';
      in_word = false;
    }
  }
  if (in_word) out += ' ';
  return out;
}

bool has_any(const std::string& framed, std::initializer_list<std::string_view> words) {
  return std::any_of(words.begin(), words.end(),
                     [&](std::string_view w) { return framed.find(" " + std::string(w) + " ") != std::string::npos; });
}

double days_since(std::int64_t then_ms, std::int64_t now_ms) {
  return std::max(0.0, static_cast<double>(now_ms - then_ms) / kDayMs);
}

std::vector<Reason> top_reasons(std::vector<Reason> all, std::size_t n) {
  std::stable_sort(all.begin(), all.end(),
                   [](const Reason& a, const Reason& b) { return std::abs(a.weight) > std::abs(b.weight); });
  std::erase_if(all, [](const Reason& r) { return r.weight == 0; });
  if (all.size() > n) all.resize(n);
  return all;
}

// Solves a·x = b (symmetric positive definite after the penalty) by Gaussian
// elimination with partial pivoting; a and b are overwritten.
template <std::size_t N>
std::array<double, N> solve(std::array<std::array<double, N>, N>& a, std::array<double, N>& b) {
  for (std::size_t col = 0; col < N; ++col) {
    std::size_t pivot = col;
    for (std::size_t r = col + 1; r < N; ++r)
      if (std::abs(a[r][col]) > std::abs(a[pivot][col])) pivot = r;
    std::swap(a[col], a[pivot]);
    std::swap(b[col], b[pivot]);
    if (std::abs(a[col][col]) < 1e-12) continue;
    for (std::size_t r = col + 1; r < N; ++r) {
      double factor = a[r][col] / a[col][col];
      for (std::size_t k = col; k < N; ++k) a[r][k] -= factor * a[col][k];
      b[r] -= factor * b[col];
    }
  }
  std::array<double, N> x{};
  for (std::size_t i = N; i-- > 0;) {
    double sum = b[i];
    for (std::size_t k = i + 1; k < N; ++k) sum -= a[i][k] * x[k];
    x[i] = std::abs(a[i][i]) < 1e-12 ? 0 : sum / a[i][i];
  }
  return x;
}

double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

}  // namespace

Seniority seniority_of(std::string_view title) {
  const auto framed = framed_words(title);
  if (framed.size() <= 1) return Seniority::None;
  if (has_any(framed, {"ceo", "cto", "cfo", "coo", "cmo", "cio", "cro", "cso", "chief", "founder", "co-founder",
                       "cofounder", "owner", "president", "partner"}) &&
      !has_any(framed, {"vice"}))
    return Seniority::CLevel;
  if (has_any(framed, {"vp", "svp", "evp", "avp", "vice president", "head of"})) return Seniority::Vp;
  if (has_any(framed, {"director"})) return Seniority::Director;
  if (has_any(framed, {"manager", "lead", "supervisor", "principal"})) return Seniority::Manager;
  return Seniority::Ic;
}

std::string_view to_string(Seniority s) {
  switch (s) {
    case Seniority::CLevel:
      return "c_level";
    case Seniority::Vp:
      return "vp";
    case Seniority::Director:
      return "director";
    case Seniority::Manager:
      return "manager";
    case Seniority::Ic:
      return "ic";
    case Seniority::None:
      break;
  }
  return "none";
}

bool is_positive(const LeadFacts& f) {
  return f.replies > 0 || f.status == "replied" || f.status == "interested" || f.status == "converted";
}

bool is_labelled(const LeadFacts& f) {
  return is_positive(f) || f.delivered > 0 || (!f.status.empty() && f.status != "new");
}

Features features_of(const LeadFacts& f, std::int64_t now_ms) {
  Features x{};
  switch (seniority_of(f.title)) {
    case Seniority::CLevel:
      x[0] = 1;
      break;
    case Seniority::Vp:
      x[1] = 1;
      break;
    case Seniority::Director:
      x[2] = 1;
      break;
    case Seniority::Manager:
      x[3] = 1;
      break;
    case Seniority::Ic:
      x[4] = 1;
      break;
    case Seniority::None:
      break;
  }
  x[5] = f.has_company ? 1 : 0;
  x[6] = f.has_website ? 1 : 0;
  x[7] = f.has_phone ? 1 : 0;
  x[8] = f.has_country ? 1 : 0;
  x[9] = std::log1p(static_cast<double>(std::max<std::int64_t>(f.opens, 0)));
  x[10] = std::log1p(static_cast<double>(std::max<std::int64_t>(f.clicks, 0)));
  x[11] = f.last_engagement_ms ? std::exp(-days_since(*f.last_engagement_ms, now_ms) / 30.0) : 0.0;
  return x;
}

nlohmann::json reasons_json(const std::vector<Reason>& reasons) {
  auto out = nlohmann::json::array();
  for (const auto& r : reasons) out.push_back({{"feature", r.feature}, {"weight", std::round(r.weight * 100) / 100}});
  return out;
}

Scored rule_score(const LeadFacts& f, std::int64_t now_ms) {
  std::vector<Reason> parts;
  const auto seniority = seniority_of(f.title);
  const double seniority_points = seniority == Seniority::CLevel     ? 30
                                  : seniority == Seniority::Vp       ? 25
                                  : seniority == Seniority::Director ? 20
                                  : seniority == Seniority::Manager  ? 12
                                  : seniority == Seniority::Ic       ? 5
                                                                     : 0;
  parts.push_back({"seniority_" + std::string(to_string(seniority)), seniority_points});
  parts.push_back({"has_company", f.has_company ? 10.0 : 0.0});
  parts.push_back({"has_website", f.has_website ? 5.0 : 0.0});
  parts.push_back({"has_phone", f.has_phone ? 5.0 : 0.0});
  parts.push_back({"has_country", f.has_country ? 2.0 : 0.0});
  parts.push_back({"opens", std::min<double>(static_cast<double>(std::max<std::int64_t>(f.opens, 0)) * 4, 20)});
  parts.push_back({"clicks", std::min<double>(static_cast<double>(std::max<std::int64_t>(f.clicks, 0)) * 8, 24)});
  double recency = 0;
  if (f.last_engagement_ms) {
    double days = days_since(*f.last_engagement_ms, now_ms);
    recency = days <= 14 ? 10 : days <= 60 ? 5 : 0;
  }
  parts.push_back({"recent_engagement", recency});
  double total = 0;
  for (const auto& p : parts) total += p.weight;
  return {static_cast<int>(std::clamp(std::lround(total), 0L, 100L)), top_reasons(std::move(parts), 3)};
}

LogisticModel LogisticModel::fit(const std::vector<Features>& x, const std::vector<bool>& y, double lambda) {
  LogisticModel m;
  const std::size_t n = x.size();
  for (std::size_t j = 0; j < kFeatures; ++j) {
    double sum = 0, sq = 0;
    for (const auto& row : x) sum += row[j];
    m.mean_[j] = n ? sum / static_cast<double>(n) : 0;
    for (const auto& row : x) sq += (row[j] - m.mean_[j]) * (row[j] - m.mean_[j]);
    double sd = n ? std::sqrt(sq / static_cast<double>(n)) : 0;
    m.scale_[j] = sd > 1e-9 ? sd : 1;  // a constant feature stays 0 once centred
  }
  constexpr std::size_t D = kFeatures + 1;  // the intercept last
  std::array<double, D> w{};
  std::array<double, kFeatures + 1> z{};
  for (int iteration = 0; iteration < 50; ++iteration) {
    std::array<double, D> gradient{};
    std::array<std::array<double, D>, D> hessian{};
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = 0; j < kFeatures; ++j) z[j] = (x[i][j] - m.mean_[j]) / m.scale_[j];
      z[kFeatures] = 1;
      double eta = 0;
      for (std::size_t j = 0; j < D; ++j) eta += w[j] * z[j];
      double p = sigmoid(eta);
      double r = (y[i] ? 1.0 : 0.0) - p;
      double s = p * (1 - p);
      for (std::size_t j = 0; j < D; ++j) {
        gradient[j] += r * z[j];
        for (std::size_t k = j; k < D; ++k) hessian[j][k] += s * z[j] * z[k];
      }
    }
    for (std::size_t j = 0; j < D; ++j)
      for (std::size_t k = 0; k < j; ++k) hessian[j][k] = hessian[k][j];
    for (std::size_t j = 0; j < kFeatures; ++j) {
      gradient[j] -= lambda * w[j];
      hessian[j][j] += lambda;
    }
    hessian[kFeatures][kFeatures] += 1e-9;
    auto step = solve(hessian, gradient);
    double size = 0;
    for (std::size_t j = 0; j < D; ++j) {
      w[j] += step[j];
      size = std::max(size, std::abs(step[j]));
    }
    if (size < 1e-8) break;
  }
  for (std::size_t j = 0; j < kFeatures; ++j) m.weights_[j] = w[j];
  m.intercept_ = w[kFeatures];
  return m;
}

double LogisticModel::probability(const Features& f) const {
  double eta = intercept_;
  for (std::size_t j = 0; j < kFeatures; ++j) eta += weights_[j] * (f[j] - mean_[j]) / scale_[j];
  return sigmoid(eta);
}

Scored LogisticModel::score(const Features& f) const {
  std::vector<Reason> parts;
  for (std::size_t j = 0; j < kFeatures; ++j)
    parts.push_back({std::string(kFeatureNames[j]), weights_[j] * (f[j] - mean_[j]) / scale_[j]});
  return {static_cast<int>(std::clamp(std::lround(probability(f) * 100), 0L, 100L)), top_reasons(std::move(parts), 3)};
}

bool held_out(std::int64_t lead_id) {
  // splitmix64: ids that are neighbours land independently.
  auto z = static_cast<std::uint64_t>(lead_id) + 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  z ^= z >> 31;
  return z % 5 == 0;
}

std::optional<double> auc(const std::vector<double>& scores, const std::vector<bool>& labels) {
  const std::size_t n = scores.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] < scores[b]; });
  // Mann–Whitney: the positives' mean rank, ties given the average rank.
  double positive_ranks = 0;
  std::size_t positives = 0;
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j < n && scores[order[j]] == scores[order[i]]) ++j;
    double rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2;
    for (std::size_t k = i; k < j; ++k)
      if (labels[order[k]]) {
        positive_ranks += rank;
        ++positives;
      }
    i = j;
  }
  const std::size_t negatives = n - positives;
  if (positives == 0 || negatives == 0) return std::nullopt;
  const double p = static_cast<double>(positives);
  return (positive_ranks - p * (p + 1) / 2) / (p * static_cast<double>(negatives));
}

}  // namespace herald::advisor

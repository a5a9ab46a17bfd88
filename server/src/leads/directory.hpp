// leads::Leads (leads/interface.hpp) over the leads domain's services.
#pragma once

#include "audit/interface.hpp"
#include "core/clock.hpp"
#include "leads/interface.hpp"
#include "leads/service.hpp"
#include "leads/store.hpp"
#include "leads/suppressions.hpp"
#include "storage/database.hpp"

namespace herald::leads {

class Directory final : public Leads {
 public:
  Directory(storage::Database& db, const Clock& clock, LeadService& leads, SuppressionService& suppressions,
            audit::Trail& audit)
      : db_(db), clock_(clock), store_(db.backend()), leads_(leads), suppressions_(suppressions), audit_(audit) {}

  std::optional<Lead> find(std::int64_t lead_id) override;
  std::optional<std::int64_t> find_id(std::string_view email) override;
  RecipientBatch recipients(const Audience& audience, std::int64_t after_id, std::size_t limit) override;
  bool is_suppressed(std::string_view email) override;
  bool change_status(const StatusChange& change) override;
  std::vector<Lead> scan(std::int64_t after_id, std::size_t limit) override;
  void set_scores(std::span<const ScoreUpdate> scores) override;
  LeadTotals totals(std::chrono::system_clock::time_point before, std::chrono::system_clock::time_point from,
                    std::chrono::system_clock::time_point to) override;

 private:
  Filter filter_of(const Audience& audience);

  storage::Database& db_;
  const Clock& clock_;
  LeadStore store_;
  LeadService& leads_;
  SuppressionService& suppressions_;
  audit::Trail& audit_;
};

}  // namespace herald::leads

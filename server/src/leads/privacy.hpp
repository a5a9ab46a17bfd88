// GDPR: everything Herald holds about one lead, as JSON (Art. 15/20), and
// erasure (Art. 17): the lead and its tags are deleted, its address's hash
// joins the suppression list so it is never mailed again, and only
// anonymised aggregates remain (counters of imports and campaigns, audit
// entries that name lead/<id> and never its data).
#pragma once

#include <cstdint>
#include <optional>

#include "audit/interface.hpp"
#include "leads/service.hpp"
#include "leads/store.hpp"
#include "leads/suppressions.hpp"

namespace herald::leads {

class PrivacyService {
 public:
  PrivacyService(storage::Database& db, LeadService& leads, SuppressionService& suppressions, audit::Trail& audit)
      : db_(db), store_(db.backend()), leads_(leads), suppressions_(suppressions), audit_(audit) {}

  nlohmann::json export_lead(std::int64_t id);
  // Returns the hash now on the suppression list.
  std::string erase(std::int64_t id, std::optional<std::int64_t> by);

 private:
  storage::Database& db_;
  LeadStore store_;
  LeadService& leads_;
  SuppressionService& suppressions_;
  audit::Trail& audit_;
};

}  // namespace herald::leads

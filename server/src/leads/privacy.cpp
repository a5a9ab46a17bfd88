#include "leads/privacy.hpp"

#include "core/errors.hpp"

namespace herald::leads {

nlohmann::json PrivacyService::export_lead(std::int64_t id) {
  Lead lead = leads_.get(id);
  auto doc = to_json(lead);
  doc["import_id"] = lead.import_id ? nlohmann::json(*lead.import_id) : nlohmann::json(nullptr);

  nlohmann::json history = nlohmann::json::array();
  for (const auto& e : audit_.history("lead/" + std::to_string(id), 10000)) {
    history.push_back({{"at", e.created_at},
                       {"action", e.action},
                       {"by_user_id", e.user_id ? nlohmann::json(*e.user_id) : nlohmann::json(nullptr)}});
  }
  return {{"lead", doc},
          {"suppressed", suppressions_.suppressed(lead.email)},
          {"history", history},
          {"exported_at", leads_.now()},
          {"format", "herald.lead-export.v1"}};
}

std::string PrivacyService::erase(std::int64_t id, std::optional<std::int64_t> by) {
  auto conn = db_.acquire();
  storage::Transaction tx(*conn, storage::TxMode::Write);
  auto lead = store_.by_id(*conn, id);
  if (!lead) throw NotFound("no lead with id " + std::to_string(id));
  store_.remove(*conn, id);  // its tag links go with it
  suppressions_.add_hash_only(*conn, lead->email, by);
  store_.bump_version(*conn);
  tx.commit();
  return suppression_hash(lead->email);
}

}  // namespace herald::leads

// The suppression list: addresses and whole domains never to be mailed
// (added by hand, by unsubscribes, hard bounces and complaints, and by GDPR
// erasures, which keep only the address's SHA-256).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "leads/service.hpp"
#include "leads/store.hpp"

namespace herald::leads {

inline constexpr std::array<std::string_view, 5> kSuppressionReasons = {"manual", "unsubscribe", "bounce", "complaint",
                                                                        "gdpr"};

struct SuppressionInput {
  std::string kind;   // email or domain
  std::string value;  // normalised
  std::string reason = "manual";
  std::string note;
};
SuppressionInput parse_suppression_input(const nlohmann::json& body);
// PATCH: reason and note only (the address or domain is the entry itself).
struct SuppressionPatch {
  std::optional<std::string> reason, note;
};
SuppressionPatch parse_suppression_patch(const nlohmann::json& body);
nlohmann::json to_json(const Suppression& s);

// SHA-256 (hex) of a normalised address or domain: what the list matches on.
std::string suppression_hash(std::string_view value);

class SuppressionService {
 public:
  explicit SuppressionService(LeadService& leads) : leads_(leads) {}

  std::pair<std::vector<Suppression>, std::int64_t> list(const SuppressionQuery& q);
  Suppression get(std::int64_t id);
  // Conflict when the address or domain is already on the list.
  Suppression create(const SuppressionInput& in, std::optional<std::int64_t> created_by);
  Suppression update(std::int64_t id, const SuppressionPatch& patch);
  void remove(std::int64_t id);
  // True when the address or its domain is suppressed.
  bool suppressed(std::string_view email);
  // Within a caller's transaction: adds the address's hash only (GDPR), or
  // forgets the address of an existing entry, keeping its hash.
  void add_hash_only(storage::Connection& c, std::string_view email, std::optional<std::int64_t> by);

 private:
  LeadService& leads_;
};

}  // namespace herald::leads

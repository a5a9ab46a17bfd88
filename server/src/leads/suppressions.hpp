// The suppression list: addresses and whole domains never to be mailed
// (added by hand, by unsubscribes, hard bounces and complaints, and by GDPR
// erasures, which keep only the address's SHA-256).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "leads/suppression_store.hpp"
#include "storage/database.hpp"

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
  SuppressionService(storage::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  std::pair<std::vector<Suppression>, std::int64_t> list(const SuppressionQuery& q);
  Suppression get(std::int64_t id);
  // Conflict when the address or domain is already on the list.
  Suppression create(const SuppressionInput& in, std::optional<std::int64_t> created_by);
  Suppression update(std::int64_t id, const SuppressionPatch& patch);
  void remove(std::int64_t id);
  // True when the address or its domain is suppressed.
  bool suppressed(std::string_view email);
  // Which of `emails` (normalised) are suppressed, by address or domain: one
  // statement for a batch.
  std::vector<bool> suppressed(storage::Connection& c, std::span<const std::string_view> emails);
  // Within a caller's transaction: adds the address's hash only (GDPR), or
  // forgets the address of an existing entry, keeping its hash.
  void add_hash_only(storage::Connection& c, std::string_view email, std::optional<std::int64_t> by);
  // Within a caller's transaction: puts the address on the list for `reason`
  // (unsubscribe, bounce, …) unless it is there; true when it was added.
  bool add_address(storage::Connection& c, std::string_view email, std::string_view reason, std::string_view note);

 private:
  std::string now() const;

  storage::Database& db_;
  const Clock& clock_;
  SuppressionStore store_;
};

}  // namespace herald::leads

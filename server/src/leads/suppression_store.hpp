// SQL access for the suppression list (server/sql/{common,<backend>}/suppressions.sql).
// Each call takes the connection, so the service decides the transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_set>
#include <vector>

#include "storage/database.hpp"

namespace herald::leads {

struct Suppression {
  std::int64_t id = 0;
  std::string kind;                  // email or domain
  std::optional<std::string> value;  // null when only the hash is kept
  std::string value_hash;
  std::string reason;
  std::string note;
  std::optional<std::int64_t> created_by;
  std::string created_at;
};

struct SuppressionQuery {
  std::optional<std::string> kind, reason, like;
  std::int64_t limit = 50, offset = 0;
};

class SuppressionStore {
 public:
  using Connection = storage::Connection;

  std::vector<Suppression> list(Connection& c, const SuppressionQuery& q) const;
  std::int64_t count(Connection& c, const SuppressionQuery& q) const;
  std::optional<Suppression> get(Connection& c, std::int64_t id) const;
  std::optional<std::int64_t> id_by_hash(Connection& c, std::string_view hash) const;
  std::int64_t insert(Connection& c, const Suppression& s) const;
  void update(Connection& c, const Suppression& s) const;
  void forget_value(Connection& c, std::string_view hash) const;
  bool remove(Connection& c, std::int64_t id) const;
  // True when either hash (an address's, its domain's) is on the list.
  bool matches(Connection& c, std::string_view email_hash, std::string_view domain_hash) const;
  // Which of `hashes` are on the list (one statement for a batch of recipients).
  std::unordered_set<std::string> matching(Connection& c, std::span<const std::string> hashes) const;
};

}  // namespace herald::leads

// A named query, declared once where it is used and run by its handle:
//
//   namespace { const storage::Query kVersion{"leads.version"}; }
//   ...
//   conn.execute(kVersion, {id}, on_row);
//
// The name is the one after "-- name:" in server/sql; it is written nowhere
// else. Every Query registers itself when the program starts, and
// check_queries() (run by start-up, before any request) looks each one up in
// the backend's catalog: a query missing from server/sql stops start-up
// with its name, not a request. Declare queries at namespace scope in the
// .cpp that runs them (a function-local one registers too late for the check).
#pragma once

#include <atomic>
#include <string>
#include <string_view>
#include <vector>

#include "storage/database.hpp"

namespace herald::storage {

class Query {
 public:
  explicit Query(std::string_view name);
  ~Query();
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  std::string_view name() const noexcept { return name_; }
  // The statement for a backend, from its catalog (looked up once, then
  // cached). Throws DbError naming the query when the catalog lacks it.
  const std::string& sql(Backend backend) const;

 private:
  std::string_view name_;
  mutable std::atomic<const std::string*> sql_[2] = {nullptr, nullptr};
};

// Every Query the program declares, by name.
std::vector<std::string_view> declared_queries();

// Looks up every declared Query in the backend's catalog; throws DbError
// naming each missing one. Start-up calls it before serving.
void check_queries(Backend backend);
// The same against a given list of names (for tests of the check itself).
void check_queries(Backend backend, const std::vector<std::string_view>& names);

}  // namespace herald::storage

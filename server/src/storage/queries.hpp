// Named SQL queries, one catalog per backend, embedded from
// server/sql/<backend>/<domain>.sql. A file holds blocks introduced by
// "-- name: domain.query_name"; the block runs until the next name line.
// Stores resolve their queries at construction, so a missing query stops
// start-up instead of failing a request.
#pragma once

#include <string>
#include <string_view>

#include "storage/database.hpp"

namespace herald::storage {

class QueryCatalog {
 public:
  static const QueryCatalog& for_backend(Backend backend);
  // Throws DbError naming the query when it is missing.
  const std::string& get(std::string_view name) const;
  bool contains(std::string_view name) const;

 private:
  explicit QueryCatalog(Backend backend);
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

}  // namespace herald::storage

// Named SQL queries, one catalog per backend, embedded from
// server/sql/<backend>/<domain>.sql. A file holds blocks introduced by
// "-- name: domain.query_name"; the block runs until the next name line.
// Stores resolve their queries at construction, so a missing query stops
// start-up instead of failing a request.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storage/database.hpp"
#include "storage/embedded.hpp"

namespace herald::storage {

struct NamedQuery {
  std::string name;
  std::string sql;  // trimmed, without a trailing ';'
};

// Splits one file into its named blocks. Comment lines at the start and end of
// a block are documentation and are dropped. Throws DbError, citing `source`
// and the line, for SQL outside a block, a malformed name or an empty block.
std::vector<NamedQuery> parse_named_queries(std::string_view text, std::string_view source);

class QueryCatalog {
 public:
  // Built once from the embedded files on first use; thread-safe.
  static const QueryCatalog& for_backend(Backend backend);
  // Builds a catalog from `files` (paths like "sqlite/health.sql"); files
  // under "<backend>/migrations/" and other backends' files are ignored.
  // Throws DbError on a duplicate name.
  static QueryCatalog load(Backend backend, std::span<const embedded::EmbeddedFile> files);

  // Throws DbError naming the query when it is missing.
  const std::string& get(std::string_view name) const;
  bool contains(std::string_view name) const;
  // Every query name, sorted.
  std::vector<std::string> names() const;

 private:
  struct Impl;
  explicit QueryCatalog(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

}  // namespace herald::storage

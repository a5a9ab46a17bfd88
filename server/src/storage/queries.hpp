// Named SQL queries, one catalog per backend, embedded from server/sql. A
// file holds blocks introduced by "-- name: domain.query_name"; the block
// runs until the next name line.
//
// SQL that both backends run as written lives once, in
// server/sql/common/<domain>.sql, with PostgreSQL's numbered placeholders
// ($1, $2, …); SQLite's catalog rewrites them to ?1, ?2 (SQLite would read
// "$1" as a *named* parameter, numbered by first appearance). A query whose
// SQL truly differs is written in both server/sql/sqlite/<domain>.sql and
// server/sql/postgres/<domain>.sql instead; a name may not be in both
// common/ and a backend's file.
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

// "$1" -> "?1" everywhere but in string literals, quoted identifiers and comments.
std::string to_sqlite_placeholders(std::string_view sql);
// The highest parameter number a statement uses ("?3" or "$3" -> 3); 0 for none.
int parameter_count(std::string_view sql);

class QueryCatalog {
 public:
  // Built once from the embedded files on first use; thread-safe.
  static const QueryCatalog& for_backend(Backend backend);
  // Builds a catalog from `files` (paths like "common/leads.sql",
  // "sqlite/leads.sql"); files under "<backend>/migrations/" and other
  // backends' files are ignored. Throws DbError on a duplicate name.
  static QueryCatalog load(Backend backend, std::span<const embedded::EmbeddedFile> files);

  // Throws DbError naming the query when it is missing.
  const std::string& get(std::string_view name) const;
  bool contains(std::string_view name) const;
  // The file a query came from, e.g. "common/leads.sql".
  std::string_view source(std::string_view name) const;
  // Every query name, sorted.
  std::vector<std::string> names() const;

 private:
  struct Impl;
  explicit QueryCatalog(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

}  // namespace herald::storage

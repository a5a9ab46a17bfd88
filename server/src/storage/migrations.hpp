// Versioned SQL migrations, one ordered set per backend, embedded in the binary
// from server/sql/<backend>/migrations/NNNN_name.sql — or, for a migration
// both backends run as written, once in server/sql/common/migrations/ — and
// recorded in the schema_migrations table so each is applied exactly once.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storage/database.hpp"
#include "storage/embedded.hpp"

namespace herald::storage {

struct Migration {
  int version;
  std::string name;
  std::string_view sql;
  std::string_view file = {};  // e.g. "common/migrations/0005_job_leases.sql"
};

// The embedded migrations for a backend, ordered by version.
std::vector<Migration> migrations_for(Backend backend);

// The migrations among `files` for `backend` (paths like
// "sqlite/migrations/0001_init.sql" or "common/migrations/0005_job_leases.sql"),
// ordered by version. Throws DbError for a misnamed file or a repeated version
// (a version in common/ and in a backend's folder too).
std::vector<Migration> parse_migrations(Backend backend, std::span<const embedded::EmbeddedFile> files);

struct MigrationReport {
  std::vector<Migration> applied;  // applied by this call
  int current_version = 0;         // highest version recorded after the call
};

// Applies pending migrations, each in its own transaction; safe to run from
// several processes at once (PostgreSQL advisory lock / SQLite write lock).
MigrationReport migrate(Database& db);
// The same with an explicit set of migrations, ordered by version.
MigrationReport migrate(Database& db, std::span<const Migration> migrations);

// The embedded migrations not recorded in the database yet (readiness: a
// process must not serve a schema older than its code). Applies nothing.
std::vector<Migration> pending_migrations(Database& db);

}  // namespace herald::storage

#include "storage/migrations.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <ctime>
#include <set>

#include <fmt/format.h>

#include "storage/query.hpp"

namespace herald::storage {
namespace {

const Query kCreate{"schema_migrations.create"};
const Query kApplied{"schema_migrations.applied"};
const Query kIsApplied{"schema_migrations.is_applied"};
const Query kRecord{"schema_migrations.record"};
const Query kCurrent{"schema_migrations.current"};
const Query kLock{"schema_migrations.lock"};
const Query kUnlock{"schema_migrations.unlock"};

// "0001_init.sql" -> {1, "init"}.
Migration parse_file_name(std::string_view path, std::string_view file, std::string_view sql) {
  const auto underscore = file.find('_');
  const auto digits = file.substr(0, underscore);
  int version = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), version);
  const bool ok = file.ends_with(".sql") && underscore != std::string_view::npos && ec == std::errc() &&
                  end == digits.data() + digits.size() && version > 0 && file.size() > underscore + 1 + 4 &&
                  file.find('/') == std::string_view::npos;
  if (!ok) throw DbError(fmt::format("migration file '{}' is not named NNNN_name.sql", path));
  const auto name = file.substr(underscore + 1, file.size() - underscore - 1 - 4);
  return Migration{version, std::string(name), sql, path};
}

std::string file_of(Backend backend, const Migration& m) {
  if (!m.file.empty()) return std::string(m.file);
  return fmt::format("{}/migrations/{:04d}_{}.sql", backend_name(backend), m.version, m.name);
}

std::string now_rfc3339() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buf;
}

// Serialises migrate() across processes on PostgreSQL for the whole run (an
// advisory lock). On SQLite each migration's BEGIN IMMEDIATE already excludes
// other writers, and the lock is a no-op.
class MigrationLock {
 public:
  explicit MigrationLock(Connection& conn) : conn_(conn) { conn_.execute(kLock); }
  MigrationLock(const MigrationLock&) = delete;
  MigrationLock& operator=(const MigrationLock&) = delete;
  ~MigrationLock() {
    try {
      conn_.execute(kUnlock);
    } catch (const DbError&) {
      // The server drops a session's advisory locks when the connection ends.
    }
  }

 private:
  Connection& conn_;
};

std::set<int> applied_versions(Connection& conn) {
  std::set<int> versions;
  conn.execute(kApplied, {}, [&versions](const Row& row) { versions.insert(static_cast<int>(row.integer(0))); });
  return versions;
}

// Applies one migration with its schema_migrations row; false if another
// process recorded it first.
bool apply(Connection& conn, const Migration& m) {
  Transaction tx(conn, TxMode::Write);
  // Checked again under the write lock: the earlier read was unlocked.
  bool recorded = false;
  conn.execute(kIsApplied, {std::int64_t{m.version}}, [&recorded](const Row&) { recorded = true; });
  if (recorded) return false;
  try {
    conn.execute_script(m.sql);
    const std::string applied_at = now_rfc3339();
    conn.execute(kRecord, {std::int64_t{m.version}, m.name, applied_at});
    tx.commit();
  } catch (const DbError& e) {
    throw DbError(fmt::format("migration {} failed and was rolled back: {}", file_of(conn.backend(), m), e.what()));
  }
  return true;
}

}  // namespace

std::vector<Migration> parse_migrations(Backend backend, std::span<const embedded::EmbeddedFile> files) {
  const std::string own = fmt::format("{}/migrations/", backend_name(backend));
  constexpr std::string_view common = "common/migrations/";
  std::vector<Migration> migrations;
  for (const auto& file : files) {
    const std::string_view path = file.path;
    const std::size_t prefix = path.starts_with(own) ? own.size() : path.starts_with(common) ? common.size() : 0;
    if (prefix == 0) continue;
    migrations.push_back(parse_file_name(path, path.substr(prefix), file.content));
  }
  std::ranges::sort(migrations, {}, &Migration::version);
  const auto repeated = std::ranges::adjacent_find(migrations, {}, &Migration::version);
  if (repeated != migrations.end()) {
    throw DbError(fmt::format("two {} migrations have version {}: {} and {}", backend_name(backend), repeated->version,
                              repeated->file, std::next(repeated)->file));
  }
  return migrations;
}

std::vector<Migration> migrations_for(Backend backend) { return parse_migrations(backend, embedded::sql_files()); }

MigrationReport migrate(Database& db) {
  const auto migrations = migrations_for(db.backend());
  return migrate(db, migrations);
}

MigrationReport migrate(Database& db, std::span<const Migration> migrations) {
  Lease lease = db.acquire();
  Connection& conn = *lease;
  const MigrationLock lock(conn);
  conn.execute_script(kCreate);
  const std::set<int> done = applied_versions(conn);

  MigrationReport report;
  for (const Migration& m : migrations) {
    if (!done.contains(m.version) && apply(conn, m)) report.applied.push_back(m);
  }
  conn.execute(kCurrent, {}, [&report](const Row& row) { report.current_version = static_cast<int>(row.integer(0)); });
  return report;
}

std::vector<Migration> pending_migrations(Database& db) {
  auto conn = db.acquire();
  const std::set<int> applied = applied_versions(*conn);
  std::vector<Migration> out;
  for (auto& m : migrations_for(db.backend())) {
    if (!applied.contains(m.version)) out.push_back(std::move(m));
  }
  return out;
}

}  // namespace herald::storage

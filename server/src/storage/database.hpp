// One database interface, two real backends (SQLite, PostgreSQL).
//
// Connections are leased from a pool for the duration of a unit of work and
// are used from one thread at a time. Statements are parameterised only:
// `sql` comes from the query catalog (server/sql/<backend>/*.sql) or from a
// builder that emits placeholders, never from user input.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace herald::storage {

enum class Backend { Sqlite, Postgres };

std::string_view backend_name(Backend b) noexcept;

// A bound parameter. Strings are views: the caller keeps them alive for the call.
using Param = std::variant<std::nullptr_t, std::int64_t, double, bool, std::string_view>;

// An owned copy of one value: integers (and booleans) as int64, floating
// point as double, everything else as text.
using Value = std::variant<std::nullptr_t, std::int64_t, double, std::string>;

// One result row, valid only inside the row callback. Accessors on a NULL
// value return 0, 0.0, false or an empty view on both backends; use is_null or
// the opt_* helpers for nullable columns.
class Row {
 public:
  virtual ~Row() = default;
  virtual int size() const = 0;
  virtual bool is_null(int col) const = 0;
  virtual std::int64_t integer(int col) const = 0;
  virtual double real(int col) const = 0;
  virtual bool boolean(int col) const = 0;
  // Valid until the callback returns.
  virtual std::string_view text(int col) const = 0;
  // The column's name or alias.
  virtual std::string_view name(int col) const = 0;
  // A copy typed from the column: INTEGER/BIGINT/BOOLEAN as int64, REAL/DOUBLE
  // as double, anything else (NUMERIC included, to keep its precision) as text.
  virtual Value value(int col) const = 0;

  std::string str(int col) const { return std::string(text(col)); }
  std::optional<std::string> opt_str(int col) const {
    return is_null(col) ? std::nullopt : std::optional<std::string>(str(col));
  }
  std::optional<std::int64_t> opt_integer(int col) const {
    return is_null(col) ? std::nullopt : std::optional<std::int64_t>(integer(col));
  }
};

using RowCallback = std::function<void(const Row&)>;

// An owned copy of a result, for small results.
struct Result {
  std::vector<std::string> columns;
  std::vector<std::vector<Value>> rows;
  std::int64_t affected = 0;
};

// Base of every storage failure.
class DbError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
// A UNIQUE / PRIMARY KEY constraint rejected the write.
class UniqueViolation : public DbError {
 public:
  using DbError::DbError;
};
// A FOREIGN KEY / CHECK / NOT NULL constraint rejected the write.
class ConstraintViolation : public DbError {
 public:
  using DbError::DbError;
};
// The database could not be reached, or no pooled connection became free in time.
class Unavailable : public DbError {
 public:
  using DbError::DbError;
};
// The database cannot write: its disk is full (SQLite SQLITE_FULL or ENOSPC,
// PostgreSQL 53100 disk_full) or it ran out of memory (SQLITE_NOMEM,
// PostgreSQL 53200). Reads still work. `cause()` says which, e.g. "the disk is full".
class StorageFull : public DbError {
 public:
  StorageFull(std::string cause, const std::string& message)
      : DbError("the database cannot write: " + cause + " (" + message + ")"), cause_(std::move(cause)) {}
  const std::string& cause() const noexcept { return cause_; }

 private:
  std::string cause_;
};
// The database accepts no writes: a read-only file or mount (SQLITE_READONLY)
// or a read-only PostgreSQL server (25006, a standby).
class ReadOnly : public DbError {
 public:
  using DbError::DbError;
};

// The last write a database refused for lack of space or memory, or because
// it is read-only. Its connections record here; the health check reads it.
class WriteTrouble {
 public:
  struct Event {
    std::string reason;  // "the database cannot write: the disk is full"
    std::chrono::system_clock::time_point at;
  };
  void record(std::string reason) noexcept;
  // The last event at or after `since`, if any.
  std::optional<Event> since(std::chrono::system_clock::time_point since) const;

 private:
  mutable std::mutex mutex_;
  std::optional<Event> last_;
};

enum class TxMode { Read, Write };

class Query;  // a named query from server/sql (storage/query.hpp)

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Backend backend() const noexcept = 0;

  // Runs one parameterised statement; calls on_row for each row it returns.
  // Returns the number of rows changed (INSERT/UPDATE/DELETE) or returned.
  // Prepared statements are cached per connection, keyed by the SQL text.
  virtual std::int64_t execute(std::string_view sql, std::span<const Param> params, const RowCallback& on_row = {}) = 0;

  // Runs a script of several statements without parameters (migrations).
  virtual void execute_script(std::string_view sql) = 0;

  virtual void begin(TxMode mode) = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;

  // False once the connection failed at the transport level or is left inside
  // a transaction; the pool then closes it instead of lending it again.
  virtual bool reusable() const noexcept = 0;

  // Placeholder for the n-th (1-based) parameter: "?1" on SQLite, "$1" on PostgreSQL.
  std::string placeholder(int n) const;

  // A named query, with this connection's backend's SQL.
  std::int64_t execute(const Query& query, std::span<const Param> params, const RowCallback& on_row = {});
  std::int64_t execute(const Query& query, std::initializer_list<Param> params = {}, const RowCallback& on_row = {}) {
    return execute(query, std::span<const Param>(params.begin(), params.size()), on_row);
  }
  void execute_script(const Query& query);

  // Convenience wrappers.
  std::int64_t execute(std::string_view sql, std::initializer_list<Param> params = {}, const RowCallback& on_row = {}) {
    return execute(sql, std::span<const Param>(params.begin(), params.size()), on_row);
  }
  Result query(std::string_view sql, std::span<const Param> params);
  Result query(std::string_view sql, std::initializer_list<Param> params = {}) {
    return query(sql, std::span<const Param>(params.begin(), params.size()));
  }
};

class Database;
namespace detail {
struct ConnectionPool;
}

// A connection leased from the pool; returned on destruction. A lease may
// outlive its Database: the pool it returns to is shared.
class Lease {
 public:
  Lease(Database* db, std::unique_ptr<Connection> conn);
  Lease(Lease&&) noexcept = default;
  Lease& operator=(Lease&&) = delete;
  Lease(const Lease&) = delete;
  ~Lease();
  Connection* operator->() const noexcept { return conn_.get(); }
  Connection& operator*() const noexcept { return *conn_; }
  // Drop a connection that failed at the transport level instead of pooling it again.
  void discard() noexcept { broken_ = true; }

 private:
  std::shared_ptr<detail::ConnectionPool> pool_;
  std::unique_ptr<Connection> conn_;
  bool broken_ = false;
};

// The pool's state and what waiting for it has cost, for /metrics.
struct PoolStats {
  std::size_t capacity = 0;
  std::size_t open = 0;  // idle + leased + being opened
  std::size_t idle = 0;
  std::uint64_t acquired = 0;             // leases handed out since start
  std::uint64_t waited = 0;               // of those, how many had to wait for a free connection
  std::chrono::nanoseconds wait_time{0};  // total time those waited
  std::uint64_t timeouts = 0;             // acquire() calls that gave up (Unavailable)
  std::size_t in_use() const noexcept { return open - idle; }
};

struct DatabaseOptions {
  std::size_t pool_size = 8;
  std::chrono::milliseconds acquire_timeout{5000};
  std::chrono::milliseconds busy_timeout{5000};  // SQLite: wait for the writer lock
};

class Database {
 public:
  virtual ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  virtual Backend backend() const noexcept = 0;
  // A human-readable location with any password removed.
  virtual std::string describe() const = 0;

  // Blocks up to acquire_timeout for a free connection; throws Unavailable.
  Lease acquire();
  PoolStats pool_stats() const;

  // Writes this database refused lately (disk full, read-only), for the health report.
  const WriteTrouble& write_trouble() const noexcept { return *trouble_; }

 protected:
  explicit Database(DatabaseOptions opts);
  virtual std::unique_ptr<Connection> connect() = 0;
  const DatabaseOptions& options() const noexcept { return opts_; }
  // Handed to each connection, which records the writes it could not make.
  const std::shared_ptr<WriteTrouble>& trouble() const noexcept { return trouble_; }

 private:
  friend class Lease;
  DatabaseOptions opts_;
  std::shared_ptr<detail::ConnectionPool> pool_;
  std::shared_ptr<WriteTrouble> trouble_ = std::make_shared<WriteTrouble>();
};

// Opens "sqlite:///abs/path.db", "sqlite://relative.db" or "postgresql://user:pass@host:port/db".
// Creates a SQLite file's missing parent directories. Opens one connection
// before returning, so a malformed URL throws DbError and an unreachable
// database throws Unavailable here rather than on first use.
std::unique_ptr<Database> open_database(std::string_view url, const DatabaseOptions& opts = {});

// Commits on commit(), rolls back on destruction otherwise.
class Transaction {
 public:
  Transaction(Connection& conn, TxMode mode) : conn_(conn) { conn_.begin(mode); }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction() {
    if (!done_) {
      try {
        conn_.rollback();
      } catch (...) {
      }
    }
  }
  void commit() {
    conn_.commit();
    done_ = true;
  }

 private:
  Connection& conn_;
  bool done_ = false;
};

}  // namespace herald::storage

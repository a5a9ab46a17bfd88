// SQLite backend: one sqlite3 handle per pooled connection, WAL mode so
// readers never block the single writer, and a per-connection cache of
// persistent prepared statements.
#include <sqlite3.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>
#include <type_traits>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "storage/backends.hpp"
#include "storage/statement_cache.hpp"

namespace herald::storage {
namespace {

// Tuned for a web server sharing the file with workers: NORMAL sync is safe
// in WAL mode (a power loss may drop the last commits, never corrupt), and a
// memory-mapped read path makes hot page reads syscall-free.
constexpr std::string_view kConnectionPragmas =
    "PRAGMA synchronous=NORMAL;"
    "PRAGMA foreign_keys=ON;"
    "PRAGMA temp_store=MEMORY;"
    "PRAGMA cache_size=-16000;"  // KiB, per connection
    "PRAGMA mmap_size=268435456;";

using StatementPtr = std::shared_ptr<sqlite3_stmt>;

struct CloseDatabase {
  void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};

// Leaves a statement ready for its next use, also when a row callback throws.
struct ResetOnExit {
  sqlite3_stmt* stmt;
  ~ResetOnExit() {
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
  }
};

std::string_view sql_head(std::string_view sql) {
  constexpr std::size_t kMax = 120;
  return sql.size() <= kMax ? sql : sql.substr(0, kMax);
}

class SqliteRow final : public Row {
 public:
  explicit SqliteRow(sqlite3_stmt* stmt) : stmt_(stmt), size_(sqlite3_column_count(stmt)) {}

  int size() const override { return size_; }
  bool is_null(int col) const override { return sqlite3_column_type(stmt_, checked(col)) == SQLITE_NULL; }
  std::int64_t integer(int col) const override { return sqlite3_column_int64(stmt_, checked(col)); }
  double real(int col) const override { return sqlite3_column_double(stmt_, checked(col)); }
  bool boolean(int col) const override { return integer(col) != 0; }
  std::string_view text(int col) const override {
    const auto* data = sqlite3_column_text(stmt_, checked(col));
    if (data == nullptr) return {};
    return {reinterpret_cast<const char*>(data), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))};
  }
  std::string_view name(int col) const override { return sqlite3_column_name(stmt_, checked(col)); }
  Value value(int col) const override {
    switch (sqlite3_column_type(stmt_, checked(col))) {
      case SQLITE_NULL:
        return nullptr;
      case SQLITE_INTEGER:
        return sqlite3_column_int64(stmt_, col);
      case SQLITE_FLOAT:
        return sqlite3_column_double(stmt_, col);
      default:
        return std::string(text(col));
    }
  }

 private:
  int checked(int col) const {
    if (col < 0 || col >= size_) throw DbError(fmt::format("column {} out of range (row has {})", col, size_));
    return col;
  }
  sqlite3_stmt* stmt_;
  int size_;
};

// One writer at a time within the process. SQLite has a single writer lock;
// a writer that finds it taken sleeps in the busy handler (1, 2, 5, 10 … 100
// ms steps) and does not notice when it is released, so with many writing
// threads (the sending threads' claims and group commits, the job queue) the
// lock sat free while they slept. Here a writer waits for the one before it
// and is woken the moment that one commits. Other processes on the same file
// still meet SQLite's busy handler; a thread that already holds the gate
// (a write on a second connection from inside a transaction) or waits longer
// than the busy timeout goes straight to SQLite, which decides as before.
class WriterGate {
 public:
  bool enter(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    if (busy_ && owner_ == std::this_thread::get_id()) return false;
    if (!free_.wait_for(lock, timeout, [this] { return !busy_; })) return false;
    busy_ = true;
    owner_ = std::this_thread::get_id();
    return true;
  }
  void leave() {
    {
      std::lock_guard lock(mutex_);
      busy_ = false;
      owner_ = {};
    }
    free_.notify_one();
  }

 private:
  std::mutex mutex_;
  std::condition_variable free_;
  bool busy_ = false;
  std::thread::id owner_;
};

class SqliteConnection final : public Connection {
 public:
  SqliteConnection(const std::filesystem::path& path, std::chrono::milliseconds busy_timeout,
                   std::shared_ptr<WriteTrouble> trouble, std::shared_ptr<WriterGate> gate)
      : busy_timeout_(busy_timeout), trouble_(std::move(trouble)), gate_(std::move(gate)) {
    sqlite3* raw = nullptr;
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    db_.reset(raw);
    if (rc != SQLITE_OK) {
      throw Unavailable(fmt::format("cannot open sqlite database '{}': {}", path.string(),
                                    raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
    }
    sqlite3_extended_result_codes(db(), 1);
    sqlite3_busy_timeout(db(), static_cast<int>(busy_timeout.count()));
    enable_wal(path);
    execute_script(kConnectionPragmas);
  }

  ~SqliteConnection() override {
    // Finalize cached statements before the handle closes.
    cache_.clear();
    db_.reset();  // an open transaction ends with the handle
    leave_gate();
  }

  Backend backend() const noexcept override { return Backend::Sqlite; }

  using Connection::execute;
  std::int64_t execute(std::string_view sql, std::span<const Param> params, const RowCallback& on_row) override {
    const StatementPtr stmt = statement(sql);
    // A write outside a transaction holds the gate while it runs (declared
    // before `reset`, so the statement is reset, its lock released, first).
    struct Autocommit {
      SqliteConnection* self;
      bool entered = false;
      ~Autocommit() {
        if (entered) self->leave_gate();
      }
    } autocommit{this};
    if (!in_gate_ && sqlite3_get_autocommit(db()) != 0 && sqlite3_stmt_readonly(stmt.get()) == 0)
      autocommit.entered = enter_gate();
    const ResetOnExit reset{stmt.get()};
    bind(stmt.get(), params);
    const auto changes_before = sqlite3_total_changes64(db());
    std::int64_t rows = 0;
    for (int rc = sqlite3_step(stmt.get()); rc != SQLITE_DONE; rc = sqlite3_step(stmt.get())) {
      if (rc != SQLITE_ROW) fail(rc);
      ++rows;
      if (on_row) on_row(SqliteRow(stmt.get()));
    }
    if (sqlite3_column_count(stmt.get()) > 0) return rows;
    // sqlite3_changes keeps the count of the last INSERT/UPDATE/DELETE, so a
    // DDL statement would report a stale number without this check.
    return sqlite3_total_changes64(db()) == changes_before ? 0 : sqlite3_changes64(db());
  }

  void execute_script(std::string_view sql) override {
    const std::string script(sql);
    char* message = nullptr;
    const int rc = sqlite3_exec(db(), script.c_str(), nullptr, nullptr, &message);
    sqlite3_free(message);  // sqlite3_errmsg holds the same text
    if (rc != SQLITE_OK) fail(rc);
  }

  void begin(TxMode mode) override {
    // IMMEDIATE takes the writer lock up front (waiting up to busy_timeout);
    // a deferred transaction that upgrades later fails instantly on contention.
    if (mode != TxMode::Write) {
      execute("BEGIN");
      return;
    }
    enter_gate();
    try {
      execute("BEGIN IMMEDIATE");
    } catch (...) {
      leave_gate();
      throw;
    }
  }
  void commit() override {
    try {
      execute("COMMIT");
    } catch (...) {
      if (sqlite3_get_autocommit(db()) != 0) leave_gate();  // the transaction is over anyway
      throw;
    }
    leave_gate();
  }
  void rollback() override {
    // Some errors (SQLITE_FULL, SQLITE_IOERR, ...) already rolled back.
    if (sqlite3_get_autocommit(db()) == 0) {
      try {
        execute("ROLLBACK");
      } catch (...) {
        if (sqlite3_get_autocommit(db()) != 0) leave_gate();
        throw;
      }
    }
    leave_gate();
  }

  bool reusable() const noexcept override { return sqlite3_get_autocommit(db()) != 0; }

 private:
  sqlite3* db() const noexcept { return db_.get(); }

  bool enter_gate() {
    if (in_gate_ || !gate_) return false;
    in_gate_ = gate_->enter(busy_timeout_);
    return in_gate_;
  }
  void leave_gate() noexcept {
    if (!in_gate_) return;
    in_gate_ = false;
    gate_->leave();
  }

  void enable_wal(const std::filesystem::path& path) {
    // Turning a new database to WAL needs an exclusive lock, and SQLite answers
    // SQLITE_BUSY at once, without the busy handler, while another connection
    // is opening the same file: several processes (or a pool) starting
    // together. So retry until the busy timeout, as the handler would.
    const auto deadline = std::chrono::steady_clock::now() + busy_timeout_;
    std::string mode;
    for (;;) {
      char* message = nullptr;
      const int rc = sqlite3_exec(
          db(), "PRAGMA journal_mode=WAL",
          [](void* out, int columns, char** values, char**) {
            if (columns > 0 && values[0] != nullptr) *static_cast<std::string*>(out) = values[0];
            return 0;
          },
          &mode, &message);
      sqlite3_free(message);
      if (rc == SQLITE_OK) break;
      if ((rc & 0xff) != SQLITE_BUSY || std::chrono::steady_clock::now() >= deadline) fail(rc);
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (mode != "wal") {
      spdlog::warn("sqlite database '{}' runs in journal mode '{}', not WAL: readers will block writers", path.string(),
                   mode);
    }
  }

  StatementPtr statement(std::string_view sql) {
    if (StatementPtr* cached = cache_.find(sql)) {
      // Still stepping in an outer execute() (a query issued from a row
      // callback): reusing it would clobber that iteration, so use a fresh one.
      if (cached->use_count() == 1) return *cached;
      return prepare(sql, 0);
    }
    StatementPtr stmt = prepare(sql, SQLITE_PREPARE_PERSISTENT);
    // An evicted statement still running in an outer frame stays alive
    // through that frame's reference.
    cache_.make_room();
    cache_.insert(sql, stmt);
    return stmt;
  }

  StatementPtr prepare(std::string_view sql, unsigned flags) {
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    const int rc = sqlite3_prepare_v3(db(), sql.data(), static_cast<int>(sql.size()), flags, &raw, &tail);
    StatementPtr stmt(raw, sqlite3_finalize);
    if (rc != SQLITE_OK) fail(rc, sql);
    if (!stmt) throw DbError(fmt::format("sqlite: empty statement: {}", sql_head(sql)));
    if (has_statement(sql.substr(static_cast<std::size_t>(tail - sql.data())))) {
      throw DbError(
          fmt::format("sqlite: execute() runs one statement, use execute_script() for several: {}", sql_head(sql)));
    }
    return stmt;
  }

  // True if `sql` holds more than whitespace and comments.
  bool has_statement(std::string_view sql) const {
    if (sql.find_first_not_of(" \t\r\n;") == std::string_view::npos) return false;
    sqlite3_stmt* raw = nullptr;
    sqlite3_prepare_v2(db(), sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
    sqlite3_finalize(raw);
    return raw != nullptr;
  }

  void bind(sqlite3_stmt* stmt, std::span<const Param> params) {
    const int expected = sqlite3_bind_parameter_count(stmt);
    if (expected != static_cast<int>(params.size())) {
      throw DbError(fmt::format("sqlite: statement expects {} parameters, got {}: {}", expected, params.size(),
                                sql_head(sqlite3_sql(stmt))));
    }
    for (int i = 0; i < expected; ++i) {
      const int rc = std::visit([&](const auto& v) { return bind_one(stmt, i + 1, v); }, params[i]);
      if (rc != SQLITE_OK) fail(rc);
    }
  }

  template <typename T>
  static int bind_one(sqlite3_stmt* stmt, int index, const T& v) {
    if constexpr (std::is_same_v<T, std::nullptr_t>) {
      return sqlite3_bind_null(stmt, index);
    } else if constexpr (std::is_same_v<T, std::int64_t>) {
      return sqlite3_bind_int64(stmt, index, v);
    } else if constexpr (std::is_same_v<T, double>) {
      return sqlite3_bind_double(stmt, index, v);
    } else if constexpr (std::is_same_v<T, bool>) {
      return sqlite3_bind_int(stmt, index, v ? 1 : 0);
    } else {
      static_assert(std::is_same_v<T, std::string_view>);
      // A null data pointer would bind SQL NULL instead of an empty string.
      // SQLITE_STATIC: the caller keeps the text alive until execute() returns.
      const char* data = v.data() != nullptr ? v.data() : "";
      return sqlite3_bind_text64(stmt, index, data, v.size(), SQLITE_STATIC, SQLITE_UTF8);
    }
  }

  [[noreturn]] void fail(int rc, std::string_view sql = {}) const {
    std::string message = fmt::format("sqlite: {}", sqlite3_errmsg(db()));
    if (!sql.empty()) message += fmt::format(" in: {}", sql_head(sql));
    switch (rc & 0xff) {
      case SQLITE_CONSTRAINT:
        if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) throw UniqueViolation(message);
        throw ConstraintViolation(message);
      case SQLITE_BUSY:
        if (rc == SQLITE_BUSY_SNAPSHOT) {
          throw DbError(
              "sqlite: a read transaction tried to write after another writer committed; "
              "begin it with TxMode::Write");
        }
        [[fallthrough]];
      case SQLITE_LOCKED:
        throw DbError(
            fmt::format("sqlite: database is locked (gave up after the {} ms busy timeout)", busy_timeout_.count()));
      case SQLITE_FULL:
        cannot_write("the disk is full", message);
      case SQLITE_NOMEM:
        cannot_write("out of memory", message);
      case SQLITE_READONLY:
        trouble_->record("the database is read-only");
        throw ReadOnly(message);
      case SQLITE_IOERR: {
        // Some paths report a full disk as an I/O error; the system error says so.
        const int os_error = sqlite3_system_errno(db());
        if (os_error == ENOSPC || os_error == EDQUOT) cannot_write("the disk is full", message);
        if (rc == SQLITE_IOERR_NOMEM) cannot_write("out of memory", message);
        throw DbError(message);
      }
      default:
        throw DbError(message);
    }
  }

  [[noreturn]] void cannot_write(std::string cause, const std::string& message) const {
    StorageFull error(std::move(cause), message);
    trouble_->record("the database cannot write: " + error.cause());
    throw error;
  }

  std::unique_ptr<sqlite3, CloseDatabase> db_;
  std::chrono::milliseconds busy_timeout_;
  std::shared_ptr<WriteTrouble> trouble_;
  std::shared_ptr<WriterGate> gate_;
  bool in_gate_ = false;  // this connection holds the process's writer gate
  StatementCache<StatementPtr> cache_;
};

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::filesystem::path path, const DatabaseOptions& opts) : Database(opts), path_(std::move(path)) {}

  Backend backend() const noexcept override { return Backend::Sqlite; }
  std::string describe() const override { return "sqlite://" + path_.string(); }

 protected:
  std::unique_ptr<Connection> connect() override {
    return std::make_unique<SqliteConnection>(path_, options().busy_timeout, trouble(), gate_);
  }

 private:
  std::filesystem::path path_;
  std::shared_ptr<WriterGate> gate_ = std::make_shared<WriterGate>();
};

}  // namespace

std::unique_ptr<Database> make_sqlite_database(std::filesystem::path path, const DatabaseOptions& opts) {
  return std::make_unique<SqliteDatabase>(std::move(path), opts);
}

}  // namespace herald::storage

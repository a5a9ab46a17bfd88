// PostgreSQL backend over blocking libpq: one PGconn per pooled connection,
// server-side prepared statements cached by SQL text, results streamed row by
// row (single-row mode) so a million-row export runs in flat memory.
#include <libpq-fe.h>

#include <cctype>
#include <charconv>
#include <exception>
#include <type_traits>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "storage/backends.hpp"
#include "storage/database_url.hpp"
#include "storage/statement_cache.hpp"

namespace herald::storage {
namespace {

// Type OIDs from pg_type.h, which libpq-dev does not install.
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kOidOid = 26;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;

// feature_not_supported, the code of "cached plan must not change result type".
constexpr std::string_view kStalePlan = "0A000";

struct ClearResult {
  void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ClearResult>;

struct FinishConnection {
  void operator()(PGconn* c) const noexcept { PQfinish(c); }
};

std::string trimmed(const char* message) {
  std::string s = message != nullptr ? message : "";
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  return s;
}

std::string_view sql_head(std::string_view sql) {
  constexpr std::size_t kMax = 120;
  return sql.size() <= kMax ? sql : sql.substr(0, kMax);
}

void log_notice(void*, const char* message) { spdlog::debug("postgres: {}", trimmed(message)); }

class PgRow final : public Row {
 public:
  explicit PgRow(const PGresult* res) : res_(res), size_(PQnfields(res)) {}

  int size() const override { return size_; }
  bool is_null(int col) const override { return PQgetisnull(res_, 0, checked(col)) != 0; }
  std::string_view text(int col) const override {
    return {PQgetvalue(res_, 0, checked(col)), static_cast<std::size_t>(PQgetlength(res_, 0, col))};
  }
  std::string_view name(int col) const override { return PQfname(res_, checked(col)); }

  std::int64_t integer(int col) const override {
    if (is_null(col)) return 0;
    const std::string_view s = text(col);
    if (PQftype(res_, col) == kBoolOid) return s == "t" ? 1 : 0;
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size()) throw not_a(col, "an integer");
    return v;
  }
  double real(int col) const override {
    if (is_null(col)) return 0.0;
    const std::string_view s = text(col);
    double v = 0.0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size()) throw not_a(col, "a number");
    return v;
  }
  bool boolean(int col) const override {
    const std::string_view s = text(col);
    return s == "t" || s == "true" || s == "1";
  }

  Value value(int col) const override {
    if (is_null(col)) return nullptr;
    switch (PQftype(res_, col)) {
      case kBoolOid:
      case kInt2Oid:
      case kInt4Oid:
      case kInt8Oid:
      case kOidOid:
        return integer(col);
      case kFloat4Oid:
      case kFloat8Oid:
        return real(col);
      default:
        return std::string(text(col));
    }
  }

 private:
  int checked(int col) const {
    if (col < 0 || col >= size_) throw DbError(fmt::format("column {} out of range (row has {})", col, size_));
    return col;
  }
  // The value itself stays out of the message: it may be personal data.
  DbError not_a(int col, std::string_view what) const {
    return DbError(
        fmt::format("postgres: column '{}' (type oid {}) is not {}", PQfname(res_, col), PQftype(res_, col), what));
  }

  const PGresult* res_;
  int size_;
};

// Parameters in libpq's text format; owns the strings the pointers refer to.
class TextParams {
 public:
  explicit TextParams(std::span<const Param> params) {
    // Reserved up front: growing would move the strings and dangle the pointers.
    storage_.reserve(params.size());
    values_.reserve(params.size());
    for (const Param& p : params) {
      values_.push_back(std::visit([this](const auto& v) { return encode(v); }, p));
    }
  }
  int count() const noexcept { return static_cast<int>(values_.size()); }
  const char* const* values() const noexcept { return values_.data(); }

 private:
  const char* encode(std::nullptr_t) { return nullptr; }
  const char* encode(bool v) { return v ? "true" : "false"; }
  const char* encode(std::int64_t v) { return keep(fmt::format("{}", v)); }
  const char* encode(double v) {
    // Shortest text that reads back as the same double, independent of locale.
    char buf[32];
    const auto result = std::to_chars(buf, buf + sizeof buf, v);
    return keep(std::string(buf, result.ptr));
  }
  const char* encode(std::string_view v) {
    // Text parameters are C strings: a NUL would silently truncate the value.
    if (v.find('\0') != std::string_view::npos) throw DbError("postgres: text parameter contains a NUL byte");
    return keep(std::string(v));
  }
  const char* keep(std::string s) {
    storage_.push_back(std::move(s));
    return storage_.back().c_str();
  }

  std::vector<std::string> storage_;
  std::vector<const char*> values_;
};

class PgConnection final : public Connection {
 public:
  PgConnection(const std::string& url, const std::string& described, std::shared_ptr<WriteTrouble> trouble)
      : trouble_(std::move(trouble)) {
    // Defaults first: settings in the URL (expanded at "dbname") override them.
    const char* const keys[] = {"application_name", "connect_timeout", "client_encoding", "dbname", nullptr};
    const char* const values[] = {"herald", "5", "UTF8", url.c_str(), nullptr};
    conn_.reset(PQconnectdbParams(keys, values, 1));
    if (!conn_) throw Unavailable("postgres: out of memory while connecting");
    if (PQstatus(conn()) != CONNECTION_OK) {
      throw Unavailable(fmt::format("cannot connect to PostgreSQL at {}: {}", described,
                                    scrub_secrets(trimmed(PQerrorMessage(conn())), url)));
    }
    PQsetNoticeProcessor(conn(), log_notice, nullptr);
  }

  Backend backend() const noexcept override { return Backend::Postgres; }

  using Connection::execute;
  std::int64_t execute(std::string_view sql, std::span<const Param> params, const RowCallback& on_row) override {
    ensure_idle();
    const TextParams text(params);
    const bool in_transaction = PQtransactionStatus(conn()) != PQTRANS_IDLE;
    try {
      return run(sql, text, on_row);
    } catch (const DbError&) {
      if (!stale_plan_) throw;
      // A migration changed a table after this connection prepared the
      // statement (another instance upgraded during a rolling deploy).
      // Prepare it again; the error came before any row was delivered.
      forget(sql);
      if (in_transaction) throw;  // the transaction is aborted either way
      return run(sql, text, on_row);
    }
  }

  void execute_script(std::string_view sql) override {
    ensure_idle();
    const ResultPtr res(PQexec(conn(), std::string(sql).c_str()));
    const auto status = PQresultStatus(res.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY) fail(res.get());
  }

  void begin(TxMode) override { execute_script("BEGIN"); }

  void commit() override {
    // COMMIT of an aborted transaction "succeeds" as a rollback; say so.
    if (PQtransactionStatus(conn()) == PQTRANS_INERROR) {
      execute_script("ROLLBACK");
      throw DbError("postgres: the transaction was aborted by an earlier error and has been rolled back");
    }
    execute_script("COMMIT");
  }

  void rollback() override {
    if (PQtransactionStatus(conn()) == PQTRANS_IDLE) return;
    execute_script("ROLLBACK");
  }

  bool reusable() const noexcept override {
    return !broken_ && PQstatus(conn()) == CONNECTION_OK && PQtransactionStatus(conn()) == PQTRANS_IDLE;
  }

 private:
  PGconn* conn() const noexcept { return conn_.get(); }

  void ensure_idle() const {
    if (streaming_) {
      throw DbError(
          "postgres: cannot run a statement from a row callback on the same connection; "
          "collect the rows first or use another connection");
    }
  }

  std::int64_t run(std::string_view sql, const TextParams& text, const RowCallback& on_row) {
    stale_plan_ = false;
    const std::string& name = prepared(sql);
    if (PQsendQueryPrepared(conn(), name.c_str(), text.count(), text.values(), nullptr, nullptr, 0) == 0) {
      fail(nullptr);
    }
    PQsetSingleRowMode(conn());
    return collect(on_row);
  }

  const std::string& prepared(std::string_view sql) {
    if (const std::string* name = cache_.find(sql)) return *name;
    if (auto evicted = cache_.make_room()) deallocate(*evicted);
    std::string name = fmt::format("s{}", ++statements_prepared_);
    const ResultPtr res(PQprepare(conn(), name.c_str(), std::string(sql).c_str(), 0, nullptr));
    if (PQresultStatus(res.get()) != PGRES_COMMAND_OK) fail(res.get(), sql);
    return cache_.insert(sql, std::move(name));
  }

  void forget(std::string_view sql) {
    if (const std::string* name = cache_.find(sql)) {
      const std::string copy = *name;
      cache_.erase(sql);
      deallocate(copy);
    }
  }

  void deallocate(const std::string& name) {
    // A failure (inside an aborted transaction) only leaves an unused
    // statement on the server until the connection closes; names never repeat.
    const ResultPtr res(PQexec(conn(), fmt::format("DEALLOCATE {}", name).c_str()));
    if (PQstatus(conn()) != CONNECTION_OK) fail(res.get());
  }

  // Reads every result of the statement just sent. libpq must see them all
  // before the connection can run anything else, even after an error.
  std::int64_t collect(const RowCallback& on_row) {
    streaming_ = true;
    std::int64_t rows = 0;
    std::int64_t affected = 0;
    bool returned_rows = false;
    ResultPtr error;
    std::exception_ptr callback_error;
    while (PGresult* raw = PQgetResult(conn())) {
      ResultPtr res(raw);
      switch (PQresultStatus(raw)) {
        case PGRES_SINGLE_TUPLE:
          ++rows;
          if (on_row && !callback_error) callback_error = deliver(on_row, raw);
          break;
        case PGRES_TUPLES_OK:
          returned_rows = true;
          break;
        case PGRES_COMMAND_OK:
          affected = parse_count(PQcmdTuples(raw));
          break;
        default:
          if (!error) error = std::move(res);
          break;
      }
    }
    streaming_ = false;
    if (callback_error) std::rethrow_exception(callback_error);
    if (error || PQstatus(conn()) != CONNECTION_OK) fail(error.get());
    return returned_rows ? rows : affected;
  }

  std::exception_ptr deliver(const RowCallback& on_row, const PGresult* res) noexcept {
    try {
      on_row(PgRow(res));
      return nullptr;
    } catch (...) {
      // Stop the server from sending the rest of a large result we would only discard.
      cancel();
      return std::current_exception();
    }
  }

  void cancel() noexcept {
    PGcancel* handle = PQgetCancel(conn());
    if (handle == nullptr) return;
    char message[256];
    PQcancel(handle, message, sizeof message);
    PQfreeCancel(handle);
  }

  static std::int64_t parse_count(const char* text) {
    std::int64_t n = 0;
    const std::string_view s = text != nullptr ? text : "";
    std::from_chars(s.data(), s.data() + s.size(), n);
    return n;
  }

  [[noreturn]] void fail(const PGresult* res, std::string_view sql = {}) {
    const char* state = res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    const char* primary = res != nullptr ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    const std::string_view code = state != nullptr ? state : "";
    std::string message =
        fmt::format("postgres: {}", primary != nullptr ? std::string(primary) : trimmed(PQerrorMessage(conn())));
    stale_plan_ = code == kStalePlan && message.find("cached plan") != std::string::npos;
    if (!code.empty()) message += fmt::format(" (SQLSTATE {})", code);
    if (!sql.empty()) message += fmt::format(" in: {}", sql_head(sql));
    // Class 08 is a connection exception; 57P01-03 mean the server is going away.
    if (PQstatus(conn()) != CONNECTION_OK || code.starts_with("08") || code == "57P01" || code == "57P02" ||
        code == "57P03") {
      broken_ = true;
      throw Unavailable(message);
    }
    if (code == "23505") throw UniqueViolation(message);
    if (code.starts_with("23")) throw ConstraintViolation(message);
    // Class 53 is insufficient resources: 53100 disk_full, 53200 out_of_memory.
    if (code == "53100" || code == "53200") {
      StorageFull error(code == "53100" ? "the disk is full" : "out of memory", message);
      trouble_->record("the database cannot write: " + error.cause());
      throw error;
    }
    if (code == "25006") {  // read_only_sql_transaction: a standby, or default_transaction_read_only
      trouble_->record("the database is read-only");
      throw ReadOnly(message);
    }
    throw DbError(message);
  }

  std::shared_ptr<WriteTrouble> trouble_;
  std::unique_ptr<PGconn, FinishConnection> conn_;
  StatementCache<std::string> cache_;  // SQL text -> server-side statement name
  std::uint64_t statements_prepared_ = 0;
  bool stale_plan_ = false;  // the last error was "cached plan must not change result type"
  bool streaming_ = false;
  bool broken_ = false;
};

class PgDatabase final : public Database {
 public:
  PgDatabase(std::string url, const DatabaseOptions& opts)
      : Database(opts), url_(std::move(url)), described_(redact_url(url_)) {}

  Backend backend() const noexcept override { return Backend::Postgres; }
  std::string describe() const override { return described_; }

 protected:
  std::unique_ptr<Connection> connect() override { return std::make_unique<PgConnection>(url_, described_, trouble()); }

 private:
  std::string url_;
  std::string described_;
};

// Rejects a URL libpq cannot parse before any connection is attempted.
void validate_url(const std::string& url) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  if (options != nullptr) {
    PQconninfoFree(options);
    return;
  }
  const std::string reason = error != nullptr ? trimmed(error) : "out of memory";
  PQfreemem(error);
  throw DbError(fmt::format("invalid PostgreSQL URL '{}': {}", redact_url(url), scrub_secrets(reason, url)));
}

}  // namespace

std::unique_ptr<Database> make_postgres_database(std::string url, const DatabaseOptions& opts) {
  validate_url(url);
  return std::make_unique<PgDatabase>(std::move(url), opts);
}

}  // namespace herald::storage

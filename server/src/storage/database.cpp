#include "storage/database.hpp"

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <system_error>

#include <fmt/format.h>

#include "storage/backends.hpp"
#include "storage/database_url.hpp"

namespace herald::storage {

std::string_view backend_name(Backend b) noexcept {
  switch (b) {
    case Backend::Sqlite:
      return "sqlite";
    case Backend::Postgres:
      return "postgres";
  }
  return "unknown";
}

std::string Connection::placeholder(int n) const {
  return fmt::format("{}{}", backend() == Backend::Sqlite ? '?' : '$', n);
}

Result Connection::query(std::string_view sql, std::span<const Param> params) {
  Result result;
  result.affected = execute(sql, params, [&result](const Row& row) {
    if (result.columns.empty()) {
      for (int i = 0; i < row.size(); ++i) result.columns.emplace_back(row.name(i));
    }
    std::vector<Value> values;
    values.reserve(static_cast<std::size_t>(row.size()));
    for (int i = 0; i < row.size(); ++i) values.push_back(row.value(i));
    result.rows.push_back(std::move(values));
  });
  return result;
}

void WriteTrouble::record(std::string reason) noexcept {
  try {
    std::lock_guard lock(mutex_);
    last_ = Event{std::move(reason), std::chrono::system_clock::now()};
  } catch (...) {
    // Out of memory while noting that the database is out of space: nothing to add.
  }
}

std::optional<WriteTrouble::Event> WriteTrouble::since(std::chrono::system_clock::time_point since) const {
  std::lock_guard lock(mutex_);
  if (last_ && last_->at >= since) return last_;
  return std::nullopt;
}

// ---- pool -------------------------------------------------------------------

namespace detail {

// Shared by the Database and its leases, so a lease returned after the
// Database is gone still has somewhere safe to go.
struct ConnectionPool {
  std::mutex mutex;
  std::condition_variable freed;
  std::vector<std::unique_ptr<Connection>> idle;  // most recently returned last
  std::size_t open = 0;                           // idle + leased + being opened
  std::size_t capacity = 1;
  bool closed = false;
  std::uint64_t acquired = 0;
  std::uint64_t waited = 0;
  std::chrono::nanoseconds wait_time{0};
  std::uint64_t timeouts = 0;

  void give_back(std::unique_ptr<Connection> conn, bool broken) noexcept {
    std::unique_ptr<Connection> to_close;
    {
      std::lock_guard lock(mutex);
      if (broken || closed || !conn->reusable()) {
        to_close = std::move(conn);
        --open;
      } else {
        idle.push_back(std::move(conn));
      }
    }
    freed.notify_one();
    // Closing may do network I/O (PostgreSQL terminate message): outside the lock.
    to_close.reset();
  }

  void forget_slot() noexcept {
    {
      std::lock_guard lock(mutex);
      --open;
    }
    freed.notify_one();
  }
};

}  // namespace detail

Lease::Lease(Database* db, std::unique_ptr<Connection> conn)
    : pool_(db != nullptr ? db->pool_ : nullptr), conn_(std::move(conn)) {}

Lease::~Lease() {
  if (!conn_) return;  // moved from
  if (pool_) {
    pool_->give_back(std::move(conn_), broken_);
  }
}

Database::Database(DatabaseOptions opts) : opts_(opts), pool_(std::make_shared<detail::ConnectionPool>()) {
  pool_->capacity = std::max<std::size_t>(opts_.pool_size, 1);
}

Database::~Database() {
  std::vector<std::unique_ptr<Connection>> idle;
  {
    std::lock_guard lock(pool_->mutex);
    pool_->closed = true;
    pool_->open -= pool_->idle.size();
    idle.swap(pool_->idle);
  }
}

Lease Database::acquire() {
  auto& pool = *pool_;
  const auto available = [&pool] { return !pool.idle.empty() || pool.open < pool.capacity; };
  std::unique_lock lock(pool.mutex);
  bool ready = available();
  if (!ready) {
    // Timed only when it has to wait, so the common case reads no clock.
    const auto started = std::chrono::steady_clock::now();
    ready = pool.freed.wait_for(lock, opts_.acquire_timeout, available);
    ++pool.waited;
    pool.wait_time += std::chrono::steady_clock::now() - started;
  }
  if (!ready) {
    ++pool.timeouts;
    throw Unavailable(fmt::format("no {} connection became free within {} ms (pool size {})", backend_name(backend()),
                                  opts_.acquire_timeout.count(), pool.capacity));
  }
  ++pool.acquired;
  if (!pool.idle.empty()) {
    auto conn = std::move(pool.idle.back());
    pool.idle.pop_back();
    return Lease(this, std::move(conn));
  }
  // Reserve the slot, then connect without holding the lock: a PostgreSQL
  // handshake takes milliseconds and other threads may return connections meanwhile.
  ++pool.open;
  lock.unlock();
  try {
    return Lease(this, connect());
  } catch (...) {
    pool.forget_slot();
    throw;
  }
}

PoolStats Database::pool_stats() const {
  std::lock_guard lock(pool_->mutex);
  PoolStats s;
  s.capacity = pool_->capacity;
  s.open = pool_->open;
  s.idle = pool_->idle.size();
  s.acquired = pool_->acquired;
  s.waited = pool_->waited;
  s.wait_time = pool_->wait_time;
  s.timeouts = pool_->timeouts;
  return s;
}

// ---- open_database ----------------------------------------------------------

namespace {

std::filesystem::path prepare_sqlite_path(const std::string& location) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path path = fs::absolute(fs::path(location), ec);
  if (ec) throw DbError(fmt::format("invalid sqlite path '{}': {}", location, ec.message()));
  path = path.lexically_normal();
  if (path.has_parent_path() && !fs::exists(path.parent_path(), ec)) {
    fs::create_directories(path.parent_path(), ec);
    if (ec) {
      throw DbError(fmt::format("cannot create directory '{}' for the sqlite database: {}", path.parent_path().string(),
                                ec.message()));
    }
  }
  return path;
}

}  // namespace

std::unique_ptr<Database> open_database(std::string_view url, const DatabaseOptions& opts) {
  const DatabaseUrl parsed = parse_database_url(url);
  std::unique_ptr<Database> db;
  if (parsed.backend == Backend::Sqlite) {
    db = make_sqlite_database(prepare_sqlite_path(parsed.location), opts);
  } else {
    db = make_postgres_database(parsed.location, opts);
  }
  // Open one connection now so a wrong path or an unreachable server fails at
  // start-up, not on the first request. It stays pooled for later use.
  db->acquire();
  return db;
}

}  // namespace herald::storage

#include "audit/log.hpp"

#include "core/log.hpp"
#include "core/strings.hpp"
#include "core/time.hpp"
#include "storage/query.hpp"

namespace herald::audit {
namespace {

const storage::Query kLock{"audit.lock"};
const storage::Query kHead{"audit.head"};
const storage::Query kInsert{"audit.insert"};
const storage::Query kList{"audit.list"};
const storage::Query kWalk{"audit.walk"};

constexpr std::size_t kMaxBatch = 512;
constexpr auto kFlushWait = std::chrono::seconds(5);

Entry entry_from_row(const storage::Row& r) {
  Entry e;
  e.id = r.integer(0);
  e.created_at = r.str(1);
  e.user_id = r.opt_integer(2);
  e.actor = r.str(3);
  e.action = r.str(4);
  e.resource = r.str(5);
  e.ip = r.str(6);
  e.request_id = r.str(7);
  e.success = r.boolean(8);
  e.error = r.str(9);
  e.details = r.str(10);
  return e;
}

storage::Param opt_param(const std::optional<std::string>& v) {
  return v ? storage::Param(std::string_view(*v)) : storage::Param(nullptr);
}

}  // namespace

AuditLog::AuditLog(storage::Database& db, const Clock& clock) : db_(db), clock_(clock) {
  writer_ = std::thread([this] { run(); });
}

AuditLog::~AuditLog() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  writer_.join();
}

void AuditLog::record(Entry entry) {
  entry.created_at = rfc3339(clock_.wall());
  // What a client sent reaches these fields; an entry must never be one the
  // database refuses, or it would hold up every entry behind it.
  for (std::string* text :
       {&entry.actor, &entry.action, &entry.resource, &entry.ip, &entry.request_id, &entry.error, &entry.details}) {
    if (!is_text(*text)) *text = storable_text(*text);
  }
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(entry));
    ++queued_total_;
  }
  wake_.notify_one();
}

void AuditLog::flush() {
  std::unique_lock lock(mutex_);
  auto target = queued_total_;
  wake_.notify_one();
  // Bounded: a reader asking for fresh entries must not hang while the
  // database is away; it then sees what was written so far.
  if (!written_.wait_for(lock, kFlushWait, [&] { return written_total_ >= target; })) {
    log::warn("audit log flush timed out; entries are still queued", {{"pending", target - written_total_}});
  }
}

std::vector<Entry> AuditLog::history(const std::string& resource, std::int64_t limit) {
  flush();
  Filter f;
  f.resource = resource;
  f.limit = limit;
  return list(f);
}

void AuditLog::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    // A short pause lets a burst of requests share one transaction.
    wake_.wait_for(lock, std::chrono::milliseconds(20), [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) {
      if (stopping_) return;
      continue;
    }
    std::vector<Entry> batch;
    while (!queue_.empty() && batch.size() < kMaxBatch) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    lock.unlock();
    bool ok = write_batch(batch);
    lock.lock();
    if (!ok) {
      // Put the batch back in order and retry; entries are never dropped.
      for (auto it = batch.rbegin(); it != batch.rend(); ++it) queue_.push_front(std::move(*it));
      lock.unlock();
      std::this_thread::sleep_for(std::chrono::milliseconds(stopping_ ? 50 : 500));
      lock.lock();
      continue;
    }
    written_total_ += batch.size();
    written_.notify_all();
  }
}

bool AuditLog::write_batch(std::vector<Entry>& batch) {
  try {
    auto conn = db_.acquire();
    storage::Transaction tx(*conn, storage::TxMode::Write);
    conn->execute(kLock, {});
    std::int64_t last_id = 0;
    std::string prev = kGenesisHash;
    conn->execute(kHead, {}, [&](const storage::Row& r) {
      last_id = r.integer(0);
      prev = r.str(1);
    });
    for (auto& e : batch) {
      e.id = ++last_id;
      std::string hash = chain_hash(prev, e);
      storage::Param user = e.user_id ? storage::Param(*e.user_id) : storage::Param(nullptr);
      conn->execute(kInsert, {e.id, std::string_view(e.created_at), user, std::string_view(e.actor),
                              std::string_view(e.action), std::string_view(e.resource), std::string_view(e.ip),
                              std::string_view(e.request_id), e.success, std::string_view(e.error),
                              std::string_view(e.details), std::string_view(prev), std::string_view(hash)});
      prev = std::move(hash);
    }
    tx.commit();
    return true;
  } catch (const std::exception& ex) {
    log::error("audit log write failed; will retry", {{"error", ex.what()}, {"entries", batch.size()}});
    return false;
  }
}

void AuditLog::each(const Filter& f, const std::function<void(const Entry&)>& fn) {
  auto conn = db_.acquire();
  storage::Param user = f.user_id ? storage::Param(*f.user_id) : storage::Param(nullptr);
  conn->execute(
      kList,
      {f.before_id, user, opt_param(f.action), opt_param(f.resource), opt_param(f.from), opt_param(f.to), f.limit},
      [&](const storage::Row& r) { fn(entry_from_row(r)); });
}

std::vector<Entry> AuditLog::list(const Filter& f) {
  std::vector<Entry> out;
  each(f, [&](const Entry& e) { out.push_back(e); });
  return out;
}

Verification AuditLog::verify() {
  Verification v;
  std::string prev = kGenesisHash;
  std::int64_t expected_id = 1;
  auto conn = db_.acquire();
  conn->execute(kWalk, {}, [&](const storage::Row& r) {
    if (!v.valid) return;
    Entry e = entry_from_row(r);
    std::string stored_prev = r.str(11), stored_hash = r.str(12);
    ++v.checked;
    // A removed row shows as a gap; an edited one as a hash that no longer matches.
    if (e.id != expected_id || stored_prev != prev || chain_hash(prev, e) != stored_hash) {
      v.valid = false;
      v.first_broken_id = e.id;
      return;
    }
    prev = stored_hash;
    ++expected_id;
  });
  return v;
}

}  // namespace herald::audit

// The audit log: entries are queued by request threads and appended in
// batches by one writer thread, each batch in one transaction that extends
// the hash chain. A clean shutdown flushes the queue, so nothing is lost.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "audit/interface.hpp"
#include "audit/types.hpp"
#include "core/clock.hpp"
#include "storage/database.hpp"

namespace herald::audit {

struct Filter {
  std::optional<std::int64_t> user_id;
  std::optional<std::string> action;
  std::optional<std::string> resource;  // exact, or a prefix ending before "/"
  std::optional<std::string> from;      // RFC 3339, inclusive
  std::optional<std::string> to;        // RFC 3339, exclusive
  std::int64_t before_id = 0;           // cursor: entries with id < before_id; 0 = newest
  std::int64_t limit = 50;
};

struct Verification {
  bool valid = true;
  std::int64_t checked = 0;
  std::optional<std::int64_t> first_broken_id;
};

class AuditLog final : public Trail {
 public:
  AuditLog(storage::Database& db, const Clock& clock);
  ~AuditLog() override;  // flushes
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // Queues an entry (created_at is stamped now). Never blocks on the database.
  void record(Entry entry) override;
  // Blocks until every entry queued before the call is written.
  void flush();

  std::vector<Entry> list(const Filter& filter);
  // Streams every matching entry (newest first) for CSV export.
  void each(const Filter& filter, const std::function<void(const Entry&)>& fn);
  Verification verify();
  std::vector<Entry> history(const std::string& resource, std::int64_t limit) override;

 private:
  void run();
  bool write_batch(std::vector<Entry>& batch);

  storage::Database& db_;
  const Clock& clock_;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable written_;
  std::deque<Entry> queue_;
  std::uint64_t queued_total_ = 0;
  std::uint64_t written_total_ = 0;
  bool stopping_ = false;
  std::thread writer_;
};

}  // namespace herald::audit

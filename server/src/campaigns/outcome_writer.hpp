// Group commit for the recipients' outcomes. Every sending thread of the
// process hands its outcome write here and returns only once it is
// committed; a thread that finds no commit under way writes everything that
// waits — its own and what the other threads handed in meanwhile — in one
// transaction. Each outcome is still durable before its thread (and its SMTP
// connection) carries another message, so the window of ambiguity stays at
// one message per connection; what changes is that N sending threads share
// one commit instead of paying N.
//
// The common outcome, an accepted message, goes in as data rather than as
// code (write_sent): the accepted messages of one commit are marked sent and
// their "delivered" events written whatever their number in one statement on
// PostgreSQL, run without BEGIN and COMMIT, and in two on SQLite
// (RecipientStore::mark_sent_batch), not two per message.
//
// A batch whose transaction fails is written again one outcome per
// transaction, so a write that fails (the lease ran out, the database
// refused) fails only its own caller.
//
// Waking: each waiting thread sleeps on its own word (Pending::state), not on
// one condition all share. The thread that commits wakes the threads of its
// batch, each told it is done, and hands the next commit to the first thread
// that queued meanwhile. With sixteen sending threads a shared condition woke
// them all at every commit, and each woken thread queued for the same mutex
// again only to find it was not its turn yet.
#pragma once

#include <atomic>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <vector>

#include "campaigns/recipient_store.hpp"
#include "storage/database.hpp"

namespace herald::campaigns {

class OutcomeWriter {
 public:
  using Write = std::function<void(storage::Connection&)>;

  explicit OutcomeWriter(storage::Database& db) : db_(db) {}

  // Runs `write` inside a write transaction and returns once that
  // transaction committed; rethrows what `write` or the commit threw.
  void write(const Write& write);

  // Marks an accepted message's recipient sent (only by its lease's holder)
  // with its "delivered" event, committed with the group; false when the
  // lease was no longer `owner`'s. Rethrows what the commit threw.
  struct Sent {
    std::int64_t id = 0;
    std::string_view owner;
    std::int64_t now_ms = 0;
    const Outcome* outcome = nullptr;
  };
  bool write_sent(const Sent& sent);

  struct Stats {
    std::uint64_t writes = 0;
    std::uint64_t commits = 0;
  };
  Stats stats() const;

 private:
  enum : int { kWaiting = 0, kDone = 1, kLead = 2 };
  struct Pending {
    const Write* write = nullptr;
    const Sent* sent = nullptr;
    bool recorded = false;
    std::exception_ptr error;
    // kWaiting until the committing thread says kDone (written, `error` and
    // `recorded` set) or kLead (this thread commits the next batch).
    std::atomic<int> state{kWaiting};
  };
  void submit(Pending& me);
  void commit(std::vector<Pending*>& batch);
  void apply(storage::Connection& conn, const std::vector<Pending*>& batch);

  storage::Database& db_;
  RecipientStore recipients_;
  mutable std::mutex mutex_;
  std::vector<Pending*> waiting_;
  bool committing_ = false;
  Stats stats_;
};

}  // namespace herald::campaigns

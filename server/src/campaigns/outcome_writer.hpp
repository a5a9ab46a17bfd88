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
// their "delivered" events written in two statements whatever their number
// (RecipientStore::mark_sent_batch), not two per message.
//
// A batch whose transaction fails is written again one outcome per
// transaction, so a write that fails (the lease ran out, the database
// refused) fails only its own caller.
#pragma once

#include <condition_variable>
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
  struct Pending {
    const Write* write = nullptr;
    const Sent* sent = nullptr;
    bool recorded = false;
    bool done = false;
    std::exception_ptr error;
  };
  void submit(Pending& me);
  void commit(std::vector<Pending*>& batch);
  void apply(storage::Connection& conn, const std::vector<Pending*>& batch);

  storage::Database& db_;
  RecipientStore recipients_;
  mutable std::mutex mutex_;
  std::condition_variable committed_;
  std::vector<Pending*> waiting_;
  bool committing_ = false;
  Stats stats_;
};

}  // namespace herald::campaigns

#include "campaigns/outcome_writer.hpp"

#include <algorithm>
#include <utility>

namespace herald::campaigns {

void OutcomeWriter::write(const Write& write) {
  Pending me;
  me.write = &write;
  submit(me);
}

bool OutcomeWriter::write_sent(const Sent& sent) {
  Pending me;
  me.sent = &sent;
  submit(me);
  return me.recorded;
}

void OutcomeWriter::submit(Pending& me) {
  std::unique_lock lock(mutex_);
  waiting_.push_back(&me);
  while (!me.done) {
    if (committing_) {
      committed_.wait(lock);
      continue;
    }
    // No commit under way: this thread writes everything that waits.
    committing_ = true;
    auto batch = std::exchange(waiting_, {});
    lock.unlock();
    commit(batch);
    lock.lock();
    for (auto* p : batch) p->done = true;  // under the lock: the waiters read it
    committing_ = false;
    ++stats_.commits;
    stats_.writes += batch.size();
    committed_.notify_all();
  }
  if (me.error) std::rethrow_exception(me.error);
}

// Sets `error` on the pending writes that failed; `done` is the caller's.
void OutcomeWriter::commit(std::vector<Pending*>& batch) {
  try {
    auto conn = db_.acquire();
    storage::Transaction tx(*conn, storage::TxMode::Write);
    apply(*conn, batch);
    tx.commit();
    return;
  } catch (...) {
    if (batch.size() == 1) {
      batch[0]->error = std::current_exception();
      return;
    }
  }
  // One of them failed the shared transaction: each on its own, so only the
  // failing write's caller sees the error.
  for (auto* p : batch) {
    try {
      auto conn = db_.acquire();
      storage::Transaction tx(*conn, storage::TxMode::Write);
      apply(*conn, {p});
      tx.commit();
    } catch (...) {
      p->error = std::current_exception();
    }
  }
}

// The accepted messages in one statement, then the other writes one by one.
void OutcomeWriter::apply(storage::Connection& conn, const std::vector<Pending*>& batch) {
  std::vector<RecipientStore::SentRow> rows;
  for (auto* p : batch)
    if (p->sent) rows.push_back({p->sent->id, p->sent->owner, p->sent->now_ms, p->sent->outcome});
  if (!rows.empty()) {
    auto marked = recipients_.mark_sent_batch(conn, rows);
    std::sort(marked.begin(), marked.end());
    for (auto* p : batch)
      if (p->sent) p->recorded = std::binary_search(marked.begin(), marked.end(), p->sent->id);
  }
  for (auto* p : batch)
    if (p->write) (*p->write)(conn);
}

OutcomeWriter::Stats OutcomeWriter::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

}  // namespace herald::campaigns

#include "campaigns/outcome_writer.hpp"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <utility>

namespace herald::campaigns {
namespace {

// A sleep on one word until another thread changes it, and its wake-up: the
// futex under std::atomic::wait, without the spinning and sched_yield calls
// libstdc++ puts before it. The wake reads nothing at the address, so the
// waiting thread may already have returned and reused its stack.
static_assert(sizeof(std::atomic<int>) == sizeof(int));

void sleep_while(std::atomic<int>& word, int value) {
  while (word.load(std::memory_order_acquire) == value)
    ::syscall(SYS_futex, reinterpret_cast<int*>(&word), FUTEX_WAIT_PRIVATE, value, nullptr, nullptr, 0);
}

void set_and_wake(std::atomic<int>& word, int value) {
  int* address = reinterpret_cast<int*>(&word);
  word.store(value, std::memory_order_release);
  ::syscall(SYS_futex, address, FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);
}

}  // namespace

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
  bool lead = false;
  {
    std::lock_guard lock(mutex_);
    waiting_.push_back(&me);
    lead = !std::exchange(committing_, true);
  }
  if (!lead) {
    sleep_while(me.state, kWaiting);
    if (me.state.load(std::memory_order_acquire) == kDone) {
      if (me.error) std::rethrow_exception(me.error);
      return;
    }
  }
  // This thread commits what waits now, its own write among it.
  std::vector<Pending*> batch;
  {
    std::lock_guard lock(mutex_);
    batch.swap(waiting_);
  }
  commit(batch);
  Pending* next = nullptr;
  {
    std::lock_guard lock(mutex_);
    ++stats_.commits;
    stats_.writes += batch.size();
    if (waiting_.empty())
      committing_ = false;
    else
      next = waiting_.front();
  }
  // The next commit starts first; then the threads whose writes are done. A
  // woken thread may return at once, its Pending gone with its stack: nothing
  // here touches a Pending after waking it.
  if (next != nullptr) set_and_wake(next->state, kLead);
  for (auto* p : batch)
    if (p != &me) set_and_wake(p->state, kDone);
  if (me.error) std::rethrow_exception(me.error);
}

// Sets `error` on the pending writes that failed; `state` is the caller's.
void OutcomeWriter::commit(std::vector<Pending*>& batch) {
  try {
    auto conn = db_.acquire();
    // Accepted messages only, where their write is one statement: that
    // statement is the transaction.
    const bool one_statement = RecipientStore::sent_batch_is_one_statement(conn->backend()) &&
                               std::all_of(batch.begin(), batch.end(), [](const Pending* p) { return p->sent; });
    if (one_statement) {
      apply(*conn, batch);
      return;
    }
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

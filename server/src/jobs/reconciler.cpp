#include "jobs/reconciler.hpp"

#include <stdexcept>

#include "core/log.hpp"
#include "jobs/types.hpp"
#include "storage/query.hpp"

namespace herald::jobs {
namespace {

const storage::Query kLeaseTake{"jobs.lease_take"};
const storage::Query kLeaseGiveUp{"jobs.lease_give_up"};

constexpr std::string_view kLeaseName = "jobs.reconciler";
// A holder renews at every pass; one that stopped renewing (it died) is
// replaced once three intervals have passed.
constexpr int kLeaseIntervals = 3;

}  // namespace

void ReconcilerRegistry::add(std::string name, ReconcileFn fn) {
  if (name.empty() || !fn) throw std::logic_error("a reconciler needs a name and a function");
  for (const auto& e : entries_)
    if (e.name == name) throw std::logic_error("reconciler registered twice: " + name);
  entries_.push_back({std::move(name), std::move(fn)});
}

DbLease::DbLease(storage::Database& db, std::string name, std::string holder)
    : db_(db), name_(std::move(name)), holder_(std::move(holder)) {}

bool DbLease::take(std::chrono::system_clock::time_point now, std::chrono::milliseconds ttl) {
  const std::int64_t at = to_millis(now);
  bool held = false;
  auto conn = db_.acquire();
  conn->execute(kLeaseTake, {std::string_view(name_), std::string_view(holder_), at + ttl.count(), at},
                [&](const storage::Row&) { held = true; });
  return held;
}

void DbLease::give_up() {
  auto conn = db_.acquire();
  conn->execute(kLeaseGiveUp, {std::string_view(name_), std::string_view(holder_)});
}

Reconciler::Reconciler(storage::Database& db, JobQueue& queue, const ReconcilerRegistry& registry, const Clock& clock,
                       ReconcilerOptions options)
    : queue_(queue),
      registry_(registry),
      clock_(clock),
      options_(std::move(options)),
      lease_(db, std::string(kLeaseName), options_.holder) {
  if (options_.interval < std::chrono::milliseconds(100)) options_.interval = std::chrono::milliseconds(100);
}

Reconciler::~Reconciler() { stop(); }

void Reconciler::start() {
  if (thread_.joinable() || registry_.empty()) return;
  thread_ = std::thread([this] { loop(); });
}

void Reconciler::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  try {
    lease_.give_up();
  } catch (const std::exception& e) {
    log::warn("could not give up the reconciler lease; it runs out by itself", {{"error", e.what()}});
  }
}

std::optional<std::int64_t> Reconciler::run_once() {
  const auto now = clock_.wall();
  if (!lease_.take(now, options_.interval * kLeaseIntervals)) return std::nullopt;
  ReconcileContext ctx{queue_, now};
  std::int64_t total = 0;
  for (const auto& e : registry_.entries()) {
    try {
      const std::int64_t n = e.fn(ctx);
      if (n > 0) log::warn("work the queue no longer held was enqueued again", {{"domain", e.name}, {"jobs", n}});
      total += n;
    } catch (const std::exception& ex) {
      log::warn("reconciling failed; trying again at the next pass", {{"domain", e.name}, {"error", ex.what()}});
    }
  }
  return total;
}

void Reconciler::loop() {
  for (;;) {
    try {
      run_once();
    } catch (const std::exception& e) {
      log::warn("reconciler pass skipped", {{"error", e.what()}});
    }
    std::unique_lock lock(mutex_);
    if (wake_.wait_for(lock, options_.interval, [this] { return stopping_; })) return;
  }
}

}  // namespace herald::jobs

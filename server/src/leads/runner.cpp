#include "leads/runner.hpp"

#include "core/log.hpp"
#include "core/time.hpp"

namespace herald::leads {
namespace {

struct Stopping : std::runtime_error {
  Stopping() : std::runtime_error("stopping") {}
};

constexpr int kAttempts = 3;
constexpr auto kStaleUpload = std::chrono::hours(1);

}  // namespace

ThreadImportRunner::ThreadImportRunner(Importer& importer, storage::Database& db, std::chrono::milliseconds poll)
    : importer_(importer), db_(db), poll_(poll), worker_(worker_name()) {
  thread_ = std::thread([this] { loop(); });
}

ThreadImportRunner::~ThreadImportRunner() { stop(); }

void ThreadImportRunner::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_.exchange(true) && !thread_.joinable()) return;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ThreadImportRunner::submit(std::int64_t import_id) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(import_id);
  }
  wake_.notify_one();
}

void ThreadImportRunner::loop() {
  auto next_sweep = std::chrono::steady_clock::now();
  while (!stopping_) {
    std::optional<std::int64_t> id;
    {
      std::unique_lock lock(mutex_);
      wake_.wait_until(lock, next_sweep, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) break;
      if (!queue_.empty()) {
        id = queue_.front();
        queue_.pop_front();
      }
    }
    if (id) {
      apply(*id);
    } else {
      sweep();
      next_sweep = std::chrono::steady_clock::now() + poll_;
    }
  }
}

void ThreadImportRunner::sweep() {
  try {
    std::vector<std::int64_t> ids;
    {
      auto conn = db_.acquire();
      importer_.store().delete_stale_uploads(*conn, rfc3339(std::chrono::system_clock::now() - kStaleUpload));
      ids = importer_.store().unfinished(*conn);
    }
    for (auto id : ids) {
      if (stopping_) return;
      apply(id);
    }
  } catch (const std::exception& e) {
    log::warn("looking for unfinished lead imports failed", {{"error", e.what()}});
  }
}

void ThreadImportRunner::apply(std::int64_t id) {
  ImporterHooks hooks;
  hooks.after_batch = [this](std::int64_t) {
    if (stopping_) throw Stopping();
  };
  for (int attempt = 1; attempt <= kAttempts; ++attempt) {
    try {
      auto outcome = importer_.run(id, worker_, hooks);
      if (outcome == Importer::Outcome::Completed) log::info("lead import completed", {{"import_id", id}});
      return;
    } catch (const Stopping&) {
      importer_.release(id, worker_);
      return;
    } catch (const std::exception& e) {
      log::error("lead import interrupted", {{"import_id", id}, {"attempt", attempt}, {"error", e.what()}});
      if (stopping_) return;
      if (attempt == kAttempts) {
        try {
          importer_.abandon(id, worker_, std::string("the import stopped on an internal error: ") + e.what());
        } catch (const std::exception& again) {
          log::error("could not mark the lead import failed", {{"import_id", id}, {"error", again.what()}});
        }
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200 * attempt));
    }
  }
}

}  // namespace herald::leads

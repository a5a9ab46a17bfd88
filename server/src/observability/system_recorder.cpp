#include "observability/system_recorder.hpp"

#include <unistd.h>

#include <array>
#include <atomic>

#include <fmt/format.h>

#include "core/log.hpp"

namespace herald::observability {
namespace {

constexpr std::int64_t kPruneEveryMinutes = 60;
constexpr std::chrono::seconds kWarnEvery{60};

}  // namespace

std::string process_key() {
  // Two recorders of one process (tests run several servers) get their own keys.
  static std::atomic<int> sequence{0};
  const int n = sequence.fetch_add(1);
  std::array<char, 256> host{};
  if (::gethostname(host.data(), host.size() - 1) != 0) host[0] = '\0';
  const auto started =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  std::string key = fmt::format("{}/{}/{}", host[0] != '\0' ? host.data() : "herald", ::getpid(), started);
  if (n > 0) key += fmt::format("/{}", n);
  return key;
}

SystemRecorder::SystemRecorder(const HttpMetrics& http, ActiveUsers& users, SystemFiguresStore& store,
                               const Clock& clock, RecorderOptions options)
    : http_(http), users_(users), store_(store), clock_(clock), options_(std::move(options)) {
  if (options_.process.empty()) options_.process = process_key();
  thread_ = std::thread([this] { run(); });
}

SystemRecorder::~SystemRecorder() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  flush();
}

bool SystemRecorder::flush() {
  std::lock_guard lock(flush_mutex_);
  const std::int64_t minute = minute_of(clock_.wall());
  accumulator_.add(http_.api_totals(), minute);
  const std::vector<MinuteRow> rows = accumulator_.pending();
  const std::vector<std::int64_t> users = users_.take();
  try {
    store_.write(options_.process, rows, users, minute);
    accumulator_.written(minute);
    if (minute - last_prune_minute_ >= kPruneEveryMinutes) {
      last_prune_minute_ = minute;
      store_.prune(minute - std::chrono::duration_cast<std::chrono::minutes>(options_.retention).count());
    }
    return true;
  } catch (const std::exception& e) {
    users_.restore(users);
    thread_local std::chrono::steady_clock::time_point last_warning{};
    const auto now = std::chrono::steady_clock::now();
    if (last_warning == std::chrono::steady_clock::time_point{} || now - last_warning >= kWarnEvery) {
      last_warning = now;
      log::warn("system figures: could not write this process's traffic; will retry", {{"error", e.what()}});
    }
    return false;
  }
}

void SystemRecorder::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (wake_.wait_for(lock, options_.interval, [this] { return stopping_; })) break;
    lock.unlock();
    flush();
    lock.lock();
  }
}

}  // namespace herald::observability

// Empty-job throughput of each queue backend: N jobs enqueued in batches,
// then processed by a worker pool whose handler does nothing.
//
//   herald_bench_jobs [JOBS] [CONCURRENCY]
//
// Backends: embedded SQLite (always), embedded PostgreSQL when
// HERALD_TEST_POSTGRES_URL is set, Redis when HERALD_TEST_REDIS_URL is set
// (bench/jobs.sh starts both). Prints one Markdown table row per backend.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <thread>

#include <fmt/format.h>

#include "core/clock.hpp"
#include "core/log.hpp"
#include "jobs/db_queue.hpp"
#include "jobs/redis_queue.hpp"
#include "jobs/worker.hpp"
#include "storage/migrations.hpp"

namespace {

using namespace herald;
using Clock = std::chrono::steady_clock;

struct Result {
  double enqueue_s = 0;
  double process_s = 0;
};

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
}

std::string suffix() {
  std::random_device rd;
  return fmt::format("{:08x}", rd());
}

Result run(jobs::JobQueue& queue, int n, int concurrency) {
  constexpr int kBatch = 1000;
  jobs::JobSpec spec;
  spec.name = "bench.noop";
  spec.queue = "emails";
  std::vector<jobs::JobSpec> batch(kBatch, spec);

  Result r;
  auto start = Clock::now();
  for (int done = 0; done < n; done += kBatch) {
    batch.resize(static_cast<std::size_t>(std::min(kBatch, n - done)));
    queue.enqueue_batch(batch);
  }
  r.enqueue_s = std::chrono::duration<double>(Clock::now() - start).count();

  jobs::HandlerRegistry handlers;
  handlers.add("bench.noop", [](jobs::JobContext&) {});
  jobs::WorkerOptions options;
  options.queues = {"emails"};
  options.concurrency = concurrency;
  options.prefetch = 256;
  options.poll_interval = std::chrono::milliseconds(5);
  jobs::WorkerPool pool(queue, handlers, options);
  start = Clock::now();
  pool.start();
  while (pool.finished() < static_cast<std::uint64_t>(n)) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  r.process_s = std::chrono::duration<double>(Clock::now() - start).count();
  pool.stop();
  return r;
}

void row(const char* backend, int n, const Result& r) {
  std::printf("| %-20s | %8d | %12.0f | %12.0f | %14.0f |\n", backend, n, n / r.enqueue_s, n / r.process_s,
              n / (r.enqueue_s + r.process_s));
  std::fflush(stdout);
}

Result bench_database(const std::string& url, int n, int concurrency) {
  auto db = storage::open_database(url, {.pool_size = static_cast<std::size_t>(concurrency) + 8});
  storage::migrate(*db);
  SystemClock clock;
  jobs::DbQueue queue(*db, clock);
  return run(queue, n, concurrency);
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 100000;
  const int concurrency = argc > 2 ? std::atoi(argv[2]) : 4;
  log::init(log::Format::Json, log::Level::Error);

  std::printf("| %-20s | %8s | %12s | %12s | %14s |\n", "backend", "jobs", "enqueue/s", "process/s", "end-to-end/s");
  std::printf("|%s|%s|%s|%s|%s|\n", "----------------------",
              "---------:", "-------------:", "-------------:", "---------------:");

  const auto dir = std::filesystem::temp_directory_path() / ("herald-bench-jobs-" + suffix());
  std::filesystem::create_directories(dir);
  row("embedded (SQLite)", n, bench_database("sqlite://" + (dir / "herald.db").string(), n, concurrency));
  std::filesystem::remove_all(dir);

  if (const auto pg = env("HERALD_TEST_POSTGRES_URL"); !pg.empty()) {
    const std::string name = "herald_bench_" + suffix();
    auto admin = storage::open_database(pg, {.pool_size = 1});
    admin->acquire()->execute_script("CREATE DATABASE " + name);
    const auto slash = pg.rfind('/');
    {
      const auto r = bench_database(pg.substr(0, slash) + "/" + name, n, concurrency);
      row("embedded (PostgreSQL)", n, r);
    }
    admin->acquire()->execute_script("DROP DATABASE " + name + " WITH (FORCE)");
  }

  if (const auto redis_url = env("HERALD_TEST_REDIS_URL"); !redis_url.empty()) {
    redis::RedisClient client(redis::parse_redis_url(redis_url));
    SystemClock clock;
    jobs::RedisQueueOptions options;
    options.prefix = "herald-bench-" + suffix() + ":";
    jobs::RedisQueue queue(client, clock, options);
    row("Redis Streams", n, run(queue, n, concurrency));
    // Leave nothing behind.
    std::string cursor = "0";
    do {
      auto r = client.command({"SCAN", cursor, "MATCH", options.prefix + "*", "COUNT", "10000"});
      cursor = r.elements.at(0).as_string();
      redis::RedisArgs del = {"UNLINK"};
      for (const auto& k : r.elements.at(1).elements) del.push_back(k.as_string());
      if (del.size() > 1) client.command(del);
    } while (cursor != "0");
  }
  return 0;
}

// The worker pool against every backend: handlers run, failures back off and
// die, delayed jobs fire on time, cancellation reaches a running handler, and
// a graceful stop gives unstarted jobs back.
#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <thread>

#include "integration/jobs/fixture.hpp"
#include "jobs/worker.hpp"

namespace herald::test {
namespace {

using jobs::JobContext;
using jobs::JobSpec;
using jobs::JobStatus;
using std::chrono::milliseconds;

jobs::WorkerOptions fast_options(int concurrency = 2) {
  jobs::WorkerOptions o;
  o.queues = {"emails"};
  o.concurrency = concurrency;
  o.visibility = milliseconds(3000);
  o.poll_interval = milliseconds(50);
  o.backoff = {.base = milliseconds(200), .cap = milliseconds(2000), .jitter = 0};
  return o;
}

JobSpec spec(std::string name, nlohmann::json payload = nlohmann::json::object()) {
  JobSpec s;
  s.name = std::move(name);
  s.queue = "emails";
  s.payload = std::move(payload);
  return s;
}

class WorkerPoolTest : public QueueTest {
 protected:
  bool finished(const std::string& id, JobStatus status, milliseconds timeout = milliseconds(10000)) {
    return eventually([&] { return queue().get(id)->status == status; }, timeout);
  }
};

TEST_P(WorkerPoolTest, RunsHandlersWithTheirPayloadAndAttempt) {
  std::mutex mutex;
  std::set<int> seen;
  jobs::HandlerRegistry handlers;
  handlers.add("test.collect", [&](JobContext& ctx) {
    EXPECT_EQ(ctx.attempt(), 1);
    ctx.progress(50, {{"half", true}});
    std::lock_guard lock(mutex);
    seen.insert(ctx.payload().at("n").get<int>());
    ctx.set_result({{"n", ctx.payload().at("n")}});
  });
  std::vector<JobSpec> batch;
  for (int i = 0; i < 200; ++i) batch.push_back(spec("test.collect", {{"n", i}}));
  auto ids = queue().enqueue_batch(batch);
  jobs::WorkerPool pool(queue(), handlers, fast_options(4));
  pool.start();
  ASSERT_TRUE(eventually([&] { return pool.finished() == 200; }, milliseconds(20000)));
  pool.stop();
  EXPECT_EQ(seen.size(), 200u);
  auto job = queue().get(ids[7].id);
  EXPECT_EQ(job->status, JobStatus::Completed);
  EXPECT_EQ(job->result["n"], 7);
  EXPECT_EQ(queue().stats("emails").processed_per_minute, 200);
}

TEST_P(WorkerPoolTest, RetriesWithBackoffThenBuriesTheJob) {
  std::mutex mutex;
  std::vector<std::chrono::steady_clock::time_point> attempts;
  jobs::HandlerRegistry handlers;
  handlers.add("test.flaky", [&](JobContext& ctx) {
    {
      std::lock_guard lock(mutex);
      attempts.push_back(std::chrono::steady_clock::now());
    }
    throw std::runtime_error("attempt " + std::to_string(ctx.attempt()) + " failed");
  });
  handlers.add("test.reject", [](JobContext&) { throw jobs::PermanentJobError("payload is unusable"); });
  auto s = spec("test.flaky");
  s.max_attempts = 3;
  auto id = queue().enqueue(s).id;
  auto rejected = queue().enqueue(spec("test.reject")).id;
  jobs::WorkerPool pool(queue(), handlers, fast_options());
  pool.start();
  ASSERT_TRUE(finished(id, JobStatus::Dead));
  ASSERT_TRUE(finished(rejected, JobStatus::Failed));
  pool.stop();
  auto job = queue().get(id);
  EXPECT_EQ(job->attempts, 3);
  EXPECT_EQ(job->error, "attempt 3 failed");
  ASSERT_EQ(attempts.size(), 3u);
  // Back-off: 200 ms after the first failure, 400 ms after the second.
  EXPECT_GE(attempts[1] - attempts[0], milliseconds(190));
  EXPECT_GE(attempts[2] - attempts[1], milliseconds(390));
  EXPECT_EQ(queue().get(rejected)->attempts, 1);
  EXPECT_EQ(queue().get(rejected)->error, "payload is unusable");
  EXPECT_EQ(queue().stats("emails").failed, 2);
}

TEST_P(WorkerPoolTest, DelayedJobsFireOnTime) {
  std::mutex mutex;
  std::map<std::string, std::chrono::system_clock::time_point> ran;
  jobs::HandlerRegistry handlers;
  handlers.add("test.when", [&](JobContext& ctx) {
    std::lock_guard lock(mutex);
    ran[ctx.id()] = std::chrono::system_clock::now();
  });
  const auto now = std::chrono::system_clock::now();
  std::map<std::string, std::chrono::system_clock::time_point> due;
  for (int delay_ms : {700, 1500, 2500}) {
    auto s = spec("test.when");
    s.run_at = now + milliseconds(delay_ms);
    due[queue().enqueue(s).id] = *s.run_at;
  }
  EXPECT_EQ(queue().stats("emails").scheduled, 3);
  jobs::WorkerPool pool(queue(), handlers, fast_options());
  pool.start();
  ASSERT_TRUE(eventually([&] { return pool.finished() == 3; }, milliseconds(20000)));
  pool.stop();
  for (const auto& [id, when] : due) {
    const auto late = ran.at(id) - when;
    EXPECT_GE(late, milliseconds(-50)) << "ran before its time";
    EXPECT_LE(late, milliseconds(1000)) << "ran more than 1 s late";
  }
}

TEST_P(WorkerPoolTest, CancellationReachesARunningHandler) {
  std::atomic<bool> started{false};
  jobs::HandlerRegistry handlers;
  handlers.add("test.long", [&](JobContext& ctx) {
    started = true;
    // Runs until cancelled; should the cancellation never arrive, it ends
    // after 30 s and the job completes, which the test reports.
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < until) {
      ctx.throw_if_cancelled();
      std::this_thread::sleep_for(milliseconds(10));
    }
  });
  auto options = fast_options();
  options.visibility = milliseconds(600);  // heartbeats every 200 ms
  auto id = queue().enqueue(spec("test.long")).id;
  jobs::WorkerPool pool(queue(), handlers, options);
  pool.start();
  ASSERT_TRUE(eventually([&] { return started.load(); }, milliseconds(10000)));
  EXPECT_TRUE(queue().cancel(id));
  EXPECT_TRUE(finished(id, JobStatus::Cancelled, milliseconds(20000)));
  pool.stop();
}

TEST_P(WorkerPoolTest, GracefulStopFinishesRunningJobsAndReleasesTheRest) {
  std::atomic<int> started{0};
  jobs::HandlerRegistry handlers;
  // Runs until the pool stops (bounded): the stop is certain to find it running.
  handlers.add("test.slow", [&](JobContext& ctx) {
    ++started;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!ctx.stopping() && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(milliseconds(5));
    EXPECT_TRUE(ctx.stopping()) << "the handler never saw the stop";
  });
  auto options = fast_options(1);
  options.prefetch = 4;
  std::vector<JobSpec> batch(5, spec("test.slow"));
  auto ids = queue().enqueue_batch(batch);
  jobs::WorkerPool pool(queue(), handlers, options);
  pool.start();
  ASSERT_TRUE(eventually([&] { return started.load() == 1; }, milliseconds(10000)));
  // The other four are claimed (prefetched) too: the stop has them to give back.
  ASSERT_TRUE(eventually([&] { return queue().stats("emails").active == 5; }, milliseconds(10000)))
      << "the pool never prefetched the other jobs";
  pool.stop();
  EXPECT_EQ(started.load(), 1);
  int completed = 0, queued = 0;
  for (const auto& e : ids) {
    auto job = queue().get(e.id);
    if (job->status == JobStatus::Completed) ++completed;
    if (job->status == JobStatus::Queued && job->attempts == 0) ++queued;
  }
  EXPECT_EQ(completed, 1);
  EXPECT_EQ(queued, 4);
  EXPECT_TRUE(queue().live_workers(milliseconds(60000)).empty());
}

TEST_P(WorkerPoolTest, AnUnknownJobNameFailsInsteadOfVanishing) {
  jobs::HandlerRegistry handlers;
  auto s = spec("test.nobody");
  s.max_attempts = 1;
  auto id = queue().enqueue(s).id;
  jobs::WorkerPool pool(queue(), handlers, fast_options());
  pool.start();
  ASSERT_TRUE(finished(id, JobStatus::Dead));
  pool.stop();
  EXPECT_NE(queue().get(id)->error->find("no handler"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, WorkerPoolTest, all_queue_kinds(), queue_kind_name);

}  // namespace
}  // namespace herald::test

// kill -9 of a `herald worker` holding jobs, on every backend.
//
// What the queue guarantees, and what this test holds it to:
//   * Delivery is at least once. A job is delivered again only when its claim
//     lapses (its worker died, or stalled past the visibility timeout) or its
//     worker gave it back unstarted; so a kill -9 repeats at most the jobs the
//     dead worker held (claimed and not yet acknowledged), and nothing is lost.
//   * Effects are idempotent by a key (here the job id, ON CONFLICT DO
//     NOTHING), so a repeated execution finds its effect done and the effect
//     happens exactly once.
// The test counts every execution that reached the effect (job_test_runs,
// written in the effect's transaction), not only the distinct effects, and
// one job is held after its effect when the kill comes, so at least one
// execution is certain to repeat.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>

#include "integration/jobs/fixture.hpp"
#include "jobs/db_queue.hpp"
#include "jobs/redis_queue.hpp"
#include "storage/queries.hpp"

namespace herald::test {
namespace {

using std::chrono::milliseconds;

class WorkerProcess {
 public:
  explicit WorkerProcess(std::vector<std::string> env) {
    pid_ = ::fork();
    if (pid_ == 0) {
      for (const auto& e : env) ::putenv(const_cast<char*>(e.c_str()));
      ::execl(HERALD_BINARY, HERALD_BINARY, "worker", "--queues", "emails", "--concurrency", "4",
              static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }
  ~WorkerProcess() { signal(SIGKILL); }
  // Sends `sig` and reaps the process; returns its wait status.
  int signal(int sig) {
    if (pid_ <= 0) return 0;
    ::kill(pid_, sig);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }

 private:
  pid_t pid_ = -1;
};

struct Runs {
  std::int64_t executions = 0;  // rows: every execution that reached the effect
  std::int64_t applied = 0;     // of those, the ones that wrote the effect
  std::map<std::string, std::int64_t> per_job;
};

class WorkerCrashTest : public QueueTest {
 protected:
  std::int64_t scalar(const std::string& sql) {
    std::int64_t n = 0;
    try {
      db().acquire()->execute(sql, {}, [&](const storage::Row& r) { n = r.is_null(0) ? 0 : r.integer(0); });
    } catch (const storage::DbError&) {
      // The worker has not created the tables yet.
    }
    return n;
  }
  Runs runs() {
    Runs out;
    db().acquire()->execute("SELECT job_id, COUNT(*), SUM(applied) FROM job_test_runs GROUP BY job_id", {},
                            [&](const storage::Row& r) {
                              out.per_job[std::string(r.text(0))] = r.integer(1);
                              out.executions += r.integer(1);
                              out.applied += r.integer(2);
                            });
    return out;
  }
};

TEST_P(WorkerCrashTest, KillNineLosesNoJobAndAppliesEveryEffectOnce) {
  constexpr int kJobs = 300;
  TempDirPath data;
  std::unique_ptr<RedisProcess> redis;
  std::unique_ptr<redis::RedisClient> client;
  std::unique_ptr<jobs::JobQueue> queue;
  std::vector<std::string> env = {"HERALD_DATA_DIR=" + data.path.string(), "HERALD_DATABASE_URL=" + database_url(),
                                  "HERALD_JWT_SECRET=test-secret-test-secret-test-secret-0123",
                                  "HERALD_ENABLE_TEST_JOBS=1", "HERALD_TEST_JOB_SLEEP_MS=20",
                                  // Long enough that a loaded machine's late heartbeat never
                                  // hands a live claim on: the only repeats are the kill's.
                                  "HERALD_JOB_VISIBILITY_TIMEOUT=3s", "HERALD_LOG_FORMAT=json"};
  if (kind() == QueueKind::Redis) {
    // The worker uses the default key prefix, so it gets a Redis of its own.
    redis = std::make_unique<RedisProcess>(data.path / "redis");
    redis->start();
    client = std::make_unique<redis::RedisClient>(redis::parse_redis_url(redis->url()));
    queue = std::make_unique<jobs::RedisQueue>(*client, clock_);
    env.push_back("HERALD_REDIS_URL=" + redis->url());
  } else {
    queue = std::make_unique<jobs::DbQueue>(db(), clock_);
  }

  // Claimed first, and still running (its effect done) when the kill comes.
  jobs::JobSpec held_spec;
  held_spec.name = "test.effect";
  held_spec.queue = "emails";
  held_spec.priority = 10;
  held_spec.payload = {{"hold_first_attempt_ms", 600000}};
  const std::string held = queue->enqueue(held_spec).id;
  std::vector<jobs::JobSpec> batch(kJobs);
  for (auto& s : batch) {
    s.name = "test.effect";
    s.queue = "emails";
  }
  auto ids = queue->enqueue_batch(batch);
  ids.push_back({held, true});
  const auto total = static_cast<std::int64_t>(ids.size());

  std::int64_t held_at_kill = 0;
  {
    WorkerProcess doomed(env);
    ASSERT_TRUE(eventually(
        [&] {
          return scalar("SELECT COUNT(*) FROM job_test_runs WHERE job_id = '" + held + "'") == 1 &&
                 scalar("SELECT COUNT(*) FROM job_test_runs") >= 40;
        },
        milliseconds(30000)))
        << "the first worker did not get going";
    EXPECT_EQ(WTERMSIG(doomed.signal(SIGKILL)), SIGKILL);
    // What the dead worker held: claimed, not acknowledged. Nobody else runs now.
    held_at_kill = queue->stats("emails").active;
  }
  const auto at_kill = runs();
  EXPECT_LT(static_cast<std::int64_t>(at_kill.per_job.size()), total) << "the kill came after the last job";
  EXPECT_GE(held_at_kill, 1);  // at least the held job

  WorkerProcess survivor(env);
  const bool all_done = eventually(
      [&] {
        auto s = queue->stats("emails");
        return s.pending + s.scheduled + s.active == 0;
      },
      milliseconds(60000));
  ASSERT_TRUE(all_done) << "jobs were lost";
  EXPECT_EQ(WEXITSTATUS(survivor.signal(SIGTERM)), 0);  // graceful stop

  // Nothing lost: every job completed and ran.
  const auto after = runs();
  for (const auto& e : ids) {
    auto job = queue->get(e.id);
    ASSERT_TRUE(job);
    EXPECT_EQ(job->status, jobs::JobStatus::Completed) << e.id;
    const auto ran = after.per_job.contains(e.id) ? after.per_job.at(e.id) : 0;
    EXPECT_GE(ran, 1) << e.id << " never ran";
    // An execution needs a delivery.
    EXPECT_LE(ran, job->attempts) << e.id << " ran more often than it was delivered";
  }
  EXPECT_EQ(static_cast<std::int64_t>(after.per_job.size()), total);
  // Each effect happened exactly once, however often its job ran.
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM job_test_effects"), total);
  EXPECT_EQ(after.applied, total);
  // The kill repeated something (the held job at least), and nothing beyond
  // what the dead worker held.
  const auto repeats = after.executions - total;
  EXPECT_GE(repeats, 1);
  EXPECT_LE(repeats, held_at_kill) << "executions repeated beyond the jobs the killed worker held";
  EXPECT_EQ(after.per_job.at(held), 2);
  EXPECT_EQ(queue->get(held)->attempts, 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, WorkerCrashTest, all_queue_kinds(), queue_kind_name);

}  // namespace
}  // namespace herald::test

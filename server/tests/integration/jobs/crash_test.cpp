// kill -9 of a `herald worker` holding jobs: every job still completes, and
// each effect happens exactly once (the test counts effects, not acks).
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

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

class WorkerCrashTest : public QueueTest {
 protected:
  std::int64_t effects() {
    std::int64_t n = 0;
    try {
      db().acquire()->execute("SELECT COUNT(*) FROM job_test_effects", {},
                              [&](const storage::Row& r) { n = r.integer(0); });
    } catch (const storage::DbError&) {
      // The worker has not created the table yet.
    }
    return n;
  }
};

TEST_P(WorkerCrashTest, KillNineLosesNoJobAndRepeatsNoEffect) {
  constexpr int kJobs = 300;
  TempDirPath data;
  std::unique_ptr<RedisProcess> redis;
  std::unique_ptr<redis::RedisClient> client;
  std::unique_ptr<jobs::JobQueue> queue;
  std::vector<std::string> env = {"HERALD_DATA_DIR=" + data.path.string(),
                                  "HERALD_DATABASE_URL=" + database_url(),
                                  "HERALD_JWT_SECRET=test-secret-test-secret-test-secret-0123",
                                  "HERALD_ENABLE_TEST_JOBS=1",
                                  "HERALD_TEST_JOB_SLEEP_MS=20",
                                  "HERALD_JOB_VISIBILITY_TIMEOUT=1s",
                                  "HERALD_LOG_FORMAT=json"};
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

  std::vector<jobs::JobSpec> batch(kJobs);
  for (auto& s : batch) {
    s.name = "test.effect";
    s.queue = "emails";
  }
  auto ids = queue->enqueue_batch(batch);

  {
    WorkerProcess doomed(env);
    // Kill it while it holds claimed jobs, so that there is something to redeliver.
    ASSERT_TRUE(eventually([&] { return effects() >= 40 && queue->stats("emails").active > 0; }, milliseconds(20000)))
        << "the first worker did not get going";
    EXPECT_EQ(WTERMSIG(doomed.signal(SIGKILL)), SIGKILL);
  }
  const auto at_kill = effects();
  EXPECT_LT(at_kill, kJobs);

  WorkerProcess survivor(env);
  const bool all_done = eventually(
      [&] {
        auto s = queue->stats("emails");
        return s.pending + s.scheduled + s.active == 0;
      },
      milliseconds(30000));
  ASSERT_TRUE(all_done);
  EXPECT_EQ(WEXITSTATUS(survivor.signal(SIGTERM)), 0);  // graceful stop

  EXPECT_EQ(effects(), kJobs);
  int redelivered = 0;
  for (const auto& e : ids) {
    auto job = queue->get(e.id);
    ASSERT_TRUE(job);
    EXPECT_EQ(job->status, jobs::JobStatus::Completed) << e.id;
    if (job->attempts > 1) ++redelivered;
  }
  // The killed worker held jobs in flight; they were delivered again.
  EXPECT_GT(redelivered, 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, WorkerCrashTest, all_queue_kinds(), queue_kind_name);

}  // namespace
}  // namespace herald::test

// The queue contract, on every backend: enqueue/claim/ack, priorities,
// unique keys, visibility timeouts, failures and dead letters, cancellation,
// progress and statistics.
#include <gtest/gtest.h>

#include <thread>

#include "core/errors.hpp"
#include "integration/jobs/fixture.hpp"
#include "jobs/job_id.hpp"

namespace herald::test {
namespace {

using jobs::Job;
using jobs::JobSpec;
using jobs::JobStatus;
using std::chrono::milliseconds;

const std::vector<std::string> kEmails = {"emails"};

JobSpec spec(std::string name = "test.noop", int priority = 0) {
  JobSpec s;
  s.name = std::move(name);
  s.queue = "emails";
  s.priority = priority;
  s.payload = {{"n", priority}};
  return s;
}

class JobQueueTest : public QueueTest {};

TEST_P(JobQueueTest, EnqueueClaimComplete) {
  auto low = queue().enqueue(spec("test.noop", -5));
  auto normal = queue().enqueue(spec("test.noop", 0));
  auto high = queue().enqueue(spec("test.noop", 7));
  EXPECT_TRUE(jobs::is_valid_job_id(high.id));
  EXPECT_TRUE(high.created);
  EXPECT_EQ(queue().get(normal.id)->status, JobStatus::Queued);
  EXPECT_EQ(queue().stats("emails").pending, 3);

  auto claimed = queue().claim(kEmails, "worker-a", 10, milliseconds(30000));
  ASSERT_EQ(claimed.size(), 3u);
  EXPECT_EQ(claimed[0].id, high.id);  // priority first
  EXPECT_EQ(claimed[1].id, normal.id);
  EXPECT_EQ(claimed[2].id, low.id);
  EXPECT_EQ(claimed[0].attempts, 1);
  EXPECT_EQ(claimed[0].payload["n"], 7);
  EXPECT_EQ(queue().stats("emails").active, 3);
  EXPECT_TRUE(queue().claim(kEmails, "worker-b", 10, milliseconds(30000)).empty());

  for (const auto& job : claimed) queue().complete(job, {{"ok", job.id}});
  auto done = queue().get(high.id);
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, JobStatus::Completed);
  EXPECT_EQ(done->result["ok"], high.id);
  EXPECT_EQ(done->progress, 100);
  EXPECT_TRUE(done->finished_at.has_value());
  auto stats = queue().stats("emails");
  EXPECT_EQ(stats.pending, 0);
  EXPECT_EQ(stats.active, 0);
  EXPECT_EQ(stats.processed_per_minute, 3);
  EXPECT_FALSE(queue().get(jobs::new_job_id()).has_value());
}

TEST_P(JobQueueTest, ClaimsOnlyTheRequestedQueuesAndAtMostMax) {
  auto s = spec();
  s.queue = "analytics";
  queue().enqueue(s);
  for (int i = 0; i < 5; ++i) queue().enqueue(spec());
  auto first = queue().claim(kEmails, "w", 2, milliseconds(30000));
  EXPECT_EQ(first.size(), 2u);
  for (const auto& j : first) EXPECT_EQ(j.queue, "emails");
  EXPECT_EQ(queue().claim(kEmails, "w", 10, milliseconds(30000)).size(), 3u);
  const std::vector<std::string> analytics = {"analytics"};
  EXPECT_EQ(queue().claim(analytics, "w", 10, milliseconds(30000)).size(), 1u);
}

TEST_P(JobQueueTest, BatchEnqueueAndUniqueKeys) {
  std::vector<JobSpec> batch;
  for (int i = 0; i < 2500; ++i) {
    auto s = spec();
    if (i % 500 == 0) s.unique_key = "campaign:1:lead:" + std::to_string(i / 1000);  // 0,0,1,1,2
    batch.push_back(s);
  }
  auto result = queue().enqueue_batch(batch);
  ASSERT_EQ(result.size(), batch.size());
  EXPECT_TRUE(result[0].created);
  EXPECT_FALSE(result[500].created);
  EXPECT_EQ(result[500].id, result[0].id);
  EXPECT_EQ(result[1500].id, result[1000].id);
  EXPECT_EQ(queue().stats("emails").pending, 2500 - 2);

  auto again = spec();
  again.unique_key = "campaign:1:lead:2";
  auto second = queue().enqueue(again);
  EXPECT_FALSE(second.created);
  EXPECT_EQ(second.id, result[2000].id);
  EXPECT_EQ(queue().stats("emails").pending, 2500 - 2);

  auto bad = spec();
  bad.queue = "sms";
  std::vector<JobSpec> with_bad = {spec(), bad};
  EXPECT_THROW(queue().enqueue_batch(with_bad), ValidationError);
  EXPECT_EQ(queue().stats("emails").pending, 2500 - 2);  // nothing of a refused batch is stored
}

// Polls `claim` until it hands out something (at most `bound`).
std::vector<Job> claim_within(const std::function<std::vector<Job>()>& claim, milliseconds bound) {
  std::vector<Job> got;
  eventually(
      [&] {
        got = claim();
        return !got.empty();
      },
      bound);
  return got;
}

TEST_P(JobQueueTest, AnExpiredClaimIsDeliveredAgainAndTheStaleAckIsIgnored) {
  // Workers share one visibility timeout (HERALD_JOB_VISIBILITY_TIMEOUT).
  constexpr milliseconds kVisibility(1000);
  auto id = queue().enqueue(spec()).id;
  const auto claimed_at = std::chrono::steady_clock::now();
  auto first = queue().claim(kEmails, "worker-a", 1, kVisibility);
  ASSERT_EQ(first.size(), 1u);
  auto other = another_queue();
  auto second = claim_within([&] { return other->claim(kEmails, "worker-b", 1, kVisibility); }, milliseconds(20000));
  ASSERT_EQ(second.size(), 1u) << "the expired claim was never delivered again";
  // Claim deadlines are whole milliseconds of the wall clock, so "expired"
  // may come up to 1 ms before a full kVisibility of the steady clock.
  EXPECT_GE(std::chrono::steady_clock::now() - claimed_at, kVisibility - milliseconds(1))
      << "delivered again before it expired";
  EXPECT_EQ(second[0].id, id);
  EXPECT_EQ(second[0].attempts, 2);

  queue().complete(first[0], {{"by", "a"}});  // worker-a lost its claim: ignored
  EXPECT_EQ(queue().get(id)->status, JobStatus::Running);
  other->complete(second[0], {{"by", "b"}});
  auto job = queue().get(id);
  EXPECT_EQ(job->status, JobStatus::Completed);
  EXPECT_EQ(job->result["by"], "b");
}

TEST_P(JobQueueTest, HeartbeatsKeepAClaim) {
  // Heartbeats every 100 ms against a 1.5 s visibility timeout, for more than
  // twice that long: only a stall of the test itself over 1.4 s could let
  // the claim lapse.
  constexpr milliseconds kVisibility(1500);
  auto id = queue().enqueue(spec()).id;
  auto claimed = queue().claim(kEmails, "worker-a", 1, kVisibility);
  ASSERT_EQ(claimed.size(), 1u);
  jobs::WorkerInfo me{.id = "worker-a", .queues = kEmails, .concurrency = 1, .host = "test", .pid = 1};
  auto other = another_queue();
  const auto start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start < 2 * kVisibility + milliseconds(300)) {
    std::this_thread::sleep_for(milliseconds(100));
    queue().heartbeat(me, claimed, kVisibility);
    ASSERT_TRUE(other->claim(kEmails, "worker-b", 1, kVisibility).empty()) << "a claim with heartbeats was taken";
  }
  EXPECT_EQ(queue().live_workers(milliseconds(5000)).size(), 1u);
  EXPECT_EQ(queue().get(id)->status, JobStatus::Running);
  // Without them it lapses: what the loop above checked could have failed.
  const auto last_beat = std::chrono::steady_clock::now();
  auto taken = claim_within([&] { return other->claim(kEmails, "worker-b", 1, kVisibility); }, milliseconds(20000));
  ASSERT_EQ(taken.size(), 1u) << "a claim without heartbeats never lapsed";
  EXPECT_GE(std::chrono::steady_clock::now() - last_beat, kVisibility - milliseconds(100));
  other->complete(taken[0], nullptr);
  EXPECT_EQ(queue().get(id)->status, JobStatus::Completed);
  queue().unregister_worker("worker-a");
  EXPECT_TRUE(queue().live_workers(milliseconds(5000)).empty());
}

TEST_P(JobQueueTest, FailuresRetryLaterThenBecomeDeadLettersAnAdminCanRetry) {
  auto s = spec();
  s.max_attempts = 2;
  auto id = queue().enqueue(s).id;

  constexpr milliseconds kBackoff(1000);
  auto first = queue().claim(kEmails, "w", 1, milliseconds(30000));
  ASSERT_EQ(first.size(), 1u);
  const auto failed_at = std::chrono::steady_clock::now();
  queue().fail(first[0], {.error = "smtp 451", .retry_in = kBackoff});
  auto waiting = queue().get(id);
  EXPECT_EQ(waiting->status, JobStatus::Retrying);
  EXPECT_EQ(waiting->error, "smtp 451");
  EXPECT_EQ(jobs::job_status_json(*waiting)["next_attempt_at"], jobs::to_rfc3339(waiting->run_at));
  EXPECT_GT(waiting->run_at, std::chrono::system_clock::now());
  EXPECT_EQ(queue().stats("emails").scheduled, 1);
  EXPECT_TRUE(queue().claim(kEmails, "w", 1, milliseconds(30000)).empty());  // not before the back-off

  auto second = claim_within([&] { return queue().claim(kEmails, "w", 1, milliseconds(30000)); }, milliseconds(20000));
  ASSERT_EQ(second.size(), 1u) << "the job never came back after its back-off";
  // The back-off is measured from before fail(): the job cannot be due earlier.
  EXPECT_GE(std::chrono::steady_clock::now() - failed_at, kBackoff - milliseconds(50));
  EXPECT_EQ(second[0].attempts, 2);
  queue().fail(second[0], {.error = "smtp 451 again", .retry_in = std::nullopt});
  auto dead = queue().get(id);
  EXPECT_EQ(dead->status, JobStatus::Dead);
  EXPECT_EQ(queue().stats("emails").failed, 1);

  auto failed = queue().failed("emails", 0, 50);
  EXPECT_EQ(failed.total, 1);
  ASSERT_EQ(failed.items.size(), 1u);
  EXPECT_EQ(failed.items[0].id, id);
  EXPECT_EQ(failed.items[0].error, "smtp 451 again");

  EXPECT_THROW(queue().retry("emails", jobs::new_job_id()), NotFound);
  EXPECT_THROW(queue().retry("campaigns", id), NotFound);
  EXPECT_EQ(queue().retry("emails", id), 1);
  EXPECT_EQ(queue().get(id)->status, JobStatus::Queued);
  EXPECT_EQ(queue().get(id)->attempts, 0);
  EXPECT_EQ(queue().stats("emails").failed, 0);
  auto third = queue().claim(kEmails, "w", 1, milliseconds(30000));
  ASSERT_EQ(third.size(), 1u);
  EXPECT_EQ(third[0].attempts, 1);
  queue().complete(third[0], nullptr);
  EXPECT_EQ(queue().get(id)->status, JobStatus::Completed);
}

TEST_P(JobQueueTest, RetryAllAndPermanentFailures) {
  for (int i = 0; i < 3; ++i) queue().enqueue(spec());
  for (const auto& job : queue().claim(kEmails, "w", 10, milliseconds(30000))) {
    queue().fail(job, {.error = "bad payload", .retry_in = std::nullopt, .permanent = true});
  }
  auto failed = queue().failed("emails", 0, 2);
  EXPECT_EQ(failed.total, 3);
  EXPECT_EQ(failed.items.size(), 2u);
  EXPECT_EQ(failed.items[0].status, JobStatus::Failed);
  EXPECT_EQ(queue().failed("emails", 2, 2).items.size(), 1u);
  EXPECT_EQ(queue().retry("emails", std::nullopt), 3);
  EXPECT_EQ(queue().stats("emails").pending, 3);
  EXPECT_EQ(queue().retry("emails", std::nullopt), 0);
}

TEST_P(JobQueueTest, CancellingWaitingAndRunningJobs) {
  auto waiting = queue().enqueue(spec()).id;
  auto later = spec();
  later.run_at = std::chrono::system_clock::now() + std::chrono::hours(1);
  auto scheduled = queue().enqueue(later).id;
  EXPECT_EQ(queue().get(scheduled)->status, JobStatus::Scheduled);
  EXPECT_TRUE(queue().cancel(waiting));
  EXPECT_TRUE(queue().cancel(scheduled));
  EXPECT_EQ(queue().get(waiting)->status, JobStatus::Cancelled);
  EXPECT_EQ(queue().get(scheduled)->status, JobStatus::Cancelled);
  EXPECT_THROW(queue().cancel(jobs::new_job_id()), NotFound);

  auto running = queue().enqueue(spec()).id;
  auto claimed = queue().claim(kEmails, "w", 10, milliseconds(30000));
  ASSERT_EQ(claimed.size(), 1u);  // the cancelled ones are never delivered
  EXPECT_EQ(claimed[0].id, running);
  EXPECT_TRUE(queue().cancel(running));
  jobs::WorkerInfo me{.id = "w", .queues = kEmails, .concurrency = 1, .host = "test", .pid = 1};
  EXPECT_EQ(queue().heartbeat(me, claimed, milliseconds(30000)), std::vector<std::string>{running});
  queue().mark_cancelled(claimed[0]);
  EXPECT_EQ(queue().get(running)->status, JobStatus::Cancelled);
  EXPECT_FALSE(queue().cancel(running));  // already finished
  EXPECT_EQ(queue().stats("emails").pending, 0);
}

TEST_P(JobQueueTest, ProgressIsReadableFromAnyProcess) {
  auto id = queue().enqueue(spec()).id;
  auto claimed = queue().claim(kEmails, "w", 1, milliseconds(30000));
  ASSERT_EQ(claimed.size(), 1u);
  queue().set_progress(claimed[0], 40, {{"rows", 400}});
  auto seen = another_queue()->get(id);
  EXPECT_EQ(seen->status, JobStatus::Running);
  EXPECT_EQ(seen->progress, 40);
  EXPECT_EQ(seen->progress_detail["rows"], 400);
  EXPECT_EQ(seen->attempts, 1);
}

TEST_P(JobQueueTest, ReleaseGivesTheAttemptBack) {
  auto id = queue().enqueue(spec()).id;
  auto claimed = queue().claim(kEmails, "w", 1, milliseconds(30000));
  ASSERT_EQ(claimed.size(), 1u);
  queue().release(claimed[0]);
  auto job = queue().get(id);
  EXPECT_EQ(job->status, JobStatus::Queued);
  EXPECT_EQ(job->attempts, 0);
  auto again = queue().claim(kEmails, "w", 1, milliseconds(30000));
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].attempts, 1);
}

TEST_P(JobQueueTest, StatsReportTheOldestPendingAge) {
  auto past = spec();
  past.run_at = std::chrono::system_clock::now() - std::chrono::seconds(5);
  queue().enqueue(past);
  auto stats = queue().stats("emails");
  EXPECT_EQ(stats.name, "emails");
  EXPECT_EQ(stats.pending, 1);
  // Redis dates a ready job from when it reached its stream; the database from run_at.
  EXPECT_GE(stats.oldest_pending_age_s, kind() == QueueKind::Redis ? 0.0 : 4.5);
  EXPECT_LT(stats.oldest_pending_age_s, 60.0);
}

INSTANTIATE_TEST_SUITE_P(Backends, JobQueueTest, all_queue_kinds(), queue_kind_name);

}  // namespace
}  // namespace herald::test

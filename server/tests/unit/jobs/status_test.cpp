// A waiting job's status is derived, never stored: retrying after a failed
// attempt (with the time of the next), scheduled for later, or queued.
#include <gtest/gtest.h>

#include "jobs/redis_queue.hpp"
#include "jobs/types.hpp"

namespace herald::jobs {
namespace {

TEST(DerivedJobStatus, WaitingJobsAreQueuedScheduledOrRetrying) {
  const auto now = from_millis(10'000);
  EXPECT_EQ(waiting_status(0, false, from_millis(5'000), now), JobStatus::Queued);
  EXPECT_EQ(waiting_status(0, false, from_millis(20'000), now), JobStatus::Scheduled);
  EXPECT_EQ(waiting_status(2, true, from_millis(20'000), now), JobStatus::Retrying);
  EXPECT_EQ(waiting_status(2, true, from_millis(5'000), now), JobStatus::Retrying);  // due, not yet claimed
  // Retried by an admin: attempts start again, the old error stays for the record.
  EXPECT_EQ(waiting_status(0, true, from_millis(5'000), now), JobStatus::Queued);
}

TEST(DerivedJobStatus, TheJsonOfARetryingJobNamesTheNextAttempt) {
  Job j;
  j.status = JobStatus::Retrying;
  j.error = "smtp 451";
  j.run_at = from_millis(1'700'000'000'123);
  auto doc = job_status_json(j);
  EXPECT_EQ(doc["status"], "retrying");
  EXPECT_EQ(doc["error"], "smtp 451");
  EXPECT_EQ(doc["next_attempt_at"], "2023-11-14T22:13:20.123Z");
  j.status = JobStatus::Running;
  EXPECT_TRUE(job_status_json(j)["next_attempt_at"].is_null());
}

TEST(DerivedJobStatus, ARedisJobWaitingOutItsBackOffIsRetrying) {
  auto s = [](const char* v) {
    redis::RedisValue r;
    r.type = redis::RedisValue::Type::String;
    r.str = v;
    return r;
  };
  std::vector<redis::RedisValue> flat = {s("id"),       s("01ARYZ6S41TSV4RRFFQ69G5FAV"),
                                         s("status"),   s("scheduled"),
                                         s("attempts"), s("1"),
                                         s("run_at"),   s("5000"),
                                         s("error"),    s("smtp 451")};
  EXPECT_EQ(job_from_hash(flat, 1000).status, JobStatus::Retrying);
  flat[9] = s("");
  EXPECT_EQ(job_from_hash(flat, 1000).status, JobStatus::Scheduled);
}

}  // namespace
}  // namespace herald::jobs

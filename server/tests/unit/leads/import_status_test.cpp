// An import's report tells the truth about its job: a failed attempt waiting
// for the next is `retrying` with the last error and the time of the next
// attempt; a job that gave up is `failed` with its reason; a finished import
// is what the database says.
#include <gtest/gtest.h>

#include "leads/imports.hpp"

namespace herald::leads {
namespace {

ImportRecord record(std::string status) {
  ImportRecord r;
  r.id = 7;
  r.status = std::move(status);
  r.options = nlohmann::json::object();
  r.total_bytes = 1000;
  r.checkpoint.next_offset = 250;
  r.checkpoint.rows = 50;
  r.created_at = "2026-01-01T00:00:00.000Z";
  return r;
}

jobs::Job job(jobs::JobStatus status, std::optional<std::string> error) {
  jobs::Job j;
  j.id = "01ARYZ6S41TSV4RRFFQ69G5FAV";
  j.status = status;
  j.attempts = 2;
  j.max_attempts = 10;
  j.error = std::move(error);
  j.run_at = jobs::from_millis(1'800'000'000'000);
  return j;
}

TEST(ImportStatus, WithoutAJobTheDatabaseSpeaks) {
  auto doc = to_json(record("running"), {});
  EXPECT_EQ(doc["status"], "running");
  EXPECT_EQ(doc["rows"], 50);
  EXPECT_EQ(doc["percent"], 25);
  EXPECT_TRUE(doc["error"].is_null());
  EXPECT_TRUE(doc["next_attempt_at"].is_null());
  EXPECT_TRUE(doc["queue_job_id"].is_null());
}

TEST(ImportStatus, AFailedAttemptWaitingForTheNextIsRetrying) {
  auto doc =
      to_json(record("running"), {}, job(jobs::JobStatus::Retrying, "the database cannot write: the disk is full"));
  EXPECT_EQ(doc["status"], "retrying");
  EXPECT_EQ(doc["error"], "the database cannot write: the disk is full");
  EXPECT_EQ(doc["next_attempt_at"], "2027-01-15T08:00:00.000Z");
  EXPECT_EQ(doc["attempts"], 2);
  EXPECT_EQ(doc["max_attempts"], 10);
  EXPECT_EQ(doc["queue_job_id"], "01ARYZ6S41TSV4RRFFQ69G5FAV");
  EXPECT_EQ(doc["rows"], 50);  // progress so far is kept
}

TEST(ImportStatus, AJobThatGaveUpMakesTheImportFailedWithItsReason) {
  for (auto s : {jobs::JobStatus::Dead, jobs::JobStatus::Failed}) {
    auto doc = to_json(record("queued"), {}, job(s, "boom"));
    EXPECT_EQ(doc["status"], "failed");
    EXPECT_EQ(doc["error"], "boom");
    EXPECT_TRUE(doc["next_attempt_at"].is_null());
  }
  EXPECT_EQ(to_json(record("running"), {}, job(jobs::JobStatus::Dead, std::nullopt))["error"],
            "the import job gave up");
}

TEST(ImportStatus, ARunningAttemptAfterAFailureShowsTheLastError) {
  auto doc = to_json(record("running"), {}, job(jobs::JobStatus::Running, "the import is held by another worker"));
  EXPECT_EQ(doc["status"], "running");
  EXPECT_EQ(doc["error"], "the import is held by another worker");
  auto fresh = to_json(record("queued"), {}, job(jobs::JobStatus::Queued, std::nullopt));
  EXPECT_EQ(fresh["status"], "queued");
  EXPECT_TRUE(fresh["error"].is_null());
}

TEST(ImportStatus, AFinishedImportIgnoresItsJob) {
  auto done = record("completed");
  auto doc = to_json(done, {}, job(jobs::JobStatus::Dead, "stale news"));
  EXPECT_EQ(doc["status"], "completed");
  EXPECT_EQ(doc["percent"], 100);
  EXPECT_TRUE(doc["error"].is_null());
  auto failed = record("failed");
  failed.error = "the file has no header row";
  EXPECT_EQ(to_json(failed, {}, job(jobs::JobStatus::Retrying, "other"))["error"], "the file has no header row");
}

}  // namespace
}  // namespace herald::leads

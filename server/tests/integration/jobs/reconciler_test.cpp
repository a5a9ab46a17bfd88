// The reconciler on each queue backend: one process at a time (the lease),
// an import the database says must run gets its job back when the queue lost
// it, and an import whose job gave up reports (and then is) failed.
#include <gtest/gtest.h>

#include "auth/users.hpp"
#include "core/time.hpp"
#include "integration/jobs/fixture.hpp"
#include "jobs/reconciler.hpp"
#include "leads/import_store.hpp"
#include "leads/importer.hpp"
#include "leads/imports.hpp"
#include "leads/runner.hpp"
#include "leads/segments.hpp"
#include "leads/service.hpp"

namespace herald::test {
namespace {

using std::chrono::milliseconds;

class ReconcilerTest : public QueueTest {
 protected:
  void SetUp() override {
    QueueTest::SetUp();
    if (HasFatalFailure()) return;
    users_ = std::make_unique<auth::UserDirectory>(db());
    leads_ = std::make_unique<leads::LeadService>(db(), clock_, *users_, 0);
    segments_ = std::make_unique<leads::SegmentService>(db(), clock_, *leads_);
    importer_ = std::make_unique<leads::Importer>(db(), *segments_, *users_, clock_);
    runner_ = std::make_unique<leads::QueueImportRunner>(queue());
    imports_ = std::make_unique<leads::ImportService>(db(), *runner_, clock_);
    leads::register_import_reconciler(registry_, *importer_);
  }
  void TearDown() override {
    imports_.reset();
    runner_.reset();
    importer_.reset();
    segments_.reset();
    leads_.reset();
    users_.reset();
    QueueTest::TearDown();
  }

  // A stored, queued import of `rows` leads; its job is not enqueued.
  std::int64_t stored_import(int rows) {
    std::string csv = "email\n";
    for (int i = 0; i < rows; ++i) csv += "r" + std::to_string(i) + "@example.com\n";
    auto upload = imports_->begin(leads::ImportOptions{}, "r.csv", std::nullopt);
    upload->write(csv);
    return upload->finish();
  }

  std::unique_ptr<jobs::Reconciler> reconciler(const std::string& holder, const Clock& clock) {
    return std::make_unique<jobs::Reconciler>(db(), queue(), registry_, clock,
                                              jobs::ReconcilerOptions{milliseconds(1000), holder});
  }

  std::optional<jobs::Job> import_job(std::int64_t id) {
    return queue().find_unique(*leads::import_job_spec(id).unique_key);
  }

  std::unique_ptr<auth::UserDirectory> users_;
  std::unique_ptr<leads::LeadService> leads_;
  std::unique_ptr<leads::SegmentService> segments_;
  std::unique_ptr<leads::Importer> importer_;
  std::unique_ptr<leads::QueueImportRunner> runner_;
  std::unique_ptr<leads::ImportService> imports_;
  jobs::ReconcilerRegistry registry_;
};

TEST_P(ReconcilerTest, OneProcessAtATimeHoldsTheLease) {
  ManualClock clock;
  int passes = 0;
  jobs::ReconcilerRegistry counting;
  counting.add("count", [&](const jobs::ReconcileContext&) {
    ++passes;
    return std::int64_t{0};
  });
  jobs::Reconciler a(db(), queue(), counting, clock, {milliseconds(1000), "process-a"});
  jobs::Reconciler b(db(), queue(), counting, clock, {milliseconds(1000), "process-b"});
  EXPECT_EQ(a.run_once(), 0);
  EXPECT_EQ(b.run_once(), std::nullopt);  // a holds it
  EXPECT_EQ(a.run_once(), 0);             // and renews it
  EXPECT_EQ(passes, 2);

  clock.advance(std::chrono::seconds(4));  // a stopped renewing: its lease (3 intervals) ran out
  EXPECT_EQ(b.run_once(), 0);
  EXPECT_EQ(a.run_once(), std::nullopt);
  b.stop();  // a clean stop gives the lease up at once
  EXPECT_EQ(a.run_once(), 0);
  EXPECT_EQ(passes, 4);

  EXPECT_THROW(counting.add("count", [](const jobs::ReconcileContext&) { return std::int64_t{0}; }), std::logic_error);
}

TEST_P(ReconcilerTest, AnImportWhoseJobTheQueueLostIsEnqueuedAgainOnce) {
  const auto id = stored_import(3);
  EXPECT_FALSE(import_job(id));  // as after Redis restarted empty
  auto r = reconciler("p", clock_);
  EXPECT_EQ(r->run_once(), 1);
  auto job = import_job(id);
  ASSERT_TRUE(job);
  EXPECT_EQ(job->name, "leads.import");
  EXPECT_EQ(job->payload["import_id"], id);
  EXPECT_EQ(r->run_once(), 0);  // the queue has it now: nothing more
  EXPECT_EQ(import_job(id)->id, job->id);
}

TEST_P(ReconcilerTest, ARunningImportWithAStaleHeartbeatIsEnqueuedAgain) {
  const auto id = stored_import(3);
  {
    // A worker claimed it ten minutes ago and has not been heard of since.
    auto conn = db().acquire();
    const auto then = std::chrono::system_clock::now() - std::chrono::minutes(10);
    ASSERT_TRUE(leads::ImportStore(db().backend())
                    .claim(*conn, id, "gone", rfc3339(then), rfc3339(then - std::chrono::minutes(1))));
  }
  auto r = reconciler("p", clock_);
  EXPECT_EQ(r->run_once(), 1);
  // A live worker's import (fresh heartbeat) is left alone.
  const auto live = stored_import(2);
  {
    auto conn = db().acquire();
    const auto now = std::chrono::system_clock::now();
    ASSERT_TRUE(leads::ImportStore(db().backend())
                    .claim(*conn, live, "alive", rfc3339(now), rfc3339(now - std::chrono::minutes(1))));
  }
  EXPECT_EQ(r->run_once(), 0);
  EXPECT_FALSE(import_job(live));

  // The job runs: the import completes exactly once.
  auto claimed = queue().claim(std::vector<std::string>{"campaigns"}, "w", 1, milliseconds(30000));
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_EQ(importer_->run(id, "w"), leads::Importer::Outcome::Completed);
  queue().complete(claimed[0], nullptr);
  auto report = imports_->status(id);
  EXPECT_EQ(report["status"], "completed");
  EXPECT_EQ(report["created"], 3);
}

TEST_P(ReconcilerTest, TheReportFollowsTheJobAndAJobThatGaveUpFailsTheImport) {
  const auto id = stored_import(3);
  imports_->submit(id);
  auto first = queue().claim(std::vector<std::string>{"campaigns"}, "w", 1, milliseconds(30000));
  ASSERT_EQ(first.size(), 1u);
  queue().fail(first[0], {.error = "the database cannot write: the disk is full", .retry_in = milliseconds(60000)});

  auto retrying = imports_->status(id);
  EXPECT_EQ(retrying["status"], "retrying");
  EXPECT_EQ(retrying["error"], "the database cannot write: the disk is full");
  const auto job = queue().get(first[0].id);
  ASSERT_TRUE(job);
  EXPECT_EQ(job->status, jobs::JobStatus::Retrying);
  EXPECT_EQ(retrying["next_attempt_at"], jobs::to_rfc3339(job->run_at));
  EXPECT_EQ(retrying["queue_job_id"], job->id);
  EXPECT_EQ(retrying["attempts"], 1);

  auto r = reconciler("p", clock_);
  EXPECT_EQ(r->run_once(), 0);  // retrying: the queue has it in hand
  // A finished job holding the key while the import is unfinished (a queue
  // restored from an old snapshot; here: cancelled) gets a successor.
  queue().cancel(job->id);
  EXPECT_EQ(queue().get(job->id)->status, jobs::JobStatus::Cancelled);
  EXPECT_EQ(r->run_once(), 1);
  EXPECT_EQ(r->run_once(), 0);
  auto second = queue().claim(std::vector<std::string>{"campaigns"}, "w", 1, milliseconds(30000));
  ASSERT_EQ(second.size(), 1u);
  EXPECT_NE(second[0].id, job->id);
  EXPECT_EQ(imports_->status(id)["queue_job_id"], second[0].id);
  // Its last attempt fails for good, and the worker could not mark the
  // import (the disk was still full, say).
  queue().fail(second[0], {.error = "boom", .retry_in = std::nullopt});
  EXPECT_EQ(queue().get(second[0].id)->status, jobs::JobStatus::Dead);

  // The report says so at once; the reconciler then writes it down.
  auto reported = imports_->status(id);
  EXPECT_EQ(reported["status"], "failed");
  EXPECT_EQ(reported["error"], "boom");
  EXPECT_TRUE(importer_->unfinished(id));
  EXPECT_EQ(r->run_once(), 0);
  EXPECT_FALSE(importer_->unfinished(id));
  auto failed = imports_->status(id);
  EXPECT_EQ(failed["status"], "failed");
  EXPECT_EQ(failed["error"], "boom");
}

INSTANTIATE_TEST_SUITE_P(Backends, ReconcilerTest, all_queue_kinds(), queue_kind_name);

}  // namespace
}  // namespace herald::test

// The importer against a real database on both backends: an import stopped
// after any batch (a crash) and resumed by another worker applies every row
// exactly once, with the same counts as an uninterrupted run.
#include <gtest/gtest.h>

#include <thread>

#include "auth/users.hpp"
#include "core/clock.hpp"
#include "jobs/db_queue.hpp"
#include "jobs/worker.hpp"
#include "leads/importer.hpp"
#include "leads/imports.hpp"
#include "leads/runner.hpp"
#include "storage/migrations.hpp"
#include "support/test_databases.hpp"

namespace herald::test {
namespace {

using namespace herald::leads;

struct Crash : std::runtime_error {
  Crash() : std::runtime_error("worker killed") {}
};

// 1,000 rows, every 37th invalid, every 50th a duplicate of an earlier row
// (some far back, across batches), tags on some: known counts.
struct Sample {
  std::string csv = "email;name;plan;tags\r\n";
  int rows = 0, valid = 0, invalid = 0, duplicates = 0;
};
Sample sample() {
  Sample s;
  for (int i = 0; i < 1000; ++i) {
    ++s.rows;
    if (i % 37 == 36) {
      s.csv += "broken-" + std::to_string(i) + ";X;;\r\n";
      ++s.invalid;
    } else if (i % 50 == 49) {
      s.csv += "lead" + std::to_string(i - 40) + "@example.com;\"Again, " + std::to_string(i) + "\";;\r\n";
      ++s.duplicates;
    } else {
      s.csv += "lead" + std::to_string(i) + "@example.com;\"Name " + std::to_string(i) + "\";plan" +
               std::to_string(i % 3) + ";" + (i % 4 == 0 ? "\"a,b\"" : "") + "\r\n";
      ++s.valid;
    }
  }
  return s;
}

class ImporterTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFailure()) return;
    storage::migrate(db());
    users_ = std::make_unique<auth::UserDirectory>(db());
    leads_ = std::make_unique<LeadService>(db(), clock_, *users_);
    segments_ = std::make_unique<SegmentService>(db(), clock_, *leads_);
    imports_ = std::make_unique<ImportService>(db(), deferred_, clock_, 997);  // many chunks, odd boundaries
  }
  void TearDown() override {
    imports_.reset();
    segments_.reset();
    leads_.reset();
    users_.reset();
    BackendTest::TearDown();
  }

  std::int64_t upload(const std::string& csv, ImportMode mode = ImportMode::CreateOnly) {
    ImportOptions o;
    o.mode = mode;
    o.tags = {"batch"};
    auto u = imports_->begin(o, "sample.csv", std::nullopt);
    for (std::size_t i = 0; i < csv.size(); i += 333) u->write(std::string_view(csv).substr(i, 333));
    return u->finish();
  }

  Importer importer(std::size_t batch_rows = 40) {
    ImporterSettings s;
    s.batch_rows = batch_rows;
    return Importer(db(), *segments_, *users_, clock_, s);
  }

  std::int64_t scalar(const std::string& sql) {
    std::int64_t v = 0;
    db().acquire()->execute(sql, {}, [&](const storage::Row& r) { v = r.integer(0); });
    return v;
  }

  nlohmann::json status(std::int64_t id) { return imports_->status(id); }

  ManualClock clock_;
  DeferredImportRunner deferred_;
  std::unique_ptr<auth::UserDirectory> users_;
  std::unique_ptr<LeadService> leads_;
  std::unique_ptr<SegmentService> segments_;
  std::unique_ptr<ImportService> imports_;
};

void expect_counts(const nlohmann::json& j, const Sample& s) {
  EXPECT_EQ(j["status"], "completed") << j.dump();
  EXPECT_EQ(j["rows"], s.rows);
  EXPECT_EQ(j["created"], s.valid);
  EXPECT_EQ(j["skipped"], s.duplicates);
  EXPECT_EQ(j["failed"], s.invalid);
  EXPECT_EQ(j["percent"], 100);
}

TEST_P(ImporterTest, AnUninterruptedRun) {
  auto s = sample();
  auto id = upload(s.csv);
  EXPECT_EQ(importer().run(id, "w1"), Importer::Outcome::Completed);
  expect_counts(status(id), s);
  EXPECT_EQ(scalar("SELECT count(*) FROM leads"), s.valid);
  EXPECT_EQ(scalar("SELECT count(*) FROM lead_import_errors"), s.invalid + s.duplicates);
  EXPECT_EQ(scalar("SELECT count(*) FROM lead_import_chunks"), 0);  // the file is gone once applied
  EXPECT_EQ(scalar("SELECT count(*) FROM lead_tags WHERE tag = 'batch'"), s.valid);
  EXPECT_EQ(scalar("SELECT count(*) FROM lead_tags WHERE tag = 'a'"),
            scalar("SELECT count(*) FROM lead_tags WHERE tag = 'b'"));
  EXPECT_EQ(importer().run(id, "w2"), Importer::Outcome::NotClaimed);  // finished
}

TEST_P(ImporterTest, KilledAfterAnyBatchAndResumedElsewhereAppliesEveryRowOnce) {
  auto s = sample();
  for (std::int64_t crash_after : {1, 3, 7, 20}) {
    SCOPED_TRACE("crash after batch " + std::to_string(crash_after));
    db().acquire()->execute("DELETE FROM leads");
    auto id = upload(s.csv);
    ImporterHooks kill;
    kill.after_batch = [&](std::int64_t batches) {
      if (batches == crash_after) throw Crash();
    };
    EXPECT_THROW(importer().run(id, "dying-worker", kill), Crash);
    auto halfway = status(id);
    EXPECT_EQ(halfway["status"], "running");
    EXPECT_GT(halfway["rows"].get<int>(), 0);
    EXPECT_LT(halfway["rows"].get<int>(), s.rows);
    EXPECT_EQ(scalar("SELECT count(*) FROM leads"), halfway["created"].get<int>());

    // A live claim is respected; a stale one is taken over.
    EXPECT_EQ(importer().run(id, "replacement"), Importer::Outcome::NotClaimed);
    clock_.advance(std::chrono::minutes(2));
    EXPECT_EQ(importer().run(id, "replacement"), Importer::Outcome::Completed);
    expect_counts(status(id), s);
    EXPECT_EQ(scalar("SELECT count(*) FROM leads"), s.valid);
    EXPECT_EQ(scalar("SELECT count(*) FROM (SELECT email FROM leads GROUP BY email HAVING count(*) > 1) d"), 0);
    EXPECT_EQ(scalar("SELECT count(*) FROM lead_import_errors WHERE import_id = " + std::to_string(id)),
              s.invalid + s.duplicates);
  }
}

TEST_P(ImporterTest, UpsertResumedRecognisesDuplicatesAcrossTheCrash) {
  auto s = sample();
  auto first = upload(s.csv);
  ASSERT_EQ(importer().run(first, "w"), Importer::Outcome::Completed);
  // Every valid row now exists: an upsert updates each exactly once, even
  // when the crash falls between a row and its later duplicate.
  auto id = upload(s.csv, ImportMode::Upsert);
  ImporterHooks kill;
  kill.after_batch = [](std::int64_t batches) {
    if (batches == 5) throw Crash();
  };
  EXPECT_THROW(importer().run(id, "dying-worker", kill), Crash);
  clock_.advance(std::chrono::minutes(2));
  ASSERT_EQ(importer().run(id, "replacement"), Importer::Outcome::Completed);
  auto j = status(id);
  EXPECT_EQ(j["updated"], s.valid);
  EXPECT_EQ(j["created"], 0);
  EXPECT_EQ(j["skipped"], s.duplicates);
  EXPECT_EQ(j["failed"], s.invalid);
  EXPECT_EQ(scalar("SELECT count(*) FROM leads"), s.valid);
}

TEST_P(ImporterTest, AWorkerThatLostItsClaimCommitsNothing) {
  auto s = sample();
  auto id = upload(s.csv);
  // The first worker stalls after two batches; meanwhile its claim goes
  // stale and another worker finishes the import. The first one's next
  // checkpoint no longer matches, so its batch rolls back.
  ImporterHooks stall;
  stall.after_batch = [&](std::int64_t batches) {
    if (batches != 2) return;
    clock_.advance(std::chrono::minutes(2));
    EXPECT_EQ(importer().run(id, "second"), Importer::Outcome::Completed);
  };
  EXPECT_THROW(importer().run(id, "first", stall), std::exception);
  expect_counts(status(id), s);
  EXPECT_EQ(scalar("SELECT count(*) FROM leads"), s.valid);
}

// The import through the real job queue: a `leads.import` job on the
// embedded queue of the same database, applied by a worker pool.
class QueueWorker {
 public:
  QueueWorker(storage::Database& db, Importer& importer) : queue_(db, clock_) {
    register_import_job(handlers_, importer);
    jobs::WorkerOptions o;
    o.concurrency = 1;
    o.poll_interval = std::chrono::milliseconds(20);
    pool_ = std::make_unique<jobs::WorkerPool>(queue_, handlers_, o);
    pool_->start();
  }
  void submit(std::int64_t id) { QueueImportRunner(queue_).submit(id); }
  void stop() { pool_->stop(); }

 private:
  SystemClock clock_;
  jobs::DbQueue queue_;
  jobs::HandlerRegistry handlers_;
  std::unique_ptr<jobs::WorkerPool> pool_;
};

TEST_P(ImporterTest, AQueueWorkerTakesOverAnImportLeftRunning) {
  auto s = sample();
  auto id = upload(s.csv);
  ImporterHooks kill;
  kill.after_batch = [](std::int64_t batches) {
    if (batches == 4) throw Crash();
  };
  EXPECT_THROW(importer().run(id, "a-process-that-died", kill), Crash);
  clock_.advance(std::chrono::minutes(2));  // the dead worker's heartbeat goes stale
  auto worker = importer(200);
  QueueWorker queue(db(), worker);
  queue.submit(id);
  queue.submit(id);  // a second submit of the same import is a no-op
  for (int i = 0; i < 500 && status(id)["status"] != "completed"; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  queue.stop();
  expect_counts(status(id), s);
  EXPECT_EQ(scalar("SELECT count(*) FROM leads"), s.valid);
  EXPECT_EQ(scalar("SELECT count(*) FROM jobs WHERE name = 'leads.import'"), 1);
}

TEST_P(ImporterTest, AStoppingWorkerHandsTheImportBack) {
  auto s = sample();
  auto id = upload(s.csv);
  auto worker = importer(10);
  {
    QueueWorker queue(db(), worker);
    queue.submit(id);
    for (int i = 0; i < 500 && status(id)["rows"].get<int>() == 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    queue.stop();
  }
  auto j = status(id);
  if (j["status"] != "completed") {
    EXPECT_EQ(j["status"], "queued");  // released, not left claimed
    EXPECT_EQ(importer().run(id, "next"), Importer::Outcome::Completed);
  }
  expect_counts(status(id), s);
}

INSTANTIATE_TEST_SUITE_P(Backends, ImporterTest, all_backends(), backend_test_name);

}  // namespace
}  // namespace herald::test

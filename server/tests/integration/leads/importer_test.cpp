// The importer against a real database on both backends: an import
// interrupted after any batch — by an exception in-process, or by SIGKILL of
// the `herald import-leads` process applying it — and resumed by another
// worker applies every row exactly once, with the same counts as an
// uninterrupted run.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <set>
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
#include "support/test_server.hpp"

namespace herald::test {
namespace {

using namespace herald::leads;

// Thrown by a hook to stop an import half-way inside this process (not a
// kill: the importer's own stack unwinds; see KilledBySigkill… for a kill).
struct Interruption : std::runtime_error {
  Interruption() : std::runtime_error("interrupted on purpose") {}
};

// `rows` rows, every 37th invalid, every 50th a duplicate of an earlier valid
// row (some far back, across batches), tags on some: known counts.
struct Sample {
  std::string csv = "email;name;plan;tags\r\n";
  int rows = 0, valid = 0, invalid = 0, duplicates = 0;
};
Sample sample(int rows = 1000) {
  Sample s;
  for (int i = 0; i < rows; ++i) {
    ++s.rows;
    if (i % 37 == 36) {
      s.csv += "broken-" + std::to_string(i) + ";X;;\r\n";
      ++s.invalid;
    } else if (i % 50 == 49) {
      const int earlier = (i - 40) % 37 == 36 ? i - 41 : i - 40;  // a valid row
      s.csv += "lead" + std::to_string(earlier) + "@example.com;\"Again, " + std::to_string(i) + "\";;\r\n";
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

  // Polls `done` every `every` until it holds or 60 s pass.
  static bool wait_for(const std::function<bool()>& done,
                       std::chrono::milliseconds every = std::chrono::milliseconds(20)) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < until) {
      if (done()) return true;
      std::this_thread::sleep_for(every);
    }
    return done();
  }

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

TEST_P(ImporterTest, InterruptedByAnExceptionAfterAnyBatchAndResumedElsewhereAppliesEveryRowOnce) {
  auto s = sample();
  for (std::int64_t stop_after : {1, 3, 7, 20}) {
    SCOPED_TRACE("interrupted after batch " + std::to_string(stop_after));
    db().acquire()->execute("DELETE FROM leads");
    auto id = upload(s.csv);
    ImporterHooks interrupt;
    interrupt.after_batch = [&](std::int64_t batches) {
      if (batches == stop_after) throw Interruption();
    };
    EXPECT_THROW(importer().run(id, "interrupted-worker", interrupt), Interruption);
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

TEST_P(ImporterTest, UpsertResumedRecognisesDuplicatesAcrossAnInterruption) {
  auto s = sample();
  auto first = upload(s.csv);
  ASSERT_EQ(importer().run(first, "w"), Importer::Outcome::Completed);
  // Every valid row now exists: an upsert updates each exactly once, even
  // when the interruption falls between a row and its later duplicate.
  auto id = upload(s.csv, ImportMode::Upsert);
  ImporterHooks interrupt;
  interrupt.after_batch = [](std::int64_t batches) {
    if (batches == 5) throw Interruption();
  };
  EXPECT_THROW(importer().run(id, "interrupted-worker", interrupt), Interruption);
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
  ImporterHooks interrupt;
  interrupt.after_batch = [](std::int64_t batches) {
    if (batches == 4) throw Interruption();
  };
  EXPECT_THROW(importer().run(id, "a-worker-that-stopped", interrupt), Interruption);
  clock_.advance(std::chrono::minutes(2));  // its heartbeat goes stale
  auto worker = importer(200);
  QueueWorker queue(db(), worker);
  queue.submit(id);
  queue.submit(id);  // a second submit of the same import is a no-op
  EXPECT_TRUE(wait_for([&] { return status(id)["status"] == "completed"; }));
  queue.stop();
  expect_counts(status(id), s);
  EXPECT_EQ(scalar("SELECT count(*) FROM leads"), s.valid);
  EXPECT_EQ(scalar("SELECT count(*) FROM jobs WHERE name = 'leads.import'"), 1);
}

TEST_P(ImporterTest, AStoppingWorkerHandsTheImportBack) {
  auto s = sample();
  auto id = upload(s.csv);
  // One row a batch: a thousand commits, so the stop below reaches the
  // worker long before the last one. Should it ever come too late, the test
  // fails rather than passing without a hand-back.
  auto worker = importer(1);
  {
    QueueWorker queue(db(), worker);
    queue.submit(id);
    ASSERT_TRUE(wait_for([&] { return status(id)["rows"].get<int>() > 0; }, std::chrono::milliseconds(1)));
    queue.stop();
  }
  auto j = status(id);
  ASSERT_NE(j["status"], "completed") << "the import ran to its end through the stop: nothing was handed back";
  EXPECT_EQ(j["status"], "queued");  // released, not left claimed
  EXPECT_GT(j["rows"].get<int>(), 0);
  EXPECT_LT(j["rows"].get<int>(), s.rows);
  EXPECT_EQ(scalar("SELECT count(*) FROM leads"), j["created"].get<int>());
  EXPECT_EQ(importer().run(id, "next"), Importer::Outcome::Completed);  // no stale claim to wait out
  expect_counts(status(id), s);
  EXPECT_EQ(scalar("SELECT count(*) FROM leads"), s.valid);
}

// A real kill: `herald import-leads` applies a file in batches of 50,000
// rows; after its first checkpoint it is killed with SIGKILL in the middle of
// a batch. That batch rolls back; the dead process's claim is respected until
// it goes stale; another worker then resumes from the checkpoint and every
// row is applied exactly once.
TEST_P(ImporterTest, KilledBySigkillMidImportAndResumedElsewhereAppliesEveryRowOnce) {
  const auto s = sample(110000);
  TempDir dir;
  const auto file = dir.path() / "big.csv";
  std::ofstream(file, std::ios::binary) << s.csv;
  const std::string env_data = "HERALD_DATA_DIR=" + dir.path().string();
  const std::string env_db = "HERALD_DATABASE_URL=" + scratch().url();
  const std::string env_secret = "HERALD_JWT_SECRET=" + std::string(kTestJwtSecret);
  const std::string log = (dir.path() / "import.log").string();
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(out, 1);
    ::dup2(out, 2);
    std::array<char*, 4> env = {const_cast<char*>(env_data.c_str()), const_cast<char*>(env_db.c_str()),
                                const_cast<char*>(env_secret.c_str()), nullptr};
    ::execle(HERALD_BINARY, HERALD_BINARY, "import-leads", file.c_str(), static_cast<char*>(nullptr), env.data());
    ::_exit(127);
  }
  auto reap = [&](int sig) {
    ::kill(pid, sig);
    int wstatus = 0;
    ::waitpid(pid, &wstatus, 0);
    return wstatus;
  };
  // The first checkpoint: a batch applied and committed.
  bool exited = false;
  const bool checkpointed = wait_for(
      [&] {
        int wstatus = 0;
        exited = ::waitpid(pid, &wstatus, WNOHANG) == pid;
        return exited || scalar("SELECT COALESCE(MAX(rows_read), 0) FROM lead_imports") > 0;
      },
      std::chrono::milliseconds(5));
  if (!exited && !checkpointed) reap(SIGKILL);
  ASSERT_FALSE(exited) << "the import process ended before the kill; it said: "
                       << std::string(std::istreambuf_iterator<char>(std::ifstream(log).rdbuf()), {});
  ASSERT_TRUE(checkpointed) << "the import process made no checkpoint; it said: "
                            << std::string(std::istreambuf_iterator<char>(std::ifstream(log).rdbuf()), {});
  const auto id = scalar("SELECT MAX(id) FROM lead_imports");

  // Kill it in the middle of a batch's transaction, when the batch is
  // written and not committed. PostgreSQL: the test locks the import's row, so
  // the process applies its next batch and then waits to write its
  // checkpoint. SQLite (one writer): when the process holds the write lock.
  {
    int wstatus = 0;
    if (backend() == storage::Backend::Postgres) {
      auto locker = scratch().open({.pool_size = 1});
      auto conn = locker->acquire();
      storage::Transaction lock(*conn, storage::TxMode::Write);
      // FOR SHARE blocks the checkpoint's UPDATE of this row, not the
      // foreign-key checks of the batch's inserts.
      conn->execute("SELECT id FROM lead_imports WHERE id = $1 FOR SHARE", {id});
      const bool waiting = wait_for(
          [&] {
            return scalar(
                       "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND "
                       "wait_event_type = 'Lock'") > 0;
          },
          std::chrono::milliseconds(5));
      wstatus = reap(SIGKILL);
      ASSERT_TRUE(waiting) << "the import process never waited for its checkpoint";
    } else {
      auto prober = scratch().open({.pool_size = 1, .busy_timeout = std::chrono::milliseconds(0)});
      const bool writing = wait_for(
          [&] {
            try {
              auto conn = prober->acquire();
              storage::Transaction probe(*conn, storage::TxMode::Write);
              return false;  // nobody holds the write lock; let go of it at once
            } catch (const storage::DbError&) {
              return true;  // the process is inside a batch
            }
          },
          std::chrono::milliseconds(1));
      wstatus = reap(SIGKILL);
      ASSERT_TRUE(writing) << "the import process was never seen writing";
    }
    EXPECT_TRUE(WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL) << "the process ended on its own: " << wstatus;
  }
  const auto at_kill = status(id);
  ASSERT_EQ(at_kill["status"], "running") << "the kill did not come mid-import: " << at_kill.dump();
  EXPECT_GT(at_kill["rows"].get<int>(), 0);
  EXPECT_LT(at_kill["rows"].get<int>(), s.rows);
  // Only committed batches are there: the one the kill interrupted rolled back.
  EXPECT_EQ(scalar("SELECT count(*) FROM leads"), at_kill["created"].get<int>());

  // The dead process's claim is fresh: respected. Once stale: taken over.
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  clock_.advance(std::chrono::duration_cast<std::chrono::nanoseconds>(now - clock_.wall().time_since_epoch()));
  EXPECT_EQ(importer(50000).run(id, "replacement"), Importer::Outcome::NotClaimed);
  clock_.advance(std::chrono::minutes(2));
  EXPECT_EQ(importer(50000).run(id, "replacement"), Importer::Outcome::Completed);
  expect_counts(status(id), s);
  EXPECT_EQ(scalar("SELECT count(*) FROM leads"), s.valid);
  EXPECT_EQ(scalar("SELECT count(*) FROM (SELECT email FROM leads GROUP BY email HAVING count(*) > 1) d"), 0);
  EXPECT_EQ(scalar("SELECT count(*) FROM lead_import_errors WHERE import_id = " + std::to_string(id)),
            s.invalid + s.duplicates);
}

INSTANTIATE_TEST_SUITE_P(Backends, ImporterTest, all_backends(), backend_test_name);

}  // namespace
}  // namespace herald::test

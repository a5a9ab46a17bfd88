// Shared set-up of the job tests: a fresh queue on each backend.
//
//   sqlite    the embedded queue on a new SQLite file
//   postgres  the embedded queue on a new database of HERALD_TEST_POSTGRES_URL
//   redis     the Redis queue on HERALD_TEST_REDIS_URL, under a key prefix of
//             its own (the job handlers' effects go to a SQLite file)
//
// A backend whose server is not configured fails the test with a message
// saying how to start one (scripts/test-services); PostgreSQL follows the
// one rule of support/test_databases.hpp (HERALD_TEST_SKIP_POSTGRES=1 skips).
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "jobs/queue.hpp"
#include "redis/client.hpp"
#include "storage/database.hpp"

#include "support/test_server.hpp"

namespace herald::test {

enum class QueueKind { Sqlite, Postgres, Redis };
// Failure messages show "sqlite" / "postgres" / "redis".
void PrintTo(QueueKind kind, std::ostream* os);
std::string queue_kind_name(const ::testing::TestParamInfo<QueueKind>& info);
inline auto all_queue_kinds() { return ::testing::Values(QueueKind::Sqlite, QueueKind::Postgres, QueueKind::Redis); }

// The URL of a required test service, or a test failure naming the variable.
std::string required_env(const char* variable);

// A database nobody else uses, dropped (PostgreSQL) or deleted (SQLite) at the end.
class ScratchDb {
 public:
  explicit ScratchDb(bool postgres);
  ~ScratchDb();
  const std::string& url() const noexcept { return url_; }

 private:
  std::filesystem::path dir_;
  std::string url_;
  std::string pg_name_;
};

class QueueTest : public ::testing::TestWithParam<QueueKind> {
 protected:
  void SetUp() override;
  void TearDown() override;

  QueueKind kind() const { return GetParam(); }
  jobs::JobQueue& queue() { return *queue_; }
  storage::Database& db() { return *db_; }
  // A second, independent queue object on the same backend (another "process").
  std::unique_ptr<jobs::JobQueue> another_queue();
  // For spawning `herald worker` against the same data.
  const std::string& database_url() const { return scratch_->url(); }

  SystemClock clock_;
  std::unique_ptr<ScratchDb> scratch_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<redis::RedisClient> redis_;
  std::string redis_prefix_;
  std::unique_ptr<jobs::JobQueue> queue_;
  std::vector<std::unique_ptr<redis::RedisClient>> extra_clients_;
};

// A redis-server child process on a free port, with an append-only file so
// it keeps its data across a restart. `extra_args` go to redis-server (e.g.
// --requirepass); `credentials` ("user:password" or ":password") go into
// url(), which the start-up probe uses too.
class RedisProcess {
 public:
  explicit RedisProcess(std::filesystem::path dir, std::vector<std::string> extra_args = {},
                        std::string credentials = {});
  ~RedisProcess();
  void start();
  void stop();  // SIGTERM: Redis writes its AOF and exits
  std::uint16_t port() const noexcept { return port_; }
  std::string url(int db = 0) const {
    return "redis://" + (credentials_.empty() ? "" : credentials_ + "@") + "127.0.0.1:" + std::to_string(port_) + "/" +
           std::to_string(db);
  }

 private:
  std::filesystem::path dir_;
  std::vector<std::string> extra_args_;
  std::string credentials_;
  std::uint16_t port_;
  int pid_ = -1;
};

// A temporary directory, removed with its contents at the end of the scope.
struct TempDirPath {
  TempDirPath();
  ~TempDirPath();
  std::filesystem::path path;
};

// Polls `done` every 20 ms until it returns true or `timeout` passes.
bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout);

}  // namespace herald::test

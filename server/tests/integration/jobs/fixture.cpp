#include "integration/jobs/fixture.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <random>
#include <thread>

#include <fmt/format.h>

#include "jobs/db_queue.hpp"
#include "jobs/redis_queue.hpp"
#include "storage/migrations.hpp"
#include "support/test_databases.hpp"

namespace herald::test {
namespace {

std::string random_suffix() {
  std::random_device rd;
  return fmt::format("{:08x}{:08x}", rd(), rd());
}

// `url` with its database name replaced.
std::string with_database(const std::string& url, const std::string& name) {
  const auto authority = url.find("://") + 3;
  const auto query = std::min(url.find('?', authority), url.size());
  const auto slash = std::min(url.find('/', authority), query);
  return url.substr(0, slash) + "/" + name + url.substr(query);
}

void admin_sql(const std::string& sql) {
  auto admin = storage::open_database(required_env("HERALD_TEST_POSTGRES_URL"), {.pool_size = 1});
  admin->acquire()->execute_script(sql);
}

}  // namespace

std::string queue_kind_name(const ::testing::TestParamInfo<QueueKind>& info) {
  switch (info.param) {
    case QueueKind::Sqlite:
      return "sqlite";
    case QueueKind::Postgres:
      return "postgres";
    case QueueKind::Redis:
      return "redis";
  }
  return "unknown";
}

void PrintTo(QueueKind kind, std::ostream* os) { *os << queue_kind_name(::testing::TestParamInfo<QueueKind>(kind, 0)); }

std::string required_env(const char* variable) {
  const char* v = std::getenv(variable);
  if (v == nullptr || *v == '\0') {
    throw std::runtime_error(fmt::format(
        "{} is not set, so this test cannot run. Run the tests through `make test`, or start throwaway servers "
        "with `eval \"$(scripts/test-services start DIR)\"` (stop them with `scripts/test-services stop DIR`).",
        variable));
  }
  return v;
}

ScratchDb::ScratchDb(bool postgres) {
  if (postgres) {
    pg_name_ = "herald_jobs_" + random_suffix();
    admin_sql("CREATE DATABASE " + pg_name_);
    url_ = with_database(required_env("HERALD_TEST_POSTGRES_URL"), pg_name_);
    return;
  }
  dir_ = std::filesystem::temp_directory_path() / ("herald-jobs-" + random_suffix());
  std::filesystem::create_directories(dir_);
  url_ = "sqlite://" + (dir_ / "herald.db").string();
}

ScratchDb::~ScratchDb() {
  try {
    if (!pg_name_.empty()) admin_sql(fmt::format("DROP DATABASE IF EXISTS {} WITH (FORCE)", pg_name_));
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "cleaning up the scratch database failed: " << e.what();
  }
}

void QueueTest::SetUp() {
  if (kind() == QueueKind::Postgres) HERALD_REQUIRE_POSTGRES();
  try {
    scratch_ = std::make_unique<ScratchDb>(kind() == QueueKind::Postgres);
    if (kind() == QueueKind::Redis) required_env("HERALD_TEST_REDIS_URL");
  } catch (const std::exception& e) {
    FAIL() << e.what();
  }
  db_ = storage::open_database(scratch_->url(), {.pool_size = 16});
  storage::migrate(*db_);
  queue_ = another_queue();
}

std::unique_ptr<jobs::JobQueue> QueueTest::another_queue() {
  if (kind() != QueueKind::Redis) return std::make_unique<jobs::DbQueue>(*db_, clock_);
  if (redis_prefix_.empty()) redis_prefix_ = "herald-test-" + random_suffix() + ":";
  auto client = std::make_unique<redis::RedisClient>(redis::parse_redis_url(required_env("HERALD_TEST_REDIS_URL")));
  jobs::RedisQueueOptions options;
  options.prefix = redis_prefix_;
  auto queue = std::make_unique<jobs::RedisQueue>(*client, clock_, options);
  extra_clients_.push_back(std::move(client));
  return queue;
}

void QueueTest::TearDown() {
  if (!redis_prefix_.empty() && !extra_clients_.empty()) {
    // Remove this test's keys.
    auto& client = *extra_clients_.front();
    std::string cursor = "0";
    do {
      auto r = client.command({"SCAN", cursor, "MATCH", redis_prefix_ + "*", "COUNT", "1000"});
      cursor = r.elements.at(0).as_string();
      redis::RedisArgs del = {"DEL"};
      for (const auto& k : r.elements.at(1).elements) del.push_back(k.as_string());
      if (del.size() > 1) client.command(del);
    } while (cursor != "0");
  }
  queue_.reset();
  extra_clients_.clear();
  db_.reset();
  scratch_.reset();
}

TempDirPath::TempDirPath() : path(std::filesystem::temp_directory_path() / ("herald-jobs-" + random_suffix())) {
  std::filesystem::create_directories(path);
}

TempDirPath::~TempDirPath() {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
}

bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

RedisProcess::RedisProcess(std::filesystem::path dir, std::vector<std::string> extra_args, std::string credentials)
    : dir_(std::move(dir)),
      extra_args_(std::move(extra_args)),
      credentials_(std::move(credentials)),
      port_(free_port()) {
  std::filesystem::create_directories(dir_);
}

RedisProcess::~RedisProcess() { stop(); }

void RedisProcess::start() {
  if (pid_ > 0) return;
  std::vector<std::string> args = {"redis-server", "--port", std::to_string(port_), "--bind", "127.0.0.1",
                                   "--save",       "",       "--appendonly",        "yes",    "--appendfsync",
                                   "always",       "--dir",  dir_.string()};
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_ = ::fork();
  if (pid_ == 0) {
    const int devnull = ::open("/dev/null", O_WRONLY);
    ::dup2(devnull, 1);
    ::dup2(devnull, 2);
    ::execvp("redis-server", argv.data());
    ::_exit(127);
  }
  redis::RedisClient probe(redis::parse_redis_url(url()));
  const bool up = eventually(
      [&] {
        try {
          return probe.command({"PING"}).as_string() == "PONG";
        } catch (const std::exception&) {
          return false;
        }
      },
      std::chrono::seconds(10));
  if (!up) throw std::runtime_error("redis-server did not start (is it installed?)");
}

void RedisProcess::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

}  // namespace herald::test

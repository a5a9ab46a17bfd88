// The database is the source of truth for an import; Redis only carries the
// wake-up. A Redis without persistence (--save '' --appendonly no) killed in
// the middle of an import comes back empty: the import still completes with
// exactly the file's rows — with herald left running, across a herald
// restart, and when the upload arrived while Redis was down.
//
// Real processes: the herald binary and redis-server.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <thread>

#include <fmt/format.h>

#include "support/api_client.hpp"
#include "support/http_client.hpp"
#include "support/process.hpp"
#include "support/test_server.hpp"

namespace herald::test {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr int kRows = 200000;  // four batches of 50,000: long enough to kill Redis in the middle

std::string leads_csv(const std::string& prefix, int rows) {
  std::string csv = "email,first_name,company\n";
  csv.reserve(static_cast<std::size_t>(rows) * 48);
  for (int i = 0; i < rows; ++i) csv += fmt::format("{}{}@example.com,Name{},Company {}\n", prefix, i, i, i % 97);
  return csv;
}

// `herald serve` on a known port against a data directory and a Redis.
class Herald {
 public:
  Herald(const std::filesystem::path& data, std::string redis_url)
      : data_(data), redis_url_(std::move(redis_url)), port_(0) {}

  // Each start takes a new port: the one a killed server let go may already
  // be another test process's, whose server would then answer in its place.
  void start() {
    port_ = free_port();
    process_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{HERALD_BINARY, "serve"},
        std::vector<std::string>{"HERALD_DATA_DIR=" + data_.string(), fmt::format("HERALD_LISTEN=127.0.0.1:{}", port_),
                                 "HERALD_REDIS_URL=" + redis_url_, "HERALD_JOB_VISIBILITY_TIMEOUT=2s",
                                 "HERALD_JWT_SECRET=" + std::string(kTestJwtSecret),
                                 "HERALD_ADMIN_EMAIL=" + std::string(kAdminEmail),
                                 "HERALD_ADMIN_PASSWORD=" + std::string(kAdminPassword),
                                 "HERALD_RATE_LIMIT=1000000/min", "HERALD_LOG_FORMAT=json"},
        data_ / "herald.log");
    const auto until = Clock::now() + seconds(60);
    while (Clock::now() < until) {
      try {
        if (HttpClient(port_).get("/api/health").status == 200) return;
      } catch (const std::exception&) {
      }
      std::this_thread::sleep_for(milliseconds(20));
    }
    FAIL() << "herald did not start; log in " << (data_ / "herald.log");
  }
  // Returns the wait status.
  int stop(int sig) {
    process_->signal(sig);
    return process_->wait(seconds(60));
  }

  std::uint16_t port() const { return port_; }
  std::string token() { return login(port_, std::string(kAdminEmail), std::string(kAdminPassword))["token"]; }

  HttpResponse upload(const std::string& token, const std::string& csv) {
    HttpClient http(port_);
    return http.request("POST", "/api/leads/import", csv,
                        {{"Authorization", "Bearer " + token}, {"Content-Type", "text/csv"}});
  }
  nlohmann::json report(const std::string& token, const std::string& job_id) {
    auto r = HttpClient(port_).get("/api/leads/import/" + job_id, {{"Authorization", "Bearer " + token}});
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.json() : nlohmann::json::object();
  }
  // Polls the import until `done` holds (or `timeout`); returns the last report.
  nlohmann::json wait_for(const std::string& token, const std::string& job_id,
                          const std::function<bool(const nlohmann::json&)>& done, milliseconds timeout) {
    const auto until = Clock::now() + timeout;
    nlohmann::json last;
    do {
      last = report(token, job_id);
      if (done(last)) return last;
      std::this_thread::sleep_for(milliseconds(10));
    } while (Clock::now() < until);
    return last;
  }
  std::int64_t leads_total(const std::string& token) {
    auto r = HttpClient(port_).get("/api/leads?page_size=1", {{"Authorization", "Bearer " + token}});
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.json()["total"].get<std::int64_t>() : -1;
  }

 private:
  std::filesystem::path data_;
  std::string redis_url_;
  std::uint16_t port_;
  std::unique_ptr<ChildProcess> process_;
};

bool is_completed(const nlohmann::json& j) { return j.value("status", "") == "completed"; }
bool is_mid_import(const nlohmann::json& j) {
  return j.value("status", "") == "running" && j.value("rows", 0) > 0 && j.value("rows", 0) < kRows;
}

// Every row applied once: created, none reported as a duplicate or failure.
void expect_exactly_the_files_rows(const nlohmann::json& report, std::int64_t rows) {
  EXPECT_EQ(report["status"], "completed") << report.dump();
  EXPECT_EQ(report["rows"], rows);
  EXPECT_EQ(report["created"], rows);
  EXPECT_EQ(report["skipped"], 0);
  EXPECT_EQ(report["failed"], 0);
  EXPECT_TRUE(report["error"].is_null()) << report.dump();
}

class RedisLoss : public ::testing::Test {
 protected:
  TempDir dir_;
  VolatileRedis redis_{dir_.path() / "redis"};
};

TEST_F(RedisLoss, RedisRestartingEmptyMidImportCostsNoRowsWithHeraldLeftRunning) {
  redis_.start();
  Herald herald(dir_.path() / "data", redis_.url());
  ASSERT_NO_FATAL_FAILURE(herald.start());
  const auto token = herald.token();
  auto upload = herald.upload(token, leads_csv("left", kRows));
  ASSERT_EQ(upload.status, 202) << upload.body;
  const std::string job_id = upload.json()["job_id"];

  auto at_kill = herald.wait_for(token, job_id, is_mid_import, seconds(120));
  ASSERT_TRUE(is_mid_import(at_kill)) << "never saw the import mid-way: " << at_kill.dump();
  redis_.kill();
  std::this_thread::sleep_for(milliseconds(300));
  redis_.start();

  auto done = herald.wait_for(token, job_id, is_completed, seconds(180));
  expect_exactly_the_files_rows(done, kRows);
  EXPECT_EQ(herald.leads_total(token), kRows);
  const int status = herald.stop(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

TEST_F(RedisLoss, RedisAndHeraldBothKilledMidImportLoseNoRows) {
  redis_.start();
  Herald herald(dir_.path() / "data", redis_.url());
  ASSERT_NO_FATAL_FAILURE(herald.start());
  auto token = herald.token();
  auto upload = herald.upload(token, leads_csv("restart", kRows));
  ASSERT_EQ(upload.status, 202) << upload.body;
  const std::string job_id = upload.json()["job_id"];

  auto at_kill = herald.wait_for(token, job_id, is_mid_import, seconds(120));
  ASSERT_TRUE(is_mid_import(at_kill)) << "never saw the import mid-way: " << at_kill.dump();
  herald.stop(SIGKILL);
  redis_.kill();
  redis_.start();
  EXPECT_EQ(redis_.dbsize(), 0);  // it remembers nothing: the job is gone

  ASSERT_NO_FATAL_FAILURE(herald.start());
  token = herald.token();
  auto done = herald.wait_for(token, job_id, is_completed, seconds(180));
  expect_exactly_the_files_rows(done, kRows);
  EXPECT_EQ(herald.leads_total(token), kRows);
  const int status = herald.stop(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

TEST_F(RedisLoss, AnUploadAcceptedWhileRedisIsDownRunsOnceRedisIsBack) {
  constexpr int kSmall = 2000;
  Herald herald(dir_.path() / "data", redis_.url());  // Redis not started
  ASSERT_NO_FATAL_FAILURE(herald.start());
  const auto token = herald.token();
  auto upload = herald.upload(token, leads_csv("down", kSmall));
  // The file is stored: that is what counts; the queue is told when it answers.
  ASSERT_EQ(upload.status, 202) << upload.body;
  const std::string job_id = upload.json()["job_id"];
  std::this_thread::sleep_for(milliseconds(1500));
  EXPECT_EQ(herald.report(token, job_id)["status"], "queued");

  redis_.start();
  auto done = herald.wait_for(token, job_id, is_completed, seconds(60));
  expect_exactly_the_files_rows(done, kSmall);
  EXPECT_EQ(herald.leads_total(token), kSmall);
  herald.stop(SIGTERM);
}

}  // namespace
}  // namespace herald::test

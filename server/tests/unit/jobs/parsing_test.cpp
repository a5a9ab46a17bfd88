// Parsers at the edges of the job system: Redis URLs, queue lists, admin
// request parameters.
#include <gtest/gtest.h>

#include "core/config.hpp"
#include "core/errors.hpp"
#include "jobs/redis_queue.hpp"
#include "jobs/routes.hpp"
#include "jobs/worker.hpp"
#include "redis/client.hpp"

namespace herald::jobs {
namespace {

TEST(QueueList, KeepsKnownQueuesInOrder) {
  EXPECT_EQ(parse_queue_list("--queues", "campaigns, emails,campaigns"),
            (std::vector<std::string>{"campaigns", "emails"}));
  EXPECT_THROW(parse_queue_list("--queues", "emails,sms"), ConfigError);
  EXPECT_THROW(parse_queue_list("--queues", " , "), ConfigError);
}

TEST(Duration, AcceptsUnitsAndBareSeconds) {
  using std::chrono::milliseconds;
  const milliseconds lo(100), hi(std::chrono::hours(24));
  EXPECT_EQ(parse_duration("X", "30", lo, hi), milliseconds(30000));
  EXPECT_EQ(parse_duration("X", "1500ms", lo, hi), milliseconds(1500));
  EXPECT_EQ(parse_duration("X", "2m", lo, hi), milliseconds(120000));
  EXPECT_EQ(parse_duration("X", "1h", lo, hi), milliseconds(3600000));
  EXPECT_THROW(parse_duration("X", "10ms", lo, hi), ConfigError);
  EXPECT_THROW(parse_duration("X", "soon", lo, hi), ConfigError);
  EXPECT_THROW(parse_duration("X", "", lo, hi), ConfigError);
}

TEST(AdminParams, PagesAreBounded) {
  auto p = parse_page(std::nullopt, std::nullopt);
  EXPECT_EQ(p.page, 1);
  EXPECT_EQ(p.page_size, 50);
  p = parse_page("3", "200");
  EXPECT_EQ(p.page, 3);
  EXPECT_EQ(p.page_size, 200);
  EXPECT_THROW(parse_page("0", std::nullopt), ValidationError);
  EXPECT_THROW(parse_page(std::nullopt, "201"), ValidationError);
  EXPECT_THROW(parse_page("x", std::nullopt), ValidationError);
}

TEST(AdminParams, RetryBodyIsEmptyOrAJobId) {
  EXPECT_FALSE(parse_retry_body("", nullptr).has_value());
  const nlohmann::json empty = nlohmann::json::object();
  EXPECT_FALSE(parse_retry_body("{}", &empty).has_value());
  const nlohmann::json one = {{"job_id", "01ARYZ6S41TSV4RRFFQ69G5FAV"}};
  EXPECT_EQ(parse_retry_body("{...}", &one), "01ARYZ6S41TSV4RRFFQ69G5FAV");
  const nlohmann::json number = {{"job_id", 12}};
  try {
    parse_retry_body("{...}", &number);
    FAIL();
  } catch (const ValidationError& e) {
    ASSERT_EQ(e.errors().size(), 1u);
    EXPECT_EQ(e.errors()[0].field, "job_id");
  }
  const nlohmann::json array = nlohmann::json::array();
  EXPECT_THROW(parse_retry_body("[]", &array), ValidationError);
  // Any other key is named, never read as "retry them all".
  const nlohmann::json garbage = {{"email", 5}};
  try {
    parse_retry_body("{...}", &garbage);
    FAIL() << "a body without job_id but with another key was accepted";
  } catch (const ValidationError& e) {
    ASSERT_EQ(e.errors().size(), 1u);
    EXPECT_EQ(e.errors()[0].field, "email");
  }
}

TEST(RedisJobHash, BecomesAJob) {
  auto s = [](std::string v) {
    return redis::RedisValue{.type = redis::RedisValue::Type::String, .str = std::move(v)};
  };
  std::vector<redis::RedisValue> flat = {s("id"),
                                         s("01ARYZ6S41TSV4RRFFQ69G5FAV"),
                                         s("queue"),
                                         s("emails"),
                                         s("name"),
                                         s("email.send"),
                                         s("payload"),
                                         s(R"({"a":1})"),
                                         s("status"),
                                         s("queued"),
                                         s("attempts"),
                                         s("2"),
                                         s("max_attempts"),
                                         s("5"),
                                         s("run_at"),
                                         s("5000"),
                                         s("stream"),
                                         s("herald:stream:emails:1"),
                                         s("entry"),
                                         s("1-0"),
                                         s("progress"),
                                         s("40"),
                                         s("progress_detail"),
                                         s(R"({"rows":4})")};
  auto job = job_from_hash(flat, 1000);
  EXPECT_EQ(job.id, "01ARYZ6S41TSV4RRFFQ69G5FAV");
  EXPECT_EQ(job.payload["a"], 1);
  EXPECT_EQ(job.status, JobStatus::Scheduled);  // queued, but run_at is after "now"
  EXPECT_EQ(job.attempts, 2);
  EXPECT_EQ(job.progress, 40);
  EXPECT_EQ(job.progress_detail["rows"], 4);
  EXPECT_EQ(job.receipt, "herald:stream:emails:1 1-0");
  EXPECT_FALSE(job.unique_key.has_value());
}

}  // namespace
}  // namespace herald::jobs

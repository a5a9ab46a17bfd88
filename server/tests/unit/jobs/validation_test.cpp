#include "jobs/validation.hpp"

#include <gtest/gtest.h>

#include "core/errors.hpp"

namespace herald::jobs {
namespace {

std::vector<std::string> fields_of(const JobSpec& spec) {
  try {
    validate(spec);
  } catch (const ValidationError& e) {
    std::vector<std::string> out;
    for (const auto& f : e.errors()) out.push_back(f.field);
    return out;
  }
  return {};
}

JobSpec good() {
  JobSpec s;
  s.name = "email.send";
  s.queue = "emails";
  s.payload = {{"lead_id", 1}};
  return s;
}

TEST(JobValidation, AcceptsAWellFormedSpec) {
  EXPECT_TRUE(fields_of(good()).empty());
  auto s = good();
  s.priority = 100;
  s.max_attempts = 100;
  s.unique_key = "campaign:1:lead:2";
  s.queue = "analytics";
  EXPECT_TRUE(fields_of(s).empty());
}

TEST(JobValidation, NamesEveryBadField) {
  JobSpec s;
  s.name = "Email Send";
  s.queue = "mail";
  s.payload = nlohmann::json::array();
  s.priority = 101;
  s.max_attempts = 0;
  s.unique_key = "";
  EXPECT_EQ(fields_of(s),
            (std::vector<std::string>{"name", "queue", "payload", "priority", "max_attempts", "unique_key"}));
}

TEST(JobValidation, PayloadMustBeAnObjectOfBoundedSize) {
  auto s = good();
  s.payload = "text";
  EXPECT_EQ(fields_of(s), std::vector<std::string>{"payload"});
  s.payload = {{"blob", std::string(kMaxPayloadBytes, 'x')}};
  EXPECT_EQ(fields_of(s), std::vector<std::string>{"payload"});
}

TEST(JobValidation, JobNames) {
  EXPECT_TRUE(is_valid_job_name("email.send"));
  EXPECT_TRUE(is_valid_job_name("campaign.fan-out_2"));
  EXPECT_FALSE(is_valid_job_name(""));
  EXPECT_FALSE(is_valid_job_name("1email"));
  EXPECT_FALSE(is_valid_job_name("email send"));
  EXPECT_FALSE(is_valid_job_name(std::string(kMaxNameLength + 1, 'a')));
}

TEST(JobValidation, Statuses) {
  for (auto s : {JobStatus::Queued, JobStatus::Scheduled, JobStatus::Retrying, JobStatus::Running, JobStatus::Completed,
                 JobStatus::Failed, JobStatus::Cancelled, JobStatus::Dead}) {
    EXPECT_EQ(parse_status(to_string(s)), s);
  }
  EXPECT_FALSE(parse_status("finished").has_value());
}

TEST(JobValidation, TimesAreRfc3339WithMilliseconds) {
  EXPECT_EQ(to_rfc3339(from_millis(0)), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(to_rfc3339(from_millis(1'700'000'000'123)), "2023-11-14T22:13:20.123Z");
}

}  // namespace
}  // namespace herald::jobs

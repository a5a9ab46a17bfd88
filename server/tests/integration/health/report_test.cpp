// The detailed report's overall status and reason from its checks, and the
// cached wrapper for checks that cost a round trip.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "health/interface.hpp"
#include "health/service.hpp"

namespace herald::health {
namespace {

class FixedCheck final : public HealthCheck {
 public:
  FixedCheck(std::string name, bool critical, std::string status, std::string error = {})
      : status_(std::move(status)), name_(std::move(name)), critical_(critical), error_(std::move(error)) {}
  std::string name() const override { return name_; }
  bool critical() const override { return critical_; }
  CheckResult check() override {
    ++calls;
    CheckResult r;
    r.status = status_;
    if (!error_.empty()) r.details["error"] = error_;
    return r;
  }
  std::atomic<int> calls{0};
  std::string status_;

 private:
  std::string name_;
  bool critical_;
  std::string error_;
};

nlohmann::json report_of(HealthChecks checks) {
  ManualClock clock;
  SystemMonitor monitor(".");
  HealthService service(clock, monitor, "9.9.9", checks);
  return service.detailed();
}

TEST(HealthReport, HealthyWhenEveryCheckIs) {
  auto doc = report_of({std::make_shared<FixedCheck>("database", true, "healthy"),
                        std::make_shared<FixedCheck>("redis", false, "healthy")});
  EXPECT_EQ(doc["status"], "healthy");
  EXPECT_EQ(doc["reason"], "");
  EXPECT_EQ(doc["services"]["smtp"]["status"], "not_configured");  // not configured is not a failure
}

TEST(HealthReport, ANonCriticalServiceDownIsDegradedWithTheReason) {
  auto doc = report_of({std::make_shared<FixedCheck>("database", true, "healthy"),
                        std::make_shared<FixedCheck>("redis", false, "unhealthy", "connection refused")});
  EXPECT_EQ(doc["status"], "degraded");
  EXPECT_EQ(doc["reason"], "redis: unhealthy (connection refused)");
}

TEST(HealthReport, TheDatabaseDownIsUnhealthyAndEveryFailureIsNamed) {
  auto doc = report_of({std::make_shared<FixedCheck>("database", true, "unhealthy", "no route to host"),
                        std::make_shared<FixedCheck>("queue", false, "degraded")});
  EXPECT_EQ(doc["status"], "unhealthy");
  EXPECT_EQ(doc["reason"], "database: unhealthy (no route to host); queue: degraded");
}

TEST(HealthReport, ADegradedCriticalServiceIsDegradedNotUnhealthy) {
  auto doc = report_of({std::make_shared<FixedCheck>("database", true, "degraded", "disk full")});
  EXPECT_EQ(doc["status"], "degraded");
  EXPECT_EQ(doc["reason"], "database: degraded (disk full)");
}

TEST(CachedCheck, AnswersAgainWithinItsTtlThenChecksAgain) {
  auto inner = std::make_shared<FixedCheck>("smtp", false, "healthy");
  auto check = cached(inner, std::chrono::milliseconds(200));
  EXPECT_EQ(check->name(), "smtp");
  EXPECT_FALSE(check->critical());
  EXPECT_FALSE(check->check().details.contains("cached"));
  inner->status_ = "unhealthy";
  const CheckResult second = check->check();
  EXPECT_EQ(second.status, "healthy");
  EXPECT_EQ(second.details["cached"], true);
  EXPECT_EQ(inner->calls, 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(250));
  EXPECT_EQ(check->check().status, "unhealthy");
  EXPECT_EQ(inner->calls, 2);
}

}  // namespace
}  // namespace herald::health

#include <mutex>
#include <optional>

#include "health/interface.hpp"

namespace herald::health {
namespace {

class CachedCheck final : public HealthCheck {
 public:
  CachedCheck(std::shared_ptr<HealthCheck> inner, std::chrono::milliseconds ttl)
      : inner_(std::move(inner)), ttl_(ttl) {}
  std::string name() const override { return inner_->name(); }
  bool critical() const override { return inner_->critical(); }

  CheckResult check() override {
    // One caller runs the check; others arriving meanwhile wait for its result.
    std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    if (last_ && now - at_ < ttl_) {
      CheckResult r = *last_;
      r.details["cached"] = true;
      return r;
    }
    last_ = inner_->check();
    at_ = now;
    return *last_;
  }

 private:
  std::shared_ptr<HealthCheck> inner_;
  std::chrono::milliseconds ttl_;
  std::mutex mutex_;
  std::optional<CheckResult> last_;
  std::chrono::steady_clock::time_point at_{};
};

}  // namespace

std::shared_ptr<HealthCheck> cached(std::shared_ptr<HealthCheck> check, std::chrono::milliseconds ttl) {
  return std::make_shared<CachedCheck>(std::move(check), ttl);
}

}  // namespace herald::health

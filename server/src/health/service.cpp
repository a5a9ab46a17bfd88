#include "health/service.hpp"

#include <cmath>

#include "core/time.hpp"
#include "storage/migrations.hpp"
#include "storage/query.hpp"

namespace herald::health {
namespace {

const storage::Query kPing{"health.ping"};

double round2(double v) { return std::round(v * 100.0) / 100.0; }
// Latencies in milliseconds with microsecond resolution: a local SQLite ping is ~0.005 ms.
double round3(double v) { return std::round(v * 1000.0) / 1000.0; }

double ms_since(std::chrono::steady_clock::time_point start) {
  return round3(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
}

// Reported as "not_configured" until a component registers a check of that name.
constexpr const char* kKnownServices[] = {"database", "redis", "queue", "smtp", "sentry"};

// A write refused for lack of space (or memory, or because the database is
// read-only) keeps the database "degraded" this long.
constexpr auto kWriteTroubleWindow = std::chrono::seconds(60);

}  // namespace

DatabaseCheck::DatabaseCheck(storage::Database& db) : db_(db) {}

CheckResult DatabaseCheck::check() {
  CheckResult r;
  try {
    auto conn = db_.acquire();
    std::int64_t one = 0;
    conn->execute(kPing, {}, [&](const storage::Row& row) { one = row.integer(0); });
    r.status = one == 1 ? "healthy" : "unhealthy";
    // It answers reads, but refused a write lately: say why.
    if (auto trouble = db_.write_trouble().since(std::chrono::system_clock::now() - kWriteTroubleWindow)) {
      if (r.status == "healthy") r.status = "degraded";
      r.details["error"] = trouble->reason;
      r.details["write_failed_at"] = rfc3339(trouble->at);
    }
  } catch (const std::exception& e) {
    r.status = "unhealthy";
    r.details["error"] = e.what();
  }
  r.details["backend"] = std::string(storage::backend_name(db_.backend()));
  return r;
}

HealthService::HealthService(const Clock& clock, SystemMonitor& monitor, std::string version,
                             const HealthChecks& checks)
    : clock_(clock), monitor_(monitor), version_(std::move(version)), started_(clock.now()), checks_(checks) {}

nlohmann::json HealthService::detailed() {
  auto sys = monitor_.snapshot();
  nlohmann::json services = nlohmann::json::object();
  for (const char* name : kKnownServices) services[name] = {{"status", "not_configured"}};

  std::string overall = "healthy";
  std::string reason;
  for (const auto& c : checks_) {
    const auto start = std::chrono::steady_clock::now();
    CheckResult r = c->check();
    nlohmann::json entry = {{"status", r.status}, {"latency_ms", ms_since(start)}};
    entry.update(r.details);
    services[c->name()] = entry;
    // Only a critical service that is down makes the whole report unhealthy
    // (503); a degraded one (the database refusing writes but answering
    // reads) or a non-critical one that is down leaves it degraded.
    const bool failed = r.status == "unhealthy" || r.status == "degraded";
    if (r.status == "unhealthy" && c->critical())
      overall = "unhealthy";
    else if (failed && overall == "healthy")
      overall = "degraded";
    if (failed) {
      if (!reason.empty()) reason += "; ";
      reason += c->name() + ": " + r.status;
      if (auto e = r.details.find("error"); e != r.details.end() && e->is_string())
        reason += " (" + e->get<std::string>() + ")";
    }
  }
  auto uptime = std::chrono::duration_cast<std::chrono::seconds>(clock_.now() - started_).count();
  return {
      {"status", overall},
      {"reason", reason},
      {"version", version_},
      {"uptime_s", uptime},
      {"system",
       {{"cpu_percent", round2(sys.cpu_percent)},
        {"memory_percent", round2(sys.memory_percent)},
        {"disk_percent", round2(sys.disk_percent)}}},
      {"services", services},
  };
}

Readiness::Result Readiness::check() {
  Result out;
  out.ready = true;
  auto fail = [&](const std::string& name, std::string why) {
    out.ready = false;
    out.checks[name] = std::move(why);
  };
  try {
    auto conn = db_.acquire();
    std::int64_t one = 0;
    conn->execute(kPing, {}, [&](const storage::Row& row) { one = row.integer(0); });
    if (one == 1)
      out.checks["database"] = "ok";
    else
      fail("database", "unexpected answer");
  } catch (const std::exception&) {
    fail("database", "unreachable");
  }
  if (out.checks["database"] == "ok") {
    try {
      const auto pending = storage::pending_migrations(db_);
      if (pending.empty())
        out.checks["migrations"] = "ok";
      else
        fail("migrations", std::to_string(pending.size()) + " not applied");
    } catch (const std::exception&) {
      fail("migrations", "unknown");
    }
  } else {
    fail("migrations", "unknown");
  }
  for (const auto& c : checks_) {
    if (c->name() != "redis") continue;
    const CheckResult r = c->check();
    if (r.status == "healthy")
      out.checks["redis"] = "ok";
    else
      fail("redis", "unreachable");
  }
  return out;
}

}  // namespace herald::health

// Micro-benchmarks of the per-request building blocks: JWT verification,
// routing, the rate limiter and the audit log's enqueue and batch write.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <random>

#include <unistd.h>

#include "audit/log.hpp"
#include "auth/jwt.hpp"
#include "core/crypto.hpp"
#include "core/log.hpp"
#include "core/time.hpp"
#include "http/middleware/rate_limit.hpp"
#include "http/router.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"

namespace {

using namespace herald;

void BM_JwtDecode(benchmark::State& state) {
  crypto::init();
  auth::JwtSettings s{"benchmark-secret-benchmark-secret-0123"};
  auto now = unix_seconds(std::chrono::system_clock::now());
  auto token = auth::encode_jwt({42, "admin", "session", "jti", now, now + 900}, s);
  for (auto _ : state) benchmark::DoNotOptimize(auth::decode_jwt(token, s, now));
}

void BM_RouterMatch(benchmark::State& state) {
  http::Router r;
  auto ok = [](http::Request&) { return http::Response::no_content(); };
  for (const char* p : {"/api/leads", "/api/leads/{id}", "/api/campaigns", "/api/campaigns/{id}",
                        "/api/campaigns/{id}/send", "/api/admin/users/{id}", "/api/health"})
    r.add(http::Method::Get, p, ok, http::Access::public_route());
  for (auto _ : state) benchmark::DoNotOptimize(r.match(http::Method::Get, "/api/campaigns/123/send"));
}

void BM_RateLimiterTake(benchmark::State& state) {
  SystemClock clock;
  http::InProcessRateLimiter limiter(clock);
  http::RatePolicy p{"api", 1'000'000'000, std::chrono::seconds(60)};
  for (auto _ : state) benchmark::DoNotOptimize(limiter.take("api:127.0.0.1", p));
}

struct AuditFixture {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / ("herald-bench-" + std::to_string(::getpid()));
  std::unique_ptr<storage::Database> db;
  SystemClock clock;
  AuditFixture() {
    std::filesystem::create_directories(dir);
    db = storage::open_database("sqlite://" + (dir / "bench.db").string());
    storage::migrate(*db);
  }
  ~AuditFixture() {
    db.reset();
    std::filesystem::remove_all(dir);
  }
};

audit::Entry sample_entry(int i) {
  audit::Entry e;
  e.user_id = 1;
  e.actor = "admin@example.com";
  e.action = "USER_UPDATED";
  e.resource = "user/" + std::to_string(i);
  e.ip = "127.0.0.1";
  e.request_id = "0123456789abcdef0123456789abcdef";
  e.details = R"({"changed":["name"]})";
  return e;
}

// What a request pays: building the entry and queueing it.
void BM_AuditRecord(benchmark::State& state) {
  AuditFixture f;
  audit::AuditLog log(*f.db, f.clock);
  int i = 0;
  for (auto _ : state) log.record(sample_entry(i++));
}

// What the writer thread pays per entry: chained hash + insert, batched.
void BM_AuditWriteThroughput(benchmark::State& state) {
  AuditFixture f;
  audit::AuditLog log(*f.db, f.clock);
  for (auto _ : state) {
    for (int i = 0; i < state.range(0); ++i) log.record(sample_entry(i));
    log.flush();
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

}  // namespace

BENCHMARK(BM_JwtDecode);
BENCHMARK(BM_RouterMatch);
BENCHMARK(BM_RateLimiterTake);
BENCHMARK(BM_AuditRecord);
BENCHMARK(BM_AuditWriteThroughput)->Arg(512)->Unit(benchmark::kMillisecond);

int main(int argc, char** argv) {
  herald::log::init(herald::log::Format::Json, herald::log::Level::Error);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}

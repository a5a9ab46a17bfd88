// Micro-benchmarks of the per-request building blocks: JWT verification,
// routing, the rate limiter, the framing check, JSON bodies, the audit log's
// enqueue and batch write, and the per-request metrics update.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <random>

#include <nlohmann/json.hpp>

#include <unistd.h>

#include "audit/log.hpp"
#include "auth/jwt.hpp"
#include "core/crypto.hpp"
#include "core/email.hpp"
#include "core/log.hpp"
#include "core/time.hpp"
#include "http/framing.hpp"
#include "http/middleware/rate_limit.hpp"
#include "http/router.hpp"
#include "observability/metrics.hpp"
#include "observability/system_figures.hpp"
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

http::Request sample_request(std::string body) {
  http::Request r;
  r.method_text = "POST";
  r.target = "/api/leads";
  for (const char* h : {"Host", "User-Agent", "Accept", "Authorization", "Content-Length", "X-Request-ID"})
    r.headers.add(h, "value");
  r.headers.add("Content-Type", "application/json");
  r.body = std::move(body);
  return r;
}

void BM_FramingCheck(benchmark::State& state) {
  auto r = sample_request({});
  for (auto _ : state) benchmark::DoNotOptimize(http::framing_problem(r));
}

// A lead as the API receives it; the bulk body is 10,000 ids.
std::string lead_body() {
  return R"({"email":"jane.doe@example.com","first_name":"Jane","last_name":"Doe","company":"Acme",)"
         R"("title":"CTO","phone":"+49 30 1234567","website":"https://acme.example","country":"DE",)"
         R"("tags":["vip","fair-2026"],"custom_fields":{"plan":"gold","seats":42,"trial":false}})";
}
std::string bulk_body() {
  std::string b = R"({"action":"tag","tag":"q3","ids":[)";
  for (int i = 0; i < 10000; ++i) b += (i ? "," : "") + std::to_string(1000000 + i);
  return b + "]}";
}

// Request::json(): strict (one value, no NUL, unique keys, Content-Type).
void BM_RequestJson(benchmark::State& state) {
  auto r = sample_request(state.range(0) == 0 ? lead_body() : bulk_body());
  for (auto _ : state) benchmark::DoNotOptimize(r.json());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(r.body.size()));
}

// The same bodies through a plain nlohmann parse, for comparison.
void BM_PlainJsonParse(benchmark::State& state) {
  std::string body = state.range(0) == 0 ? lead_body() : bulk_body();
  for (auto _ : state) benchmark::DoNotOptimize(nlohmann::json::parse(body));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(body.size()));
}

void BM_CanonicalEmail(benchmark::State& state) {
  const char* address = state.range(0) == 0 ? "Jane.Doe+news@Example.COM" : "jane@bücher.example";
  for (auto _ : state) benchmark::DoNotOptimize(canonical_email(address));
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

// What the pipeline pays per request for metrics: the in-flight gauge and the
// pre-resolved (route, method) handle — status counter, latency bucket, sum.
void BM_HttpMetricsRecord(benchmark::State& state) {
  static observability::Metrics metrics;  // shared by the threads of a run
  auto& route = metrics.http().route("/api/leads/{id}", "GET");
  std::int64_t ns = 200'000;
  for (auto _ : state) {
    auto in_flight = metrics.http().track_in_flight();
    route.record(200, std::chrono::nanoseconds(ns));
    ns = ns < 20'000'000 ? ns * 3 / 2 : 200'000;  // walk across the buckets
  }
}

// The same figures kept the usual prometheus-cpp way, for comparison: label
// sets looked up per request (a map under a mutex) and its Histogram, which
// takes a mutex per observation.
void BM_PrometheusCppLabelledRecord(benchmark::State& state) {
  static observability::Metrics metrics;
  static auto& requests = prometheus::BuildCounter().Name("bench_requests_total").Register(metrics.registry());
  static auto& latency = prometheus::BuildHistogram().Name("bench_duration_seconds").Register(metrics.registry());
  static auto& in_flight = prometheus::BuildGauge().Name("bench_in_flight").Register(metrics.registry()).Add({});
  const prometheus::Histogram::BucketBoundaries bounds(observability::kLatencyBounds.begin(),
                                                       observability::kLatencyBounds.end());
  double seconds = 0.0002;
  for (auto _ : state) {
    in_flight.Increment();
    requests.Add({{"route", "/api/leads/{id}"}, {"method", "GET"}, {"status", "200"}}).Increment();
    latency.Add({{"route", "/api/leads/{id}"}, {"method", "GET"}}, bounds).Observe(seconds);
    in_flight.Decrement();
    seconds = seconds < 0.02 ? seconds * 1.5 : 0.0002;
  }
}

// Active users for the admin figures: a signed-in request seen again by the same thread.
void BM_ActiveUserSeen(benchmark::State& state) {
  static observability::ActiveUsers users;
  for (auto _ : state) users.seen(42);
}

}  // namespace

BENCHMARK(BM_JwtDecode);
BENCHMARK(BM_RouterMatch);
BENCHMARK(BM_RateLimiterTake);
BENCHMARK(BM_FramingCheck);
BENCHMARK(BM_RequestJson)->Arg(0)->Arg(1);
BENCHMARK(BM_PlainJsonParse)->Arg(0)->Arg(1);
BENCHMARK(BM_CanonicalEmail)->Arg(0)->Arg(1);
BENCHMARK(BM_AuditRecord);
BENCHMARK(BM_AuditWriteThroughput)->Arg(512)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_HttpMetricsRecord)->Threads(1)->Threads(2);
BENCHMARK(BM_PrometheusCppLabelledRecord)->Threads(1)->Threads(2);
BENCHMARK(BM_ActiveUserSeen)->Threads(1)->Threads(2);

int main(int argc, char** argv) {
  herald::log::init(herald::log::Format::Json, herald::log::Level::Error);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}

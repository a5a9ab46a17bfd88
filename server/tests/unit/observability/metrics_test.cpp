// Metric handles, names and the text exposition, without a server.
#include "observability/metrics.hpp"

#include <gtest/gtest.h>

#include <prometheus/check_names.h>

#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "observability/mail_monitor.hpp"
#include "observability/process_metrics.hpp"

namespace herald::observability {
namespace {

using namespace std::chrono_literals;

// The value of the sample `series` (name and labels exactly as rendered), or -1.
double sample_value(const std::string& text, const std::string& series) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
  }
  return -1;
}

std::set<std::string> family_names(const std::string& text) {
  std::set<std::string> names;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("# TYPE ", 0) == 0) names.insert(line.substr(7, line.find(' ', 7) - 7));
  }
  return names;
}

TEST(HttpMetrics, StatusSlotsTrackCommonCodesAndClassesForTheRest) {
  EXPECT_EQ(status_label(status_slot(200)), "200");
  EXPECT_EQ(status_label(status_slot(404)), "404");
  EXPECT_EQ(status_label(status_slot(507)), "507");
  EXPECT_EQ(status_label(status_slot(418)), "4xx");
  EXPECT_EQ(status_label(status_slot(299)), "2xx");
  EXPECT_EQ(status_label(status_slot(599)), "5xx");
  EXPECT_EQ(status_label(status_slot(99)), "other");
  EXPECT_EQ(status_label(status_slot(600)), "other");
  EXPECT_EQ(status_label(status_slot(-1)), "other");
  std::set<std::string> labels;
  for (std::size_t s = 0; s < kStatusSlots; ++s) labels.insert(status_label(s));
  EXPECT_EQ(labels.size(), kStatusSlots);
}

TEST(HttpMetrics, LatencySlotsFollowTheBounds) {
  EXPECT_EQ(latency_slot(0ns), 0u);
  EXPECT_EQ(latency_slot(500us), 0u);  // le is inclusive
  EXPECT_EQ(latency_slot(501us), 1u);
  EXPECT_EQ(latency_slot(3ms), 3u);
  EXPECT_EQ(latency_slot(10s), kLatencyBounds.size() - 1);
  EXPECT_EQ(latency_slot(11s), kLatencyBounds.size());
  EXPECT_EQ(latency_slot(-5ns), 0u);
}

TEST(HttpMetrics, OneHandlePerRouteAndMethod) {
  HttpMetrics http;
  RouteMetrics& a = http.route("/api/leads", "GET");
  EXPECT_EQ(&a, &http.route("/api/leads", "GET"));
  EXPECT_NE(&a, &http.route("/api/leads", "POST"));
  // Methods outside the known set share one label, so clients cannot grow it.
  EXPECT_EQ(&http.unmatched("BREW"), &http.unmatched("PROPFIND"));
  EXPECT_EQ(http.unmatched("BREW").method(), "OTHER");
}

TEST(HttpMetrics, TotalsCountOnlyApiCalls) {
  HttpMetrics http;
  auto& leads = http.route("/api/leads", "GET", true);
  auto& live = http.route("/api/health/live", "GET", false);
  leads.record(200, 2ms);
  leads.record(503, 4ms);
  leads.record(599, 1ms);
  leads.record(404, 1ms);
  live.record(200, 1ms);
  http.unmatched("GET").record(404, 1ms);
  const HttpTotals t = http.api_totals();
  EXPECT_EQ(t.calls, 4u);
  EXPECT_EQ(t.errors, 2u);
  EXPECT_EQ(t.latency.count(), 4u);
  EXPECT_EQ(t.latency.sum_ns, 8'000'000u);
}

TEST(HttpMetrics, RecordingFromManyThreadsLosesNothing) {
  HttpMetrics http;
  auto& r = http.route("/api/x", "GET");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&r] {
      for (int i = 0; i < 50'000; ++i) r.record(200, 1ms);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(r.latency().count(), 200'000u);
  EXPECT_EQ(r.statuses()[status_slot(200)], 200'000u);
}

TEST(Metrics, ExpositionHasTheRequestCountersAndHistograms) {
  Metrics m;
  auto& r = m.http().route("/api/leads/{id}", "GET");
  r.record(200, 3ms);
  r.record(200, 40ms);
  r.record(404, 1ms);
  m.http().rate_class("login").refused();
  auto in_flight = m.http().track_in_flight();
  const std::string text = m.render();

  EXPECT_EQ(sample_value(text, R"(herald_http_requests_total{method="GET",route="/api/leads/{id}",status="200"})"), 2);
  EXPECT_EQ(sample_value(text, R"(herald_http_requests_total{method="GET",route="/api/leads/{id}",status="404"})"), 1);
  EXPECT_EQ(
      sample_value(text,
                   R"(herald_http_request_duration_seconds_bucket{method="GET",route="/api/leads/{id}",le="0.005"})"),
      2);
  EXPECT_EQ(sample_value(
                text, R"(herald_http_request_duration_seconds_bucket{method="GET",route="/api/leads/{id}",le="+Inf"})"),
            3);
  EXPECT_EQ(sample_value(text, R"(herald_http_request_duration_seconds_count{method="GET",route="/api/leads/{id}"})"),
            3);
  EXPECT_NEAR(sample_value(text, R"(herald_http_request_duration_seconds_sum{method="GET",route="/api/leads/{id}"})"),
              0.044, 1e-9);
  EXPECT_EQ(sample_value(text, "herald_http_requests_in_flight"), 1);
  EXPECT_EQ(sample_value(text, R"(herald_http_rate_limit_refusals_total{class="login"})"), 1);
  EXPECT_EQ(sample_value(text, R"(herald_build_info{version=")" HERALD_VERSION R"("})"), 1);
}

TEST(Metrics, JobAndMailCountersMove) {
  Metrics m;
  auto& emails = m.queue("emails");
  EXPECT_EQ(&emails, &m.queue("emails"));
  emails.finished(JobOutcome::Completed, 20ms);
  emails.finished(JobOutcome::Completed, 20ms);
  emails.finished(JobOutcome::Retrying, 1s);
  emails.finished(JobOutcome::Failed, 1s);
  MailMonitor mail(m);
  mail.message_sent(mail::SendOutcome::Sent);
  mail.message_sent(mail::SendOutcome::Sent);
  mail.message_sent(mail::SendOutcome::DeferredTemporary);
  mail.message_sent(mail::SendOutcome::DeferredConnection);
  mail.message_sent(mail::SendOutcome::DeferredConnection);
  mail.message_sent(mail::SendOutcome::Bounced);
  mail.message_sent(mail::SendOutcome::GaveUp);
  m.smtp_pool(3, 1);
  m.watch_queues([] { return std::vector<QueueDepth>{{"emails", 12, 3, 2, 1, 42.5}}; });
  const std::string text = m.render();
  EXPECT_EQ(sample_value(text, R"(herald_jobs_processed_total{queue="emails"})"), 2);
  EXPECT_EQ(sample_value(text, R"(herald_jobs_retried_total{queue="emails"})"), 1);
  EXPECT_EQ(sample_value(text, R"(herald_jobs_failed_total{queue="emails"})"), 1);
  EXPECT_EQ(sample_value(text, R"(herald_job_duration_seconds_count{queue="emails"})"), 4);
  EXPECT_EQ(sample_value(text, "herald_emails_sent_total"), 2);
  EXPECT_EQ(sample_value(text, R"(herald_emails_deferred_total{reason="temporary"})"), 1);
  EXPECT_EQ(sample_value(text, R"(herald_emails_deferred_total{reason="connection"})"), 2);
  EXPECT_EQ(sample_value(text, R"(herald_emails_failed_total{reason="bounced"})"), 1);
  EXPECT_EQ(sample_value(text, R"(herald_emails_failed_total{reason="attempts_exhausted"})"), 1);
  // Every reason is exported from the start, at 0, so rate() sees its first increase.
  EXPECT_EQ(sample_value(text, R"(herald_emails_failed_total{reason="rejected"})"), 0);
  EXPECT_EQ(sample_value(text, R"(herald_emails_failed_total{reason="invalid_message"})"), 0);
  EXPECT_EQ(sample_value(text, R"(herald_smtp_connections{state="in_use"})"), 3);
  EXPECT_EQ(sample_value(text, R"(herald_queue_jobs{queue="emails",state="pending"})"), 12);
  EXPECT_EQ(sample_value(text, R"(herald_queue_jobs{queue="emails",state="active"})"), 2);
  EXPECT_EQ(sample_value(text, R"(herald_queue_oldest_pending_age_seconds{queue="emails"})"), 42.5);
}

TEST(Metrics, AFailingSourceSkipsOnlyItself) {
  Metrics m;
  m.watch_queues([]() -> std::vector<QueueDepth> { throw std::runtime_error("redis is down"); });
  const std::string text = m.render();
  EXPECT_EQ(family_names(text).count("herald_queue_jobs"), 0u);
  EXPECT_EQ(family_names(text).count("herald_build_info"), 1u);
}

TEST(Metrics, NamesFollowPrometheusConventions) {
  Metrics m;
  MailMonitor mail(m);  // as the module builds it: every mail series exists from the start
  m.http().route("/api/x", "GET").record(200, 1ms);
  m.http().rate_class("api");
  m.queue("emails").finished(JobOutcome::Completed, 1ms);
  m.watch_queues([] { return std::vector<QueueDepth>{{"emails", 0, 0, 0, 0, 0}}; });
  const std::string text = m.render();
  std::map<std::string, std::string> types;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("# TYPE ", 0) != 0) continue;
    const auto name_end = line.find(' ', 7);
    types[line.substr(7, name_end - 7)] = line.substr(name_end + 1);
  }
  ASSERT_GE(types.size(), 15u);
  for (const auto& [name, type] : types) {
    EXPECT_TRUE(prometheus::CheckMetricName(name)) << name;
    EXPECT_TRUE(name.rfind("herald_", 0) == 0 || name.rfind("process_", 0) == 0) << name;
    EXPECT_EQ(type == "counter", name.ends_with("_total")) << name << " is a " << type;
    // Base units only: seconds and bytes, never milliseconds or kilobytes.
    EXPECT_EQ(name.find("_ms"), std::string::npos) << name;
    EXPECT_EQ(name.find("_milliseconds"), std::string::npos) << name;
    EXPECT_EQ(name.find("kilobytes"), std::string::npos) << name;
    if (type == "histogram" || type == "summary") {
      EXPECT_TRUE(name.ends_with("_seconds")) << name;
    }
  }
  for (const char* expected :
       {"herald_http_requests_total", "herald_http_request_duration_seconds", "herald_http_requests_in_flight",
        "herald_http_rate_limit_refusals_total", "herald_jobs_processed_total", "herald_jobs_failed_total",
        "herald_queue_jobs", "herald_queue_oldest_pending_age_seconds", "herald_emails_sent_total",
        "herald_emails_failed_total", "herald_emails_deferred_total", "herald_smtp_connections", "herald_build_info",
        "process_resident_memory_bytes", "process_cpu_seconds_total", "process_open_fds",
        "process_start_time_seconds"}) {
    EXPECT_TRUE(types.contains(expected)) << expected;
  }
}

TEST(ProcessMetrics, StatFieldsAreCountedFromTheLastParenthesis) {
  // A command name with spaces and parentheses must not shift the fields.
  const std::string stat =
      "1234 (my (odd) prog) S 1 1234 1234 0 -1 4194560 500 0 0 0 250 75 0 0 20 0 9 0 4200 123456789 2048 "
      "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";
  const auto s = parse_proc_pid_stat(stat);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->utime_ticks, 250u);
  EXPECT_EQ(s->stime_ticks, 75u);
  EXPECT_EQ(s->start_ticks, 4200u);
  EXPECT_EQ(s->virtual_bytes, 123456789u);
  EXPECT_EQ(s->resident_pages, 2048u);
  EXPECT_FALSE(parse_proc_pid_stat("1234 (truncated) S 1 2"));
  EXPECT_FALSE(parse_proc_pid_stat("no parenthesis"));
}

TEST(ProcessMetrics, BootTimeAndFileLimit) {
  EXPECT_EQ(parse_boot_time("cpu  1 2 3\nintr 5\nbtime 1780000000\nprocesses 9\n"), 1780000000);
  EXPECT_FALSE(parse_boot_time("cpu 1 2 3\n"));
  const std::string limits =
      "Limit                     Soft Limit           Hard Limit           Units     \n"
      "Max cpu time              unlimited            unlimited            seconds   \n"
      "Max open files            1024                 1048576              files     \n";
  EXPECT_EQ(parse_max_open_files(limits), 1024u);
  EXPECT_FALSE(parse_max_open_files("Max open files            unlimited            unlimited            files\n"));
}

TEST(ProcessMetrics, ThisProcessIsReadable) {
  const auto s = read_process_sample();
  ASSERT_TRUE(s);
  EXPECT_GT(s->resident_bytes, 1u << 20);
  EXPECT_GE(s->open_fds, 3u);
  EXPECT_GT(s->start_time_seconds, 1.6e9);
  EXPECT_GE(s->cpu_seconds, 0.0);
}

}  // namespace
}  // namespace herald::observability

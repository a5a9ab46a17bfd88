// The job queues' admin handlers the route table names, with their OpenAPI descriptions.
#include "http/endpoints.hpp"
#include "jobs/routes.hpp"

namespace herald::jobs {

void add_endpoints(http::Endpoints& e, Routes& r) {
  using http::object_schema;
  const nlohmann::json queue_stats = object_schema({{"name", "string"},
                                                    {"pending", "integer"},
                                                    {"scheduled", "integer"},
                                                    {"active", "integer"},
                                                    {"failed", "integer"},
                                                    {"processed_per_minute", "integer"},
                                                    {"oldest_pending_age_s", "number"}});
  e.add("queues.list", http::bind(r, &Routes::list_queues),
        {.summary = "Backlog and throughput of every job queue",
         .tag = "admin",
         .response = {{"type", "object"}, {"properties", {{"queues", {{"type", "array"}, {"items", queue_stats}}}}}}});
  e.add("queues.failed", http::bind(r, &Routes::list_failed),
        {.summary = "Failed and dead jobs of a queue with their last error",
         .tag = "admin",
         .response =
             object_schema({{"items", "array"}, {"total", "integer"}, {"page", "integer"}, {"page_size", "integer"}}),
         .query = {{"page", "Page number, from 1"}, {"page_size", "Items per page, at most 200 (default 50)"}}});
  e.add("jobs.get", http::bind(r, &Routes::get_job),
        {.summary = "One job: status (queued, scheduled, retrying, running, completed, failed, cancelled, dead), "
                    "attempts, the last error and, while retrying, the time of the next attempt",
         .tag = "admin",
         .response = object_schema({{"id", "string"},
                                    {"queue", "string"},
                                    {"name", "string"},
                                    {"status", "string"},
                                    {"attempts", "integer"},
                                    {"max_attempts", "integer"},
                                    {"error", "string"},
                                    {"next_attempt_at", "string"}})});
  e.add("queues.retry", http::bind(r, &Routes::retry),
        {.summary = "Retry a queue's failed jobs: all, or one with {\"job_id\": ...}",
         .tag = "admin",
         .request_body = object_schema({{"job_id", "string"}}),
         .response = object_schema({{"retried", "integer"}})});
}

}  // namespace herald::jobs

// Handlers of the queue administration endpoints (/api/admin/queues…).
#pragma once

#include "http/types.hpp"
#include "jobs/queue.hpp"

namespace herald::http {
class Endpoints;
}  // namespace herald::http

namespace herald::jobs {

class Routes {
 public:
  explicit Routes(JobQueue& queue) : queue_(queue) {}

  // GET /api/admin/queues → {queues: [{name, pending, scheduled, active, failed,
  // processed_per_minute, oldest_pending_age_s}]}
  http::Response list_queues(http::Request& req);
  // GET /api/admin/queues/{queue}/failed?page&page_size → {items, total, page, page_size}
  http::Response list_failed(http::Request& req);
  // GET /api/admin/jobs/{id} → the job's status: {id, queue, name, status, attempts, error, next_attempt_at, …}
  http::Response get_job(http::Request& req);
  // POST /api/admin/queues/{queue}/retry, body empty (all) or {"job_id": "…"} → {retried}
  http::Response retry(http::Request& req);

 private:
  JobQueue& queue_;
};

// Parses page / page_size (page from 1, page_size ≤ 200, default 50); throws
// ValidationError naming the parameter.
struct PageRequest {
  std::int64_t page = 1;
  std::int64_t page_size = 50;
};
PageRequest parse_page(const std::optional<std::string>& page, const std::optional<std::string>& page_size);

// {"job_id": "…"} or an empty body → the job id, if any. Throws ValidationError
// (naming the key) for any other key, and for a job_id that is not a job id.
std::optional<std::string> parse_retry_body(const std::string& body, const nlohmann::json* parsed);

// Adds these handlers, with their OpenAPI descriptions, under the names the
// route table (api/routes.cpp) uses (endpoints.cpp).
void add_endpoints(http::Endpoints& endpoints, Routes& routes);

}  // namespace herald::jobs

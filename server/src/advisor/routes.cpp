#include "advisor/routes.hpp"

#include <nlohmann/json.hpp>

#include "advisor/analysis.hpp"
#include "advisor/types.hpp"
#include "core/errors.hpp"

namespace herald::advisor {

using http::Request;
using http::Response;

Response Routes::analyze(Request& req) {
  return Response::json(200, to_json(analyze_message(parse_analyze_request(req.json()))));
}

Response Routes::score_leads(Request& req) {
  if (!req.body.empty()) parse_score_leads_request(req.json());
  jobs::JobSpec spec;
  spec.name = std::string(kScoreJob);
  spec.queue = "analytics";
  spec.max_attempts = 3;
  // One run at a time in practice: a second request within the same minute gets the same job.
  const auto minute = std::chrono::duration_cast<std::chrono::minutes>(clock_.wall().time_since_epoch()).count();
  spec.unique_key = std::string(kScoreJob) + ":" + std::to_string(minute);
  auto enqueued = queue_.enqueue(spec);
  return Response::json(202, {{"job_id", enqueued.id}, {"status", "queued"}});
}

Response Routes::score_leads_status(Request& req) {
  std::string id(req.param("job_id"));
  std::optional<jobs::Job> job;
  if (looks_like_job_id(id)) job = queue_.get(id);
  if (!job || job->name != kScoreJob) throw NotFound("no lead-scoring job " + id);
  return Response::json(200, score_job_json(*job));
}

Response Routes::send_times(Request& req) {
  const auto q = parse_send_times_query(req.query_param("lead_id"), req.query_param("segment_id"));
  return Response::json(200, to_json(send_times_.advise(q.lead_id, q.segment_id)));
}

}  // namespace herald::advisor

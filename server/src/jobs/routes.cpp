#include "jobs/routes.hpp"

#include <charconv>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/errors.hpp"
#include "core/json_fields.hpp"
#include "core/strings.hpp"
#include "jobs/job_id.hpp"

namespace herald::jobs {
namespace {

constexpr std::int64_t kMaxPageSize = 200;

std::int64_t parse_positive(std::string_view field, const std::string& text, std::int64_t max) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < 1 || v > max) {
    throw ValidationError(std::string(field), fmt::format("must be an integer from 1 to {}", max));
  }
  return v;
}

std::string known_queue(const http::Request& req) {
  std::string name(req.param("queue"));
  if (!is_known_queue(name)) throw NotFound(fmt::format("no queue named '{}'", name));
  return name;
}

nlohmann::json failed_item(const Job& j) {
  return {{"id", j.id},
          {"name", j.name},
          {"status", to_string(j.status)},
          {"attempts", j.attempts},
          {"max_attempts", j.max_attempts},
          {"error", j.error ? nlohmann::json(*j.error) : nlohmann::json(nullptr)},
          {"payload", j.payload},
          {"created_at", to_rfc3339(j.created_at)},
          {"failed_at", j.finished_at ? nlohmann::json(to_rfc3339(*j.finished_at)) : nlohmann::json(nullptr)}};
}

}  // namespace

PageRequest parse_page(const std::optional<std::string>& page, const std::optional<std::string>& page_size) {
  PageRequest p;
  if (page) p.page = parse_positive("page", *page, 1'000'000'000);
  if (page_size) p.page_size = parse_positive("page_size", *page_size, kMaxPageSize);
  return p;
}

std::optional<std::string> parse_retry_body(const std::string& body, const nlohmann::json* parsed) {
  if (trim(body).empty()) return std::nullopt;
  if (parsed == nullptr) throw ValidationError("body", "must be a JSON object");
  // Anything but job_id is refused: a misspelt key must not turn "retry this
  // job" into "retry every failed job".
  require_fields(*parsed, {"job_id"});
  auto it = parsed->find("job_id");
  if (it == parsed->end() || it->is_null()) return std::nullopt;
  if (!it->is_string() || !is_valid_job_id(it->get<std::string>())) {
    throw ValidationError("job_id", "must be a job id (26 characters)");
  }
  return it->get<std::string>();
}

http::Response Routes::list_queues(http::Request&) {
  nlohmann::json queues = nlohmann::json::array();
  for (auto name : kQueues) queues.push_back(to_json(queue_.stats(std::string(name))));
  return http::Response::json(200, {{"queues", queues}});
}

http::Response Routes::list_failed(http::Request& req) {
  const std::string queue = known_queue(req);
  const auto p = parse_page(req.query_param("page"), req.query_param("page_size"));
  const Page page = queue_.failed(queue, (p.page - 1) * p.page_size, p.page_size);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& j : page.items) items.push_back(failed_item(j));
  return http::Response::json(200,
                              {{"items", items}, {"total", page.total}, {"page", p.page}, {"page_size", p.page_size}});
}

http::Response Routes::get_job(http::Request& req) {
  std::string id(req.param("id"));
  std::optional<Job> job;
  if (is_valid_job_id(id)) job = queue_.get(id);
  if (!job) throw NotFound(fmt::format("no job with id '{}'", id));
  return http::Response::json(200, job_status_json(*job));
}

http::Response Routes::retry(http::Request& req) {
  const std::string queue = known_queue(req);
  std::optional<nlohmann::json> body;
  if (!trim(req.body).empty()) body = req.json();
  const auto job_id = parse_retry_body(req.body, body ? &*body : nullptr);
  req.audit.resource = job_id ? "job/" + *job_id : "queue/" + queue;
  const std::int64_t n = queue_.retry(queue, job_id);
  req.audit.details = nlohmann::json({{"queue", queue}, {"retried", n}}).dump();
  return http::Response::json(200, {{"retried", n}});
}

}  // namespace herald::jobs

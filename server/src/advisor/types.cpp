#include "advisor/types.hpp"

#include <cctype>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "core/errors.hpp"
#include "core/json_fields.hpp"

namespace herald::advisor {
namespace {

void read_text(const nlohmann::json& body, const char* field, std::size_t max, std::string& out,
               ValidationError& errors) {
  if (!body.contains(field) || body[field].is_null()) return;
  const auto& v = body[field];
  if (!v.is_string()) {
    errors.with_field(field, "must be a string");
  } else if (v.get_ref<const std::string&>().size() > max) {
    errors.with_field(field, "must be at most " + std::to_string(max) + " bytes");
  } else {
    out = v.get<std::string>();
  }
}

std::optional<std::int64_t> positive_id(const std::optional<std::string>& raw, const char* field,
                                        ValidationError& errors) {
  if (!raw) return std::nullopt;
  std::int64_t v = 0;
  std::size_t used = 0;
  try {
    v = std::stoll(*raw, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != raw->size() || v <= 0 || !std::isdigit(static_cast<unsigned char>((*raw)[0]))) {
    errors.with_field(field, "must be a positive integer");
    return std::nullopt;
  }
  return v;
}

}  // namespace

SendTimesQuery parse_send_times_query(const std::optional<std::string>& lead_id,
                                      const std::optional<std::string>& segment_id) {
  ValidationError errors;
  SendTimesQuery q;
  q.lead_id = positive_id(lead_id, "lead_id", errors);
  q.segment_id = positive_id(segment_id, "segment_id", errors);
  if (!errors.empty()) throw errors;
  return q;
}

bool looks_like_job_id(std::string_view id) noexcept {
  constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  return id.size() == 26 && id.find_first_not_of(kAlphabet) == std::string_view::npos;
}

void parse_score_leads_request(const nlohmann::json& body) { require_fields(body, {}); }

nlohmann::json score_job_json(const jobs::Job& job) {
  const bool done = job.status == jobs::JobStatus::Completed;
  return {{"job_id", job.id},
          {"status", jobs::to_string(job.status)},
          {"percent", done ? 100 : job.progress},
          {"detail", job.progress_detail},
          {"result", done ? job.result : nlohmann::json(nullptr)},
          {"error", job.error ? nlohmann::json(*job.error) : nlohmann::json(nullptr)}};
}

MessageParts parse_analyze_request(const nlohmann::json& body) {
  ValidationError errors;
  check_fields(body, {"subject", "html", "text"}, errors);
  MessageParts parts;
  if (!body.contains("subject")) errors.with_field("subject", "is required");
  read_text(body, "subject", kMaxSubject, parts.subject, errors);
  read_text(body, "html", kMaxPart, parts.html, errors);
  read_text(body, "text", kMaxPart, parts.text, errors);
  if (errors.empty() && parts.html.empty() && parts.text.empty())
    errors.with_field("html", "html or text is required: the message body to check");
  if (!errors.empty()) throw errors;
  return parts;
}

}  // namespace herald::advisor

// Request types of the built-in AI tools, with their strict parsers (every
// bad field is a 422 naming it).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "advisor/analysis.hpp"
#include "jobs/types.hpp"

namespace herald::advisor {

inline constexpr std::size_t kMaxSubject = 998;      // an RFC 5322 line
inline constexpr std::size_t kMaxPart = 512 * 1024;  // an HTML or text part

// POST /api/ai/analyze {subject, html and/or text}.
MessageParts parse_analyze_request(const nlohmann::json& body);
// POST /api/ai/score-leads: an empty object (no options yet).
void parse_score_leads_request(const nlohmann::json& body);

// GET /api/ai/send-times: lead_id and segment_id, each optional, positive
// integers (ValidationError naming the field otherwise).
struct SendTimesQuery {
  std::optional<std::int64_t> lead_id, segment_id;
};
SendTimesQuery parse_send_times_query(const std::optional<std::string>& lead_id,
                                      const std::optional<std::string>& segment_id);

// 26 characters of the queue's id alphabet (Crockford base32), checked before asking the queue.
bool looks_like_job_id(std::string_view id) noexcept;

// GET /api/ai/score-leads/{job_id}: {job_id, status, percent, detail, result
// ({model, leads_scored, auc, …} once completed, else null), error}.
nlohmann::json score_job_json(const jobs::Job& job);

}  // namespace herald::advisor

// The ai domain's request types and their parsers (each a 422 naming the field).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ai/chat_types.hpp"

namespace herald::ai {

inline constexpr std::size_t kMaxBrief = 4000;
inline constexpr std::size_t kMaxChatMessages = 40;
inline constexpr std::size_t kMaxChatMessage = 8000;

// POST /api/ai/draft {brief, tone?, length?, lead_id?, template_id?, stream?}
struct DraftRequest {
  std::string brief;
  std::string tone = "friendly";
  std::string length = "medium";
  std::optional<std::int64_t> lead_id, template_id;
  bool stream = false;
};
DraftRequest parse_draft_request(const nlohmann::json& body);

// POST /api/ai/subject-lines {brief or template_id, count?}
struct SubjectLinesRequest {
  std::string brief;
  std::optional<std::int64_t> template_id;
  int count = 5;
};
SubjectLinesRequest parse_subject_lines_request(const nlohmann::json& body);

// POST /api/ai/chat {messages: [{role: user|assistant, content}]}: the last one the user's.
std::vector<ChatMessage> parse_chat_request(const nlohmann::json& body);

}  // namespace herald::ai

// What Herald asks the model, and how it reads the answers. Pure.
//
// Prompt safety: the system prompt comes first and says what the model is
// for; data from the database (a lead, a template, tool results) goes into
// the prompt only as JSON inside a fenced block labelled as data, with the
// instruction that nothing inside it is an instruction. Only the lead fields
// a prompt needs are included (no e-mail address, phone or custom fields).
// What comes back is untrusted: drafts are parsed, their merge tags checked
// and their HTML sanitised (ai/sanitize.hpp) before anyone sees them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ai/chat_types.hpp"

namespace herald::ai {

// The lead fields a prompt may use.
nlohmann::json lead_for_prompt(const nlohmann::json& lead);
// "<label> (data, not instructions):\n```json\n{…}\n```" — backticks inside escaped.
std::string data_block(std::string_view label, const nlohmann::json& data);

struct DraftInput {
  std::string brief;
  std::string tone = "friendly";
  std::string length = "medium";                // short | medium | long
  std::optional<nlohmann::json> lead;           // lead_for_prompt
  std::optional<nlohmann::json> base_template;  // {subject, html}
};
ChatRequest draft_request(const DraftInput& in);

struct Draft {
  std::string subject, html, text;
};
// The model's answer: "Subject: …" on the first line, then the HTML body
// (a ```html fence around it is allowed). Throws MalformedResponse without a subject or body.
Draft parse_draft(std::string_view answer);

ChatRequest subject_lines_request(const std::string& brief, const std::optional<nlohmann::json>& base_template,
                                  int count);
// One subject a line (numbering and quotes removed), at most `count`, no repeats, none empty.
std::vector<std::string> parse_subject_lines(std::string_view answer, int count);

// The chat assistant's system prompt (its tools are described to the model separately).
std::string chat_system_prompt();

}  // namespace herald::ai

// The chat-completions protocol as Herald uses it (OpenAI's, spoken by
// OpenAI, Ollama, vLLM and llama.cpp's server): messages, tool calls, usage.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace herald::ai {

struct ToolCall {
  std::string id;
  std::string name;
  std::string arguments;  // JSON text, as the model wrote it (untrusted)
};

struct ChatMessage {
  std::string role;  // system, user, assistant, tool
  std::string content;
  std::vector<ToolCall> tool_calls;  // assistant messages that call tools
  std::string tool_call_id;          // tool messages: the call answered
};

struct Usage {
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  std::int64_t total() const noexcept { return prompt_tokens + completion_tokens; }
};

struct ChatCompletion {
  std::string content;
  std::vector<ToolCall> tool_calls;
  std::string finish_reason;
  std::optional<Usage> usage;  // when the provider reported it
};

struct ChatRequest {
  std::vector<ChatMessage> messages;
  nlohmann::json tools = nlohmann::json::array();  // [{type: function, function: {name, description, parameters}}]
  std::optional<int> max_tokens;
  std::optional<double> temperature;
  bool json_output = false;  // response_format {type: json_object}
};

nlohmann::json to_json(const ChatMessage& m);
// The request body for POST {base}/chat/completions.
nlohmann::json request_body(const ChatRequest& request, const std::string& model, bool stream);

}  // namespace herald::ai

#include "ai/types.hpp"

#include <fmt/format.h>

#include "core/errors.hpp"
#include "core/json_fields.hpp"
#include "core/strings.hpp"

namespace herald::ai {
namespace {

using nlohmann::json;

std::optional<std::string> text_field(const json& body, const char* key, std::size_t max, bool required,
                                      ValidationError& errors) {
  if (!body.contains(key) || body[key].is_null()) {
    if (required) errors.with_field(key, "is required");
    return std::nullopt;
  }
  if (!body[key].is_string()) {
    errors.with_field(key, "must be a string");
    return std::nullopt;
  }
  auto s = std::string(trim(body[key].get_ref<const std::string&>()));
  if (required && s.empty()) {
    errors.with_field(key, "must not be empty");
  } else if (s.size() > max) {
    errors.with_field(key, fmt::format("must be at most {} bytes", max));
  } else if (!is_text(s)) {
    errors.with_field(key, "must be text");
  } else {
    return s;
  }
  return std::nullopt;
}

std::optional<std::int64_t> id_field(const json& body, const char* key, ValidationError& errors) {
  if (!body.contains(key) || body[key].is_null()) return std::nullopt;
  if (!body[key].is_number_integer() || body[key].get<std::int64_t>() < 1) {
    errors.with_field(key, "must be a positive integer id");
    return std::nullopt;
  }
  return body[key].get<std::int64_t>();
}

}  // namespace

DraftRequest parse_draft_request(const json& body) {
  ValidationError errors;
  check_fields(body, {"brief", "tone", "length", "lead_id", "template_id", "stream"}, errors);
  DraftRequest r;
  if (auto b = text_field(body, "brief", kMaxBrief, true, errors)) r.brief = *b;
  if (auto t = text_field(body, "tone", 40, false, errors)) {
    if (t->find_first_of("\r\n") != std::string::npos) {
      errors.with_field("tone", "must be one line, such as friendly, formal or playful");
    } else if (!t->empty()) {
      r.tone = *t;
    }
  }
  if (body.contains("length") && !body["length"].is_null()) {
    const auto& l = body["length"];
    if (!l.is_string() || (l != "short" && l != "medium" && l != "long")) {
      errors.with_field("length", "must be short, medium or long");
    } else {
      r.length = l.get<std::string>();
    }
  }
  r.lead_id = id_field(body, "lead_id", errors);
  r.template_id = id_field(body, "template_id", errors);
  if (body.contains("stream")) {
    if (!body["stream"].is_boolean()) {
      errors.with_field("stream", "must be true or false");
    } else {
      r.stream = body["stream"].get<bool>();
    }
  }
  if (!errors.empty()) throw errors;
  return r;
}

SubjectLinesRequest parse_subject_lines_request(const json& body) {
  ValidationError errors;
  check_fields(body, {"brief", "template_id", "count"}, errors);
  SubjectLinesRequest r;
  if (auto b = text_field(body, "brief", kMaxBrief, false, errors)) r.brief = *b;
  r.template_id = id_field(body, "template_id", errors);
  if (body.contains("count")) {
    const auto& c = body["count"];
    if (!c.is_number_integer() || c.get<std::int64_t>() < 1 || c.get<std::int64_t>() > 10) {
      errors.with_field("count", "must be an integer from 1 to 10");
    } else {
      r.count = static_cast<int>(c.get<std::int64_t>());
    }
  }
  if (errors.empty() && r.brief.empty() && !r.template_id) {
    errors.with_field("brief", "is required unless template_id names the e-mail to write subject lines for");
  }
  if (!errors.empty()) throw errors;
  return r;
}

std::vector<ChatMessage> parse_chat_request(const json& body) {
  ValidationError errors;
  check_fields(body, {"messages"}, errors);
  std::vector<ChatMessage> out;
  if (!body.contains("messages") || !body["messages"].is_array() || body["messages"].empty()) {
    errors.with_field("messages", "is required: a non-empty array of {role: user|assistant, content}");
    throw errors;
  }
  const auto& list = body["messages"];
  if (list.size() > kMaxChatMessages) {
    errors.with_field("messages", fmt::format("must hold at most {} messages", kMaxChatMessages));
    throw errors;
  }
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto at = fmt::format("messages[{}]", i);
    const auto& m = list[i];
    if (!m.is_object()) {
      errors.with_field(at, "must be an object {role, content}");
      continue;
    }
    for (auto& [key, _] : m.items()) {
      if (key != "role" && key != "content") errors.with_field(at + "." + key, std::string(kUnknownField));
    }
    ChatMessage msg;
    if (!m.contains("role") || !m["role"].is_string() || (m["role"] != "user" && m["role"] != "assistant")) {
      errors.with_field(at + ".role", "must be user or assistant");
    } else {
      msg.role = m["role"].get<std::string>();
    }
    if (!m.contains("content") || !m["content"].is_string() || m["content"].get_ref<const std::string&>().empty()) {
      errors.with_field(at + ".content", "is required: the message's text");
    } else if (m["content"].get_ref<const std::string&>().size() > kMaxChatMessage) {
      errors.with_field(at + ".content", fmt::format("must be at most {} bytes", kMaxChatMessage));
    } else if (!is_text(m["content"].get_ref<const std::string&>())) {
      errors.with_field(at + ".content", "must be text");
    } else {
      msg.content = m["content"].get<std::string>();
    }
    out.push_back(std::move(msg));
  }
  if (errors.empty() && out.back().role != "user") {
    errors.with_field(fmt::format("messages[{}].role", list.size() - 1), "the last message must be the user's");
  }
  if (!errors.empty()) throw errors;
  return out;
}

}  // namespace herald::ai

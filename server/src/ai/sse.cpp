#include "ai/sse.hpp"

#include <fmt/format.h>

namespace herald::ai {
namespace {

using nlohmann::json;

json parse_object(std::string_view text, std::string_view what) {
  auto doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    throw MalformedResponse(fmt::format("the provider sent {} that is not a JSON object: {:.80}", what, text));
  }
  return doc;
}

std::string string_or_empty(const json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return {};
  if (!it->is_string()) throw MalformedResponse(fmt::format("the provider's \"{}\" is not a string", key));
  return it->get<std::string>();
}

ToolCall tool_call_from(const json& c) {
  if (!c.is_object()) throw MalformedResponse("the provider's tool call is not an object");
  ToolCall t;
  t.id = string_or_empty(c, "id");
  auto fn = c.find("function");
  if (fn == c.end() || !fn->is_object()) throw MalformedResponse("the provider's tool call names no function");
  t.name = string_or_empty(*fn, "name");
  t.arguments = string_or_empty(*fn, "arguments");
  return t;
}

}  // namespace

json to_json(const ChatMessage& m) {
  json out = {{"role", m.role}, {"content", m.content}};
  if (!m.tool_calls.empty()) {
    json calls = json::array();
    for (const auto& c : m.tool_calls) {
      calls.push_back(
          {{"id", c.id}, {"type", "function"}, {"function", {{"name", c.name}, {"arguments", c.arguments}}}});
    }
    out["tool_calls"] = std::move(calls);
    if (m.content.empty()) out["content"] = nullptr;
  }
  if (!m.tool_call_id.empty()) out["tool_call_id"] = m.tool_call_id;
  return out;
}

json request_body(const ChatRequest& request, const std::string& model, bool stream) {
  json messages = json::array();
  for (const auto& m : request.messages) messages.push_back(to_json(m));
  json body = {{"model", model}, {"messages", std::move(messages)}, {"stream", stream}};
  if (stream) body["stream_options"] = {{"include_usage", true}};
  if (!request.tools.empty()) body["tools"] = request.tools;
  if (request.max_tokens) body["max_tokens"] = *request.max_tokens;
  if (request.temperature) body["temperature"] = *request.temperature;
  if (request.json_output) body["response_format"] = {{"type", "json_object"}};
  return body;
}

void SseReader::feed(std::string_view bytes, std::vector<std::string>& out) {
  for (char c : bytes) {
    if (c == '\n') {
      std::string_view l(line_);
      if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
      line(l, out);
      line_.clear();
    } else {
      line_.push_back(c);
    }
  }
}

void SseReader::line(std::string_view l, std::vector<std::string>& out) {
  if (l.empty()) {  // the blank line ends an event
    if (has_data_) out.push_back(std::move(data_));
    data_.clear();
    has_data_ = false;
    return;
  }
  if (l.front() == ':') return;  // a comment (keep-alive)
  const auto colon = l.find(':');
  const auto field = l.substr(0, colon);
  std::string_view value = colon == std::string_view::npos ? std::string_view() : l.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (field != "data") return;
  if (has_data_) data_.push_back('\n');
  data_.append(value);
  has_data_ = true;
}

std::optional<Usage> parse_usage(const json& doc) {
  auto it = doc.find("usage");
  if (it == doc.end() || !it->is_object()) return std::nullopt;
  Usage u;
  if (auto p = it->find("prompt_tokens"); p != it->end() && p->is_number_integer())
    u.prompt_tokens = p->get<std::int64_t>();
  if (auto c = it->find("completion_tokens"); c != it->end() && c->is_number_integer()) {
    u.completion_tokens = c->get<std::int64_t>();
  }
  if (u.prompt_tokens < 0 || u.completion_tokens < 0) throw MalformedResponse("the provider reported negative usage");
  return u;
}

std::string ChunkAssembler::add(std::string_view data) {
  if (data == "[DONE]") {
    done_ = true;
    return {};
  }
  if (done_) throw MalformedResponse("the provider sent data after [DONE]");
  const auto chunk = parse_object(data, "a stream chunk");
  if (auto err = chunk.find("error"); err != chunk.end()) {
    const auto message = err->is_object() ? err->value("message", err->dump()) : err->dump();
    throw MalformedResponse("the provider reported an error mid-stream: " + message);
  }
  if (auto u = parse_usage(chunk)) usage_ = u;
  auto choices = chunk.find("choices");
  if (choices == chunk.end() || !choices->is_array()) {
    throw MalformedResponse("the provider sent a stream chunk without \"choices\"");
  }
  std::string delta_text;
  for (const auto& choice : *choices) {
    if (!choice.is_object()) throw MalformedResponse("the provider sent a choice that is not an object");
    if (choice.value("index", 0) != 0) continue;  // only the first choice is asked for
    if (auto fr = choice.find("finish_reason"); fr != choice.end() && fr->is_string()) {
      finish_reason_ = fr->get<std::string>();
    }
    auto delta = choice.find("delta");
    if (delta == choice.end() || delta->is_null()) continue;
    if (!delta->is_object()) throw MalformedResponse("the provider sent a delta that is not an object");
    delta_text += string_or_empty(*delta, "content");
    auto calls = delta->find("tool_calls");
    if (calls == delta->end() || calls->is_null()) continue;
    if (!calls->is_array()) throw MalformedResponse("the provider's tool_calls is not an array");
    for (const auto& c : *calls) {
      if (!c.is_object() || !c.contains("index") || !c["index"].is_number_integer()) {
        throw MalformedResponse("the provider sent a tool-call delta without an index");
      }
      auto& call = calls_[c["index"].get<int>()];
      if (auto id = string_or_empty(c, "id"); !id.empty()) call.id = id;
      if (auto fn = c.find("function"); fn != c.end() && fn->is_object()) {
        call.name += string_or_empty(*fn, "name");
        call.arguments += string_or_empty(*fn, "arguments");
      }
    }
  }
  content_ += delta_text;
  return delta_text;
}

ChatCompletion ChunkAssembler::result() const {
  ChatCompletion out;
  out.content = content_;
  out.finish_reason = finish_reason_;
  out.usage = usage_;
  for (const auto& [index, c] : calls_) {
    if (c.name.empty()) throw MalformedResponse(fmt::format("the provider's tool call {} has no name", index));
    out.tool_calls.push_back({c.id.empty() ? fmt::format("call_{}", index) : c.id, c.name, c.arguments});
  }
  return out;
}

ChatCompletion parse_completion(std::string_view body) {
  const auto doc = parse_object(body, "a response");
  auto choices = doc.find("choices");
  if (choices == doc.end() || !choices->is_array() || choices->empty() || !(*choices)[0].is_object()) {
    throw MalformedResponse("the provider's response has no choices");
  }
  const auto& choice = (*choices)[0];
  auto message = choice.find("message");
  if (message == choice.end() || !message->is_object()) throw MalformedResponse("the provider's choice has no message");
  ChatCompletion out;
  out.content = string_or_empty(*message, "content");
  if (auto fr = choice.find("finish_reason"); fr != choice.end() && fr->is_string()) out.finish_reason = *fr;
  if (auto calls = message->find("tool_calls"); calls != message->end() && calls->is_array()) {
    for (const auto& c : *calls) out.tool_calls.push_back(tool_call_from(c));
  }
  out.usage = parse_usage(doc);
  return out;
}

}  // namespace herald::ai

// Reading a streamed chat completion: the Server-Sent Events framing
// (`data: {...}` lines, events ended by a blank line, `data: [DONE]` last) and
// the assembly of its chunks — content deltas, tool calls whose name and
// arguments arrive in pieces by index, the finish reason and the usage.
// Pure: fed bytes, returns values; the provider client does the I/O.
#pragma once

#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "ai/chat_types.hpp"

namespace herald::ai {

// A stream or response the provider should not have sent.
class MalformedResponse : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Splits bytes into SSE events (the joined `data:` lines of each). Comments
// (`:`), `event:`, `id:` and `retry:` lines are skipped.
class SseReader {
 public:
  // Appends the data of each event completed by `bytes` to `out`.
  void feed(std::string_view bytes, std::vector<std::string>& out);
  // Bytes of an event not yet ended by a blank line.
  bool pending() const noexcept { return !line_.empty() || has_data_; }

 private:
  void line(std::string_view l, std::vector<std::string>& out);
  std::string line_;
  std::string data_;
  bool has_data_ = false;
};

// Folds the chunks of one streamed completion into a ChatCompletion.
class ChunkAssembler {
 public:
  // One event's data. Returns the content delta it carried (may be empty).
  // Throws MalformedResponse for data that is not a chat.completion.chunk.
  std::string add(std::string_view data);
  bool done() const noexcept { return done_; }
  // The completion so far (tool calls in index order).
  ChatCompletion result() const;

 private:
  struct PartialCall {
    std::string id, name, arguments;
  };
  bool done_ = false;
  std::string content_;
  std::string finish_reason_;
  std::optional<Usage> usage_;
  std::map<int, PartialCall> calls_;
};

// A complete (non-streamed) chat.completion body. Throws MalformedResponse.
ChatCompletion parse_completion(std::string_view body);
// {"usage": {"prompt_tokens", "completion_tokens"}} when present and numeric.
std::optional<Usage> parse_usage(const nlohmann::json& doc);

}  // namespace herald::ai

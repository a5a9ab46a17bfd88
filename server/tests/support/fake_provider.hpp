// A local stand-in for an OpenAI-compatible chat-completions provider: a
// small HTTP/1.1 server on plain sockets, one thread per connection (so slow
// answers overlap like a real provider's), that records every request and
// answers as the test's handler says — a JSON completion, Server-Sent Events
// chunks written with pauses, a 429 with Retry-After, a 500, a malformed
// chunk, or a stall. The helpers write the protocol's real shapes
// (chat.completion, chat.completion.chunk, streamed tool-call deltas).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/sentry_sink.hpp"  // SinkRequest

namespace herald::test {

struct ProviderStep {
  std::chrono::milliseconds pause{0};  // before these bytes
  std::string bytes;
};

struct ProviderReply {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<ProviderStep> body;            // sent as one Content-Length body unless `chunked`
  bool chunked = false;                      // streamed: each step one chunk
  std::chrono::milliseconds stall_after{0};  // > 0: after the body's steps, send nothing for this long, then close
};

// {"choices":[{"message":{"content"}}], "usage"} as one JSON body.
ProviderReply json_completion(const std::string& content, int prompt_tokens = 10, int completion_tokens = 20);
// SSE: one chunk per delta (`pause` before each), a usage chunk, [DONE].
ProviderReply sse_completion(const std::vector<std::string>& deltas, std::chrono::milliseconds pause = {},
                             int prompt_tokens = 10, int completion_tokens = 20);
// SSE: a tool call whose name and arguments arrive in pieces, finish_reason tool_calls.
ProviderReply sse_tool_call(const std::string& id, const std::string& name,
                            const std::vector<std::string>& argument_pieces, int prompt_tokens = 30,
                            int completion_tokens = 5);
ProviderReply error_reply(int status, const std::string& message,
                          std::vector<std::pair<std::string, std::string>> headers = {});
// "data: <json>\n\n"
std::string sse_data(const nlohmann::json& chunk);

class FakeProvider {
 public:
  using Handler = std::function<ProviderReply(const SinkRequest& request, int index)>;
  FakeProvider();
  ~FakeProvider();
  FakeProvider(const FakeProvider&) = delete;
  FakeProvider& operator=(const FakeProvider&) = delete;

  // http://127.0.0.1:<port>/v1
  std::string base_url() const;
  void on_request(Handler handler);
  std::vector<SinkRequest> received() const;
  // The request bodies as JSON.
  std::vector<nlohmann::json> bodies() const;
  bool wait_for(std::size_t n, std::chrono::milliseconds timeout) const;
  // Requests being answered right now.
  int in_flight() const noexcept { return in_flight_.load(); }

 private:
  void accept_loop();
  void serve(int fd);
  bool pause(std::chrono::milliseconds d);  // false once stopping

  int listen_fd_ = -1;
  int wake_[2] = {-1, -1};
  std::uint16_t port_ = 0;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::vector<SinkRequest> received_;
  Handler handler_;
  bool stopping_ = false;
  std::atomic<int> in_flight_{0};
  std::vector<std::thread> connections_;
  std::thread acceptor_;
};

}  // namespace herald::test

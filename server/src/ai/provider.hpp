// The client of an OpenAI-compatible chat-completions endpoint (OpenAI,
// Ollama, vLLM, llama.cpp's server): POST {base_url}/chat/completions with
// `Authorization: Bearer {api_key}` and the model, answered as one JSON body
// or, streamed, as Server-Sent Events. libcurl, blocking: it runs on the
// handler pool (ai routes are Pool) or a stream's own thread.
//
// Timeouts: connecting, the whole exchange, and a stall (no byte for
// `idle_timeout` while the model should be writing). A 429 or a 5xx before
// any of the answer was read is retried up to `max_attempts`, waiting what
// the provider's Retry-After asks (seconds) when it asks no more than
// `max_retry_wait`, else a doubling backoff. Failures are herald::Errors, so
// they reach the client as problem+json: 502 (the provider refused or sent
// something unreadable), 503 with Retry-After (still rate-limited), 504 (timed
// out or stalled).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "ai/chat_types.hpp"
#include "core/errors.hpp"

namespace herald::ai {

struct ProviderSettings {
  std::string base_url;  // e.g. https://api.openai.com/v1 or http://127.0.0.1:11434/v1
  std::string api_key;   // may be empty (a local server)
  std::string model;
  bool configured() const noexcept { return !base_url.empty() && !model.empty(); }
};

struct ClientOptions {
  std::chrono::milliseconds connect_timeout{5'000};
  std::chrono::milliseconds overall_timeout{120'000};
  std::chrono::milliseconds idle_timeout{30'000};
  int max_attempts = 3;
  std::chrono::milliseconds max_retry_wait{10'000};
  std::chrono::milliseconds first_backoff{500};
};

// What went wrong talking to the provider, with the status the client sees.
struct ProviderError : Error {
  ProviderError(int status, std::string detail, std::string slug)
      : Error(status, title_for(status), std::move(detail), std::move(slug)) {}
  static std::string title_for(int status);
};

// Called with each piece of the model's text as it arrives.
using DeltaSink = std::function<void(std::string_view text)>;

class ProviderClient {
 public:
  explicit ProviderClient(ClientOptions options = {});

  // One completion. With `on_delta` set the request is streamed and
  // `on_delta` sees the text while the model writes it. `cancel` (optional)
  // aborts the exchange within about a second once set (the client left).
  ChatCompletion complete(const ProviderSettings& provider, const ChatRequest& request, const DeltaSink& on_delta = {},
                          const std::atomic<bool>* cancel = nullptr) const;

  const ClientOptions& options() const noexcept { return options_; }

 private:
  ClientOptions options_;
};

// The Retry-After a provider sent, in seconds (delta-seconds only); nullopt otherwise.
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value);
// The text of the provider's error document ({"error": {"message"}}) or the body's start.
std::string provider_message(std::string_view body);

}  // namespace herald::ai

// A Server-Sent Events response fed while work runs: the work (a provider
// call that streams) runs on its own thread and emits events; the response's
// producer — on the handler pool, the ai routes being Pool — hands each
// event to the transport as it comes. When the client goes away the
// producer is dropped and the work's `cancelled()` turns true, which aborts
// the provider exchange within about a second. The owner (the ai module)
// waits for every running stream before it is destroyed.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "http/types.hpp"

namespace herald::ai {

// "event: <name>\ndata: <json on one line>\n\n"
std::string sse_event(std::string_view name, const nlohmann::json& data);

class Emitter {
 public:
  virtual ~Emitter() = default;
  virtual void event(std::string_view name, const nlohmann::json& data) = 0;
  virtual const std::atomic<bool>& cancelled() const = 0;
};

struct StreamState;

class EventStreams {
 public:
  EventStreams() = default;
  EventStreams(const EventStreams&) = delete;
  EventStreams& operator=(const EventStreams&) = delete;
  ~EventStreams();  // cancels and waits for running streams

  // A text/event-stream response whose body `work` writes through its Emitter.
  http::Response start(std::function<void(Emitter&)> work);

 private:
  std::mutex mutex_;
  std::condition_variable idle_;
  std::set<StreamState*> running_;
  bool closing_ = false;
};

}  // namespace herald::ai

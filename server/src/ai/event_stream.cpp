#include "ai/event_stream.hpp"

#include <deque>
#include <memory>
#include <thread>

#include "core/log.hpp"

namespace herald::ai {

struct StreamState final : Emitter {
  std::mutex mutex;
  std::condition_variable ready;
  std::deque<std::string> pieces;
  bool finished = false;
  std::atomic<bool> cancel{false};

  void event(std::string_view name, const nlohmann::json& data) override {
    auto text = sse_event(name, data);
    std::lock_guard lock(mutex);
    pieces.push_back(std::move(text));
    ready.notify_all();
  }
  const std::atomic<bool>& cancelled() const override { return cancel; }
  void finish() {
    std::lock_guard lock(mutex);
    finished = true;
    ready.notify_all();
  }
};

namespace {

using State = StreamState;

// Held by the response's producer: when the transport drops it (the body
// ended, or the client went away), the work is told to stop.
struct Handle {
  std::shared_ptr<State> state;
  explicit Handle(std::shared_ptr<State> s) : state(std::move(s)) {}
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() {
    state->cancel = true;
    state->ready.notify_all();
  }
};

}  // namespace

std::string sse_event(std::string_view name, const nlohmann::json& data) {
  std::string out = "event: ";
  out.append(name);
  out += "\ndata: ";
  out += data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  out += "\n\n";
  return out;
}

EventStreams::~EventStreams() {
  std::unique_lock lock(mutex_);
  closing_ = true;
  for (auto* s : running_) s->cancel = true;
  idle_.wait(lock, [this] { return running_.empty(); });
}

http::Response EventStreams::start(std::function<void(Emitter&)> work) {
  auto state = std::make_shared<State>();
  {
    std::lock_guard lock(mutex_);
    if (closing_) state->cancel = true;
    running_.insert(state.get());
  }
  std::thread([this, state, work = std::move(work)] {
    try {
      if (!state->cancel) work(*state);
    } catch (const std::exception& e) {
      log::error("ai: a streamed response failed", {{"error", e.what()}});
    }
    state->finish();
    std::lock_guard lock(mutex_);
    running_.erase(state.get());
    idle_.notify_all();
  }).detach();

  auto handle = std::make_shared<Handle>(state);
  auto res = http::Response::streamed(200, "text/event-stream; charset=utf-8", [handle](std::string& chunk) {
    auto& s = *handle->state;
    std::unique_lock lock(s.mutex);
    s.ready.wait(lock, [&] { return !s.pieces.empty() || s.finished; });
    if (s.pieces.empty()) return false;
    while (!s.pieces.empty()) {
      chunk += s.pieces.front();
      s.pieces.pop_front();
    }
    return true;
  });
  res.headers.add("Cache-Control", "no-cache");
  res.headers.add("X-Accel-Buffering", "no");  // nginx: pass each event on at once
  return res;
}

}  // namespace herald::ai

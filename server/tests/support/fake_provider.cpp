#include "support/fake_provider.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

#include "core/strings.hpp"

namespace herald::test {
namespace {

using nlohmann::json;

json chunk(const json& delta, const json& finish_reason = nullptr) {
  return {{"id", "chatcmpl-test"},
          {"object", "chat.completion.chunk"},
          {"created", 1767225600},
          {"model", "test-model"},
          {"choices", json::array({{{"index", 0}, {"delta", delta}, {"finish_reason", finish_reason}}})}};
}

json usage_chunk(int prompt, int completion) {
  return {
      {"id", "chatcmpl-test"},
      {"object", "chat.completion.chunk"},
      {"choices", json::array()},
      {"usage", {{"prompt_tokens", prompt}, {"completion_tokens", completion}, {"total_tokens", prompt + completion}}}};
}

ProviderReply sse(std::vector<ProviderStep> steps) {
  ProviderReply r;
  r.content_type = "text/event-stream";
  r.chunked = true;
  r.body = std::move(steps);
  return r;
}

// One complete request from `fd`, or nullopt when the peer closed first.
std::optional<SinkRequest> read_request(int fd) {
  std::string buffer;
  char buf[16384];
  for (;;) {
    if (auto r = take_request(buffer)) return r;
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return std::nullopt;
    buffer.append(buf, static_cast<std::size_t>(n));
  }
}

bool write_all(int fd, const std::string& data) {
  std::size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = ::send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<std::size_t>(n);
  }
  return true;
}

std::string hex(std::size_t n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%zx", n);
  return buf;
}

}  // namespace

std::string sse_data(const json& c) { return "data: " + c.dump() + "\n\n"; }

ProviderReply json_completion(const std::string& content, int prompt_tokens, int completion_tokens) {
  json body = {
      {"id", "chatcmpl-test"},
      {"object", "chat.completion"},
      {"created", 1767225600},
      {"model", "test-model"},
      {"choices",
       json::array(
           {{{"index", 0}, {"message", {{"role", "assistant"}, {"content", content}}}, {"finish_reason", "stop"}}})},
      {"usage",
       {{"prompt_tokens", prompt_tokens},
        {"completion_tokens", completion_tokens},
        {"total_tokens", prompt_tokens + completion_tokens}}}};
  ProviderReply r;
  r.body = {{{}, body.dump()}};
  return r;
}

ProviderReply sse_completion(const std::vector<std::string>& deltas, std::chrono::milliseconds pause, int prompt_tokens,
                             int completion_tokens) {
  std::vector<ProviderStep> steps;
  steps.push_back({{}, sse_data(chunk({{"role", "assistant"}, {"content", ""}}))});
  for (const auto& d : deltas) steps.push_back({pause, sse_data(chunk({{"content", d}}))});
  steps.push_back({{}, sse_data(chunk(json::object(), "stop"))});
  steps.push_back({{}, sse_data(usage_chunk(prompt_tokens, completion_tokens)) + "data: [DONE]\n\n"});
  return sse(std::move(steps));
}

ProviderReply sse_tool_call(const std::string& id, const std::string& name,
                            const std::vector<std::string>& argument_pieces, int prompt_tokens, int completion_tokens) {
  std::vector<ProviderStep> steps;
  steps.push_back(
      {{},
       sse_data(chunk({{"role", "assistant"},
                       {"content", nullptr},
                       {"tool_calls", json::array({{{"index", 0},
                                                    {"id", id},
                                                    {"type", "function"},
                                                    {"function", {{"name", name}, {"arguments", ""}}}}})}}))});
  for (const auto& piece : argument_pieces) {
    steps.push_back(
        {{}, sse_data(chunk({{"tool_calls", json::array({{{"index", 0}, {"function", {{"arguments", piece}}}}})}}))});
  }
  steps.push_back({{}, sse_data(chunk(json::object(), "tool_calls"))});
  steps.push_back({{}, sse_data(usage_chunk(prompt_tokens, completion_tokens)) + "data: [DONE]\n\n"});
  return sse(std::move(steps));
}

ProviderReply error_reply(int status, const std::string& message,
                          std::vector<std::pair<std::string, std::string>> headers) {
  ProviderReply r;
  r.status = status;
  r.headers = std::move(headers);
  r.body = {{{}, json{{"error", {{"message", message}, {"type", "test_error"}}}}.dump()}};
  return r;
}

FakeProvider::FakeProvider() {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (listen_fd_ < 0 || ::pipe(wake_) != 0) throw std::runtime_error("fake provider: socket");
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listen_fd_, 128) != 0) {
    throw std::runtime_error("fake provider: bind");
  }
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  handler_ = [](const SinkRequest&, int) { return json_completion("Hello"); };
  acceptor_ = std::thread([this] { accept_loop(); });
}

FakeProvider::~FakeProvider() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    changed_.notify_all();
  }
  const char stop = 'x';
  [[maybe_unused]] auto n = ::write(wake_[1], &stop, 1);
  acceptor_.join();
  for (auto& t : connections_) t.join();
  ::close(listen_fd_);
  ::close(wake_[0]);
  ::close(wake_[1]);
}

std::string FakeProvider::base_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }

void FakeProvider::on_request(Handler handler) {
  std::lock_guard lock(mutex_);
  handler_ = std::move(handler);
}

std::vector<SinkRequest> FakeProvider::received() const {
  std::lock_guard lock(mutex_);
  return received_;
}

std::vector<json> FakeProvider::bodies() const {
  std::vector<json> out;
  for (const auto& r : received()) out.push_back(json::parse(r.body, nullptr, false));
  return out;
}

bool FakeProvider::wait_for(std::size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return received_.size() >= n; });
}

bool FakeProvider::pause(std::chrono::milliseconds d) {
  std::unique_lock lock(mutex_);
  return !changed_.wait_for(lock, d, [&] { return stopping_; });
}

void FakeProvider::accept_loop() {
  for (;;) {
    pollfd fds[2] = {{wake_[0], POLLIN, 0}, {listen_fd_, POLLIN, 0}};
    if (::poll(fds, 2, 1000) < 0) continue;
    if (fds[0].revents != 0) return;
    if ((fds[1].revents & POLLIN) == 0) continue;
    const int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    std::lock_guard lock(mutex_);
    connections_.emplace_back([this, fd] { serve(fd); });
  }
}

void FakeProvider::serve(int fd) {
  auto request = read_request(fd);
  if (!request) {
    ::close(fd);
    return;
  }
  ++in_flight_;
  Handler handler;
  int index = 0;
  {
    std::lock_guard lock(mutex_);
    index = static_cast<int>(received_.size());
    received_.push_back(*request);
    handler = handler_;
    changed_.notify_all();
  }
  const auto reply = handler(*request, index);
  std::string head = "HTTP/1.1 " + std::to_string(reply.status) + " Fake\r\nContent-Type: " + reply.content_type +
                     "\r\nConnection: close\r\n";
  for (const auto& [k, v] : reply.headers) head += k + ": " + v + "\r\n";
  bool ok = true;
  if (reply.chunked) {
    ok = write_all(fd, head + "Transfer-Encoding: chunked\r\n\r\n");
    for (const auto& step : reply.body) {
      if (!ok || (step.pause.count() > 0 && !pause(step.pause))) break;
      ok = write_all(fd, hex(step.bytes.size()) + "\r\n" + step.bytes + "\r\n");
    }
    if (ok && reply.stall_after.count() > 0) pause(reply.stall_after);
    if (ok && reply.stall_after.count() == 0) write_all(fd, "0\r\n\r\n");
  } else {
    std::string body;
    auto first_pause = reply.body.empty() ? std::chrono::milliseconds(0) : reply.body.front().pause;
    for (const auto& step : reply.body) body += step.bytes;
    if (first_pause.count() > 0) ok = pause(first_pause);
    if (ok) write_all(fd, head + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
    if (reply.stall_after.count() > 0) pause(reply.stall_after);
  }
  --in_flight_;
  ::shutdown(fd, SHUT_RDWR);
  ::close(fd);
}

}  // namespace herald::test

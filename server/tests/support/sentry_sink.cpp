#include "support/sentry_sink.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <map>
#include <stdexcept>

#include "core/strings.hpp"

namespace herald::test {
namespace {

struct Connection {
  std::string buffer;
};

}  // namespace

std::optional<SinkRequest> take_request(std::string& buffer) {
  const auto head_end = buffer.find("\r\n\r\n");
  if (head_end == std::string::npos) return std::nullopt;
  SinkRequest r;
  std::size_t content_length = 0;
  const auto lines = split(std::string_view(buffer).substr(0, head_end), '\n');
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto line = trim(lines[i]);
    if (i == 0) {
      const auto parts = split(line, ' ');
      if (parts.size() >= 2) {
        r.method = std::string(parts[0]);
        r.target = std::string(parts[1]);
      }
      continue;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string name(trim(line.substr(0, colon)));
    std::string value(trim(line.substr(colon + 1)));
    if (iequals_ascii(name, "Content-Length")) content_length = std::stoul(value);
    r.headers.emplace_back(std::move(name), std::move(value));
  }
  if (buffer.size() < head_end + 4 + content_length) return std::nullopt;
  r.body = buffer.substr(head_end + 4, content_length);
  buffer.erase(0, head_end + 4 + content_length);
  return r;
}

namespace {

std::string render(const SinkReply& reply) {
  std::string out = "HTTP/1.1 " + std::to_string(reply.status) + " Sink\r\nContent-Type: application/json\r\n";
  for (const auto& [k, v] : reply.headers) out += k + ": " + v + "\r\n";
  out += "Content-Length: " + std::to_string(reply.body.size()) + "\r\n\r\n" + reply.body;
  return out;
}

void write_all(int fd, const std::string& data) {
  std::size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = ::send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return;
    off += static_cast<std::size_t>(n);
  }
}

}  // namespace

std::optional<std::string> SinkRequest::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (iequals_ascii(k, name)) return v;
  }
  return std::nullopt;
}

SentrySink::SentrySink() {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (listen_fd_ < 0 || ::pipe(wake_) != 0) throw std::runtime_error("sentry sink: socket");
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listen_fd_, 64) != 0)
    throw std::runtime_error("sentry sink: bind");
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { run(); });
}

SentrySink::~SentrySink() {
  const char stop = 'x';
  [[maybe_unused]] auto n = ::write(wake_[1], &stop, 1);
  thread_.join();
  ::close(listen_fd_);
  ::close(wake_[0]);
  ::close(wake_[1]);
}

std::string SentrySink::dsn(const std::string& key, const std::string& project, const std::string& prefix) const {
  return "http://" + key + "@127.0.0.1:" + std::to_string(port_) + prefix + "/" + project;
}

void SentrySink::reply_with(SinkReply reply) {
  std::lock_guard lock(mutex_);
  reply_ = std::move(reply);
  silent_ = false;
}

void SentrySink::stay_silent() {
  std::lock_guard lock(mutex_);
  silent_ = true;
}

std::vector<SinkRequest> SentrySink::received() const {
  std::lock_guard lock(mutex_);
  return received_;
}

bool SentrySink::wait_for(std::size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return arrived_.wait_for(lock, timeout, [&] { return received_.size() >= n; });
}

void SentrySink::run() {
  std::map<int, Connection> connections;
  for (;;) {
    std::vector<pollfd> fds = {{wake_[0], POLLIN, 0}, {listen_fd_, POLLIN, 0}};
    for (const auto& [fd, _] : connections) fds.push_back({fd, POLLIN, 0});
    if (::poll(fds.data(), fds.size(), 1000) < 0) continue;
    if (fds[0].revents != 0) break;
    if ((fds[1].revents & POLLIN) != 0) {
      const int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd >= 0) connections[fd] = {};
    }
    for (std::size_t i = 2; i < fds.size(); ++i) {
      if (fds[i].revents == 0) continue;
      const int fd = fds[i].fd;
      char buf[16384];
      const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) {
        ::close(fd);
        connections.erase(fd);
        continue;
      }
      auto& conn = connections[fd];
      conn.buffer.append(buf, static_cast<std::size_t>(n));
      while (auto request = take_request(conn.buffer)) {
        SinkReply reply;
        bool silent = false;
        {
          std::lock_guard lock(mutex_);
          received_.push_back(std::move(*request));
          reply = reply_;
          silent = silent_;
        }
        arrived_.notify_all();
        if (!silent) write_all(fd, render(reply));
      }
    }
  }
  for (const auto& [fd, _] : connections) ::close(fd);
}

std::optional<ParsedEnvelope> parse_envelope(const std::string& body) {
  const auto first = body.find('\n');
  if (first == std::string::npos) {
    ADD_FAILURE() << "no envelope header line in: " << body.substr(0, 200);
    return std::nullopt;
  }
  const auto second = body.find('\n', first + 1);
  if (second == std::string::npos) {
    ADD_FAILURE() << "no item header line";
    return std::nullopt;
  }
  ParsedEnvelope env;
  env.header = nlohmann::json::parse(body.substr(0, first), nullptr, false);
  env.item_header = nlohmann::json::parse(body.substr(first + 1, second - first - 1), nullptr, false);
  if (env.header.is_discarded() || env.item_header.is_discarded() || !env.item_header.contains("length")) {
    ADD_FAILURE() << "envelope or item header is not JSON with a length";
    return std::nullopt;
  }
  const std::size_t length = env.item_header["length"].get<std::size_t>();
  if (body.size() < second + 1 + length) {
    ADD_FAILURE() << "payload shorter than its length " << length;
    return std::nullopt;
  }
  const std::string rest = body.substr(second + 1 + length);
  if (!rest.empty() && rest != "\n") {
    ADD_FAILURE() << "bytes after the payload: " << rest.substr(0, 100);
    return std::nullopt;
  }
  env.event = nlohmann::json::parse(body.substr(second + 1, length), nullptr, false);
  if (env.event.is_discarded()) {
    ADD_FAILURE() << "payload is not JSON";
    return std::nullopt;
  }
  return env;
}

}  // namespace herald::test

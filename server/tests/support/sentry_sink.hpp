// A local stand-in for Sentry's ingest endpoint: a small HTTP/1.1 server on
// plain sockets that records every request (POST /api/<project>/envelope/)
// and answers as a test tells it — 200, 429 with rate-limit headers, an error,
// or nothing at all (a server that accepts and never answers).
//
// parse_envelope() reads a body the way Sentry does: the envelope header
// line, the item header line, then exactly `length` bytes of payload. It is
// written independently of Herald's envelope code so the tests check the
// protocol, not the code against itself.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace herald::test {

struct SinkRequest {
  std::string method;
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Case-insensitive.
  std::optional<std::string> header(std::string_view name) const;
};

// One complete HTTP/1.1 request (Content-Length body) at the front of
// `buffer`, removed from it; nullopt while more bytes are needed.
std::optional<SinkRequest> take_request(std::string& buffer);

struct SinkReply {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body = R"({"id":"accepted"})";
};

class SentrySink {
 public:
  SentrySink();
  ~SentrySink();
  SentrySink(const SentrySink&) = delete;
  SentrySink& operator=(const SentrySink&) = delete;

  std::uint16_t port() const noexcept { return port_; }
  // http://<key>@127.0.0.1:<port><prefix>/<project>
  std::string dsn(const std::string& key = "publickey", const std::string& project = "42",
                  const std::string& prefix = "") const;

  // How later requests are answered.
  void reply_with(SinkReply reply);
  // Read requests but never answer them (nor close the connection).
  void stay_silent();

  std::vector<SinkRequest> received() const;
  // Waits until at least `n` requests arrived; false on timeout.
  bool wait_for(std::size_t n, std::chrono::milliseconds timeout) const;

 private:
  void run();

  int listen_fd_ = -1;
  int wake_[2] = {-1, -1};
  std::uint16_t port_ = 0;
  mutable std::mutex mutex_;
  mutable std::condition_variable arrived_;
  std::vector<SinkRequest> received_;
  SinkReply reply_;
  bool silent_ = false;
  std::thread thread_;
};

struct ParsedEnvelope {
  nlohmann::json header;       // event_id, dsn, sent_at
  nlohmann::json item_header;  // type, length, …
  nlohmann::json event;        // the payload
};
// Fails the current test (and returns nullopt) when the framing is wrong.
std::optional<ParsedEnvelope> parse_envelope(const std::string& body);

}  // namespace herald::test

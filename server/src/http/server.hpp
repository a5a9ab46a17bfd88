// The HTTP/1.1 server (Boost.Beast + C++20 coroutines behind a pimpl, so
// this header pulls in no Beast or Asio).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace herald::http {

class Pipeline;

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8000;  // 0 = any free port
  int threads = 1;
  // Threads for handlers that wait (routes with Runs::Pool), and how many
  // requests may wait for one before the next is answered 503.
  std::size_t handler_threads = 16;
  std::size_t handler_queue = 64;
  std::chrono::seconds idle_timeout{60};    // keep-alive connections with no request
  std::chrono::seconds shutdown_grace{30};  // in-flight requests get this long to finish
};

class Server {
 public:
  Server(ServerOptions options, Pipeline& pipeline);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts the I/O threads; returns the bound port. Throws on bind failure.
  std::uint16_t start();
  // SIGINT/SIGTERM begin a graceful stop.
  void stop_on_signals();
  // Graceful stop: no new connections, idle ones closed, in-flight requests
  // finish and are answered with Connection: close. Safe from any thread.
  void stop();
  // Blocks until every I/O thread has finished.
  void wait();

  std::size_t open_connections() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace herald::http

// The composition root: builds every component from the Config, wires the
// route table and the middleware chain, and runs the HTTP server.
// `herald serve` and the integration tests both start Herald through it.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

#include "core/config.hpp"
#include "leads/importer_settings.hpp"

namespace herald::storage {
class Database;
}
namespace herald::http {
class Router;
class Pipeline;
class Authorizer;
}  // namespace herald::http

namespace herald::app {

struct AppOptions {
  bool workers = true;     // in-process background workers (serve --no-workers turns them off)
  bool access_log = true;  // one log line per request
  // Registers further routes after the built-in table (embedding and tests).
  std::function<void(http::Router&)> extra_routes;
  // CSV imports: batch size and takeover of stalled imports, how often the
  // in-process worker looks for them, and the size of stored upload chunks.
  leads::ImporterSettings importer;
  std::chrono::milliseconds import_poll{5000};
  std::size_t import_chunk_size = 1 << 20;
};

class App {
 public:
  App(Config config, AppOptions options = {});
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  // Opens the database, applies migrations, builds the routes and listens.
  // Returns the bound port (useful with port 0).
  std::uint16_t start();
  void stop_on_signals();
  void stop();
  void wait();

  const Config& config() const noexcept;
  storage::Database& database();
  const http::Router& router() const;
  http::Pipeline& pipeline();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace herald::app

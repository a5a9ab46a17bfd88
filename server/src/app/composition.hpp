// What every Herald process is made of: the platform (configuration, clock,
// database, Redis, rate limiter) and the domain modules, built in the order
// app/modules.cpp lists them, with what they contribute. `herald serve` and
// `herald worker` (app::App) and the CLI commands all build one, so a
// command never wires services by hand.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <typeinfo>
#include <vector>

#include "core/clock.hpp"
#include "core/config.hpp"
#include "module/module.hpp"

namespace herald::storage {
class Database;
}
namespace herald::redis {
class RedisClient;
}
namespace herald::http {
class RateLimiter;
}

namespace herald::app {

struct CompositionOptions {
  // Create the first administrator on an empty database (`herald serve`).
  bool first_admin = false;
  // Database connections in the pool (every thread that may hold one at once).
  std::size_t db_connections = 8;
  // The process serves HTTP (`herald serve`): caches worth filling at start are.
  bool serves_http = false;
};

class Composition {
 public:
  // Opens the database, applies the migrations, checks every query, then
  // builds the modules (app/modules.cpp).
  Composition(Config config, CompositionOptions options);
  // Stops the background tasks, then destroys the modules in reverse order.
  ~Composition();
  Composition(const Composition&) = delete;
  Composition& operator=(const Composition&) = delete;

  const Config& config() const noexcept { return config_; }
  const CompositionOptions& options() const noexcept { return options_; }
  const Clock& clock() const noexcept { return clock_; }
  storage::Database& database() noexcept { return *db_; }
  // Set when HERALD_REDIS_URL is.
  redis::RedisClient* redis() noexcept { return redis_.get(); }
  http::RateLimiter& limiter() noexcept { return *limiter_; }
  Contributions& contributions() noexcept { return contributions_; }

  // Builds a module from its Deps and lets it contribute (app/modules.cpp).
  template <typename M, typename Deps>
  M& add(Deps deps) {
    auto module = std::make_unique<M>(std::move(deps));
    M& ref = *module;
    modules_.push_back(std::move(module));
    ref.contribute(contributions_);
    return ref;
  }

  // The module of that type; std::logic_error when it is not composed.
  template <typename M>
  M& module() {
    for (auto& m : modules_) {
      if (auto* found = dynamic_cast<M*>(m.get())) return *found;
    }
    throw std::logic_error(std::string("no module ") + typeid(M).name() + " in the composition");
  }

  // The modules' background tasks (long-running processes only).
  void start_tasks();
  void stop_tasks();

 private:
  void open_storage();
  void build_platform();

  Config config_;
  CompositionOptions options_;
  SystemClock clock_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<redis::RedisClient> redis_;
  std::unique_ptr<redis::RedisClient> limiter_redis_;
  std::unique_ptr<http::RateLimiter> limiter_;
  Contributions contributions_;
  std::vector<std::unique_ptr<Module>> modules_;
  std::vector<BackgroundTask*> started_;
};

// The composition root: every domain module, in order, each with its Deps
// (app/modules.cpp). Adding a domain adds one line here.
void add_modules(Composition& c);

}  // namespace herald::app

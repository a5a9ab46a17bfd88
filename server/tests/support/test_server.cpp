#include "support/test_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <random>
#include <stdexcept>

#include "core/log.hpp"

namespace herald::test {

// Ports come from below the kernel's ephemeral range (32768-60999 here), so a
// server a test starts later cannot find its port taken by some process's
// outgoing connection, nor by a client that, retrying a connect to a port with
// no listener yet, was given that very port as its source and connected to
// itself. Each process starts at a random point and walks on, so parallel test
// processes rarely try the same port; a port that cannot be bound is skipped.
std::uint16_t free_port() {
  constexpr int first = 20000;
  constexpr int count = 12000;
  static std::atomic<int> next{static_cast<int>(std::random_device{}() % count)};
  for (int attempt = 0; attempt < count; ++attempt) {
    const auto port = static_cast<std::uint16_t>(first + (next.fetch_add(1) % count));
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) continue;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port);
    const bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    if (bound) return port;
  }
  throw std::runtime_error("no free port between 20000 and 32000");
}

TempDir::TempDir() {
  std::random_device rd;
  path_ = std::filesystem::temp_directory_path() /
          ("herald-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

Config test_config(const std::filesystem::path& data_dir, const std::string& database_url) {
  std::string data = data_dir.string();
  std::string db = database_url;
  auto env = [&](std::string_view name) -> std::optional<std::string> {
    if (name == "HERALD_DATA_DIR") return data;
    if (name == "HERALD_LISTEN") return std::string("127.0.0.1:0");
    if (name == "HERALD_HTTP_THREADS") return std::string("2");
    if (name == "HERALD_RATE_LIMIT") return std::string("100000/min");
    if (name == "HERALD_JWT_SECRET") return std::string(kTestJwtSecret);
    if (name == "HERALD_ADMIN_EMAIL") return std::string(kAdminEmail);
    if (name == "HERALD_ADMIN_PASSWORD") return std::string(kAdminPassword);
    if (name == "HERALD_DATABASE_URL" && !db.empty()) return db;
    return std::nullopt;
  };
  return load_config(std::nullopt, env);
}

TestServer::TestServer(std::function<void(Config&)> tweak, std::string database_url,
                       std::function<void(http::Router&)> extra_routes,
                       std::function<void(jobs::HandlerRegistry&)> extra_jobs) {
  static bool logging = [] {
    log::init(log::Format::Json, log::Level::Warn);
    return true;
  }();
  (void)logging;
  Config config = test_config(dir_.path(), database_url);
  if (tweak) tweak(config);
  app_ = std::make_unique<app::App>(config, app::AppOptions{.workers = true,
                                                            .access_log = false,
                                                            .extra_routes = std::move(extra_routes),
                                                            .extra_jobs = std::move(extra_jobs)});
  port_ = app_->start();
}

TestServer::~TestServer() {
  app_->stop();
  app_->wait();
}

}  // namespace herald::test

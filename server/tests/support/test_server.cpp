#include "support/test_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <random>

#include "core/log.hpp"

namespace herald::test {

std::uint16_t free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
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

#include "cli/commands.hpp"

#include <libpq-fe.h>
#include <sodium.h>
#include <sqlite3.h>

#include <boost/version.hpp>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/app.hpp"
#include "app/composition.hpp"
#include "auth/module.hpp"
#include "core/crypto.hpp"
#include "core/errors.hpp"
#include "core/log.hpp"
#include "jobs/runtime.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"

namespace herald::cli {
namespace {

Config load(const GlobalOptions& global) { return load_config(global.config_file, process_env()); }

void init_logging(const Config& c) {
  log::Format f = c.log_format == LogFormat::Auto   ? log::detect_format()
                  : c.log_format == LogFormat::Text ? log::Format::Text
                                                    : log::Format::Json;
  log::init(f);
}

}  // namespace

int serve(const GlobalOptions& global, const ServeOptions& options) {
  Config config = load(global);
  if (options.listen) config.listen = parse_listen("--listen", *options.listen);
  init_logging(config);
  // A SIGTERM that arrives while starting must still stop gracefully, not
  // kill the process: hold the stop signals until the handler is in place.
  // Threads started meanwhile inherit the mask, so they arrive on this one.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  app::App app(config, app::AppOptions{.workers = !options.no_workers});
  // Before start: a SIGTERM right after the first answer must still stop gracefully.
  app.stop_on_signals();
  app.start();
  pthread_sigmask(SIG_UNBLOCK, &stop_signals, nullptr);
  app.wait();
  log::info("stopped");
  log::flush();
  return 0;
}

int worker(const GlobalOptions& global, const WorkerCommandOptions& options) {
  Config config = load(global);
  auto worker_opts = jobs::worker_options(config);
  if (options.queues) worker_opts.queues = jobs::parse_queue_list("--queues", *options.queues);
  if (options.concurrency) {
    if (*options.concurrency < 1 || *options.concurrency > 256)
      throw ConfigError("--concurrency", "must be between 1 and 256");
    worker_opts.concurrency = *options.concurrency;
  }
  init_logging(config);

  // Block the stop signals before any thread starts, so every thread inherits
  // the mask and sigwait below is the one place they arrive.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  app::App app(config, app::AppOptions{.http = false,
                                       .workers = true,
                                       .worker_options = std::make_shared<jobs::WorkerOptions>(worker_opts)});
  app.start();

  int signal = 0;
  sigwait(&stop_signals, &signal);
  log::info("stopping workers", {{"signal", signal}});
  app.wait();
  log::info("stopped");
  log::flush();
  return 0;
}

int migrate(const GlobalOptions& global) {
  Config config = load(global);
  init_logging(config);
  std::filesystem::create_directories(config.data_dir);
  auto db = storage::open_database(config.database_url);
  auto report = storage::migrate(*db);
  for (const auto& m : report.applied) std::printf("applied %04d_%s\n", m.version, m.name.c_str());
  std::printf("schema at version %d (%zu applied now) on %s\n", report.current_version, report.applied.size(),
              db->describe().c_str());
  return 0;
}

int version() {
  std::printf("herald %s\n", HERALD_VERSION);
#ifdef NDEBUG
  std::printf("build: release, %s %s\n", __DATE__, __TIME__);
#else
  std::printf("build: debug, %s %s\n", __DATE__, __TIME__);
#endif
  std::printf("compiler: gcc %d.%d.%d, C++20\n", __GNUC__, __GNUC_MINOR__, __GNUC_PATCHLEVEL__);
  std::printf("boost: %d.%d.%d\n", BOOST_VERSION / 100000, BOOST_VERSION / 100 % 1000, BOOST_VERSION % 100);
  std::printf("sqlite: %s\n", sqlite3_libversion());
  int pq = PQlibVersion();
  std::printf("libpq: %d.%d\n", pq / 10000, pq % 10000);
  std::printf("libsodium: %s\n", sodium_version_string());
  std::printf("nlohmann-json: %d.%d.%d\n", NLOHMANN_JSON_VERSION_MAJOR, NLOHMANN_JSON_VERSION_MINOR,
              NLOHMANN_JSON_VERSION_PATCH);
  return 0;
}

int user_create(const GlobalOptions& global, const std::string& email, const std::string& role,
                const std::string& name) {
  Config config = load(global);
  log::init(log::Format::Text, log::Level::Warn);
  crypto::init();
  std::string password;
  if (!std::getline(std::cin, password)) {
    std::fprintf(stderr, "herald user create: no password on standard input\n");
    return 2;
  }
  if (!password.empty() && password.back() == '\r') password.pop_back();

  app::Composition composition(config, {});
  auto& admin = composition.module<auth::Module>().admin();
  try {
    nlohmann::json body = {{"email", email}, {"password", password}, {"role", role}, {"name", name}};
    auto user = admin.create_user_from_shell(auth::parse_user_create(body));
    std::printf("created user %lld: %s (%s)\n", static_cast<long long>(user.id), user.email.c_str(), user.role.c_str());
    return 0;
  } catch (const ValidationError& e) {
    for (const auto& f : e.errors())
      std::fprintf(stderr, "herald user create: %s %s\n", f.field.c_str(), f.message.c_str());
    return 2;
  } catch (const Conflict& e) {
    std::fprintf(stderr, "herald user create: %s\n", e.what());
    return 1;
  }
}

}  // namespace herald::cli

// `herald serve` for bench/metrics.sh: the same composition and pipeline,
// configured from the environment, with the request monitor (request
// metrics, error reports) or — with BENCH_NO_MONITOR=1 — without it, so the
// two can be timed against each other with one build. Stops on SIGINT/SIGTERM.
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string_view>

#include "app/app.hpp"
#include "core/config.hpp"
#include "core/log.hpp"

int main() {
  using namespace herald;
  try {
    const char* off = std::getenv("BENCH_NO_MONITOR");
    const bool monitor = off == nullptr || std::string_view(off) != "1";
    Config config = load_config(std::nullopt, process_env());
    log::init(log::Format::Json);
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    app::App app(config, app::AppOptions{.workers = false, .request_monitor = monitor});
    app.stop_on_signals();
    app.start();
    pthread_sigmask(SIG_UNBLOCK, &stop_signals, nullptr);
    log::info("bench serve", {{"request_monitor", monitor}});
    app.wait();
    log::flush();
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "herald_bench_serve: " << e.what() << "\n";
    return 1;
  }
}

// Child processes for tests: helper programs run to completion (the python
// mail tools, openssl), and long-running ones killed and reaped when they go
// out of scope (the herald binary itself, redis-server).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace herald::test {

struct ProcessResult {
  int exit_code = -1;  // -1 when it was killed (signal or timeout)
  std::string out;
  std::string err;
};

// argv[0] is the program's path. Kills it after `timeout` (generous: the
// machine may be busy).
ProcessResult run_process(const std::vector<std::string>& argv, std::string_view input = {},
                          std::chrono::seconds timeout = std::chrono::seconds(120));

class ChildProcess {
 public:
  // Runs argv[0] (searched in PATH) with the current environment plus `env`
  // ("NAME=value"); stdout and stderr go to `log` (appended), or nowhere.
  ChildProcess(const std::vector<std::string>& argv, const std::vector<std::string>& env = {},
               const std::filesystem::path& log = {});
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const noexcept { return pid_; }
  void signal(int sig) const;
  // Waits for the process to end (at most `timeout`, then SIGKILL); returns
  // its wait status. A second call returns the same status.
  int wait(std::chrono::milliseconds timeout = std::chrono::seconds(60));
  bool exited() const noexcept { return pid_ <= 0; }

 private:
  pid_t pid_ = -1;
  int status_ = 0;
};

// A redis-server without persistence (--save '' --appendonly no) on a port of
// its own: killed and started again, it has forgotten everything.
class VolatileRedis {
 public:
  explicit VolatileRedis(std::filesystem::path dir);
  ~VolatileRedis();
  void start();  // returns once it answers PING
  void kill();   // SIGKILL
  std::uint16_t port() const noexcept { return port_; }
  std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_) + "/0"; }
  // Keys in the server (0 right after a restart).
  long long dbsize() const;

 private:
  std::filesystem::path dir_;
  std::uint16_t port_;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace herald::test

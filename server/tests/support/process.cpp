#include "support/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <stdexcept>
#include <thread>

#include "redis/client.hpp"
#include "support/test_server.hpp"

namespace herald::test {

namespace {

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv, std::string_view input, std::chrono::seconds timeout) {
  // A child that exits without reading its input must not take the test down.
  static const bool sigpipe_ignored = [] { return ::signal(SIGPIPE, SIG_IGN) != SIG_ERR; }();
  (void)sigpipe_ignored;
  std::array<int, 2> in{}, out{}, err{};
  if (::pipe2(in.data(), O_CLOEXEC) != 0 || ::pipe2(out.data(), O_CLOEXEC) != 0 || ::pipe2(err.data(), O_CLOEXEC) != 0)
    throw std::runtime_error("pipe failed");
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::dup2(in[0], 0);
    ::dup2(out[1], 1);
    ::dup2(err[1], 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  int to_child = in[1], from_out = out[0], from_err = err[0];
  ::fcntl(to_child, F_SETFL, O_NONBLOCK);
  if (input.empty()) close_fd(to_child);
  ProcessResult result;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::array<char, 65536> buf{};
  while (from_out >= 0 || from_err >= 0) {
    std::vector<pollfd> fds;
    if (to_child >= 0) fds.push_back({to_child, POLLOUT, 0});
    if (from_out >= 0) fds.push_back({from_out, POLLIN, 0});
    if (from_err >= 0) fds.push_back({from_err, POLLIN, 0});
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ::kill(pid, SIGKILL);
      break;
    }
    if (::poll(fds.data(), fds.size(), static_cast<int>(left.count())) < 0 && errno != EINTR) break;
    for (const auto& p : fds) {
      if (p.revents == 0) continue;
      if (p.fd == to_child) {
        ssize_t w = ::write(to_child, input.data(), input.size());
        if (w > 0) input.remove_prefix(static_cast<std::size_t>(w));
        if (w < 0 && errno != EAGAIN) input = {};
        if (input.empty()) close_fd(to_child);
      } else {
        ssize_t r = ::read(p.fd, buf.data(), buf.size());
        if (r > 0) {
          (p.fd == from_out ? result.out : result.err).append(buf.data(), static_cast<std::size_t>(r));
        } else if (r == 0 || errno != EINTR) {
          if (p.fd == from_out)
            close_fd(from_out);
          else
            close_fd(from_err);
        }
      }
    }
  }
  close_fd(to_child);
  close_fd(from_out);
  close_fd(from_err);
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                           const std::filesystem::path& log) {
  if (argv.empty()) throw std::invalid_argument("ChildProcess needs a program");
  // Everything the child needs is prepared before fork: after it, only exec.
  std::vector<std::string> env_copy = env;
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const std::string log_path = log.string();
  if (!log.empty() && log.has_parent_path()) std::filesystem::create_directories(log.parent_path());
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    for (auto& e : env_copy) ::putenv(e.data());
    const int out = log_path.empty() ? ::open("/dev/null", O_WRONLY)
                                     : ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (out >= 0) {
      ::dup2(out, 1);
      ::dup2(out, 2);
    }
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0) {
    signal(SIGKILL);
    wait();
  }
}

void ChildProcess::signal(int sig) const {
  if (pid_ > 0) ::kill(pid_, sig);
}

int ChildProcess::wait(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return status_;
  const auto until = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      status_ = status;
      pid_ = -1;
      return status_;
    }
    if (std::chrono::steady_clock::now() >= until) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      status_ = status;
      pid_ = -1;
      return status_;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

VolatileRedis::VolatileRedis(std::filesystem::path dir) : dir_(std::move(dir)), port_(free_port()) {
  std::filesystem::create_directories(dir_);
}

VolatileRedis::~VolatileRedis() { kill(); }

void VolatileRedis::start() {
  if (process_) return;
  process_ = std::make_unique<ChildProcess>(
      std::vector<std::string>{"redis-server", "--port", std::to_string(port_), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no", "--dir", dir_.string()},
      std::vector<std::string>{}, dir_ / "redis.log");
  redis::RedisClient probe(redis::parse_redis_url(url()));
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < until) {
    try {
      if (probe.command({"PING"}).as_string() == "PONG") return;
    } catch (const std::exception&) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("redis-server did not start on port " + std::to_string(port_) +
                           " (is it installed? scripts/setup installs it)");
}

void VolatileRedis::kill() {
  if (!process_) return;
  process_->signal(SIGKILL);
  process_->wait();
  process_.reset();
}

long long VolatileRedis::dbsize() const {
  redis::RedisClient client(redis::parse_redis_url(url()));
  return client.command({"DBSIZE"}).as_int();
}

}  // namespace herald::test

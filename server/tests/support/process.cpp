#include "support/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <stdexcept>

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

}  // namespace herald::test

#include "support/mail_tools.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "support/process.hpp"

namespace herald::test {

namespace {

const std::string kPython = HERALD_SYSTEM_PYTHON;
const std::filesystem::path kSupport = HERALD_TEST_SUPPORT_DIR;

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

void make_test_certificate(const std::filesystem::path& cert, const std::filesystem::path& key) {
  auto r = run_process({"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.string(),
                        "-out", cert.string(), "-days", "2", "-subj", "/CN=localhost", "-addext",
                        "subjectAltName=DNS:localhost,IP:127.0.0.1"});
  if (r.exit_code != 0) throw std::runtime_error("openssl req failed: " + r.err);
}

TestSmtpServer::TestSmtpServer(SmtpServerOptions options) : store_(dir_.path() / "store") {
  std::filesystem::create_directories(store_);
  implicit_tls_ = options.implicit_tls;
  if (options.starttls || options.implicit_tls)
    make_test_certificate(dir_.path() / "cert.pem", dir_.path() / "key.pem");
  // The port is picked before the server binds it: try again if another process took it meanwhile.
  for (int attempt = 0; attempt < 3; ++attempt)
    if (start(options)) return;
  throw std::runtime_error("the test SMTP server did not start: " + read_file(dir_.path() / "server.log"));
}

bool TestSmtpServer::start(const SmtpServerOptions& options) {
  port_ = free_port();
  std::vector<std::string> argv = {kPython,   (kSupport / "smtp_server.py").string(),
                                   "--port",  std::to_string(port_),
                                   "--store", store_.string(),
                                   "--slow",  std::to_string(options.slow)};
  if (options.starttls || options.implicit_tls) {
    argv.insert(argv.end(),
                {"--cert", (dir_.path() / "cert.pem").string(), "--key", (dir_.path() / "key.pem").string()});
  }
  if (options.implicit_tls) argv.push_back("--implicit-tls");
  if (!options.auth.empty()) argv.insert(argv.end(), {"--auth", options.auth});
  if (!options.refuse_mechanisms.empty()) argv.insert(argv.end(), {"--auth-mechanisms", options.refuse_mechanisms});
  if (options.pipelining) argv.push_back("--pipelining");
  if (options.size > 0) argv.insert(argv.end(), {"--size", std::to_string(options.size)});
  if (options.idle_timeout > 0) argv.insert(argv.end(), {"--idle-timeout", std::to_string(options.idle_timeout)});
  if (options.idle_421) argv.push_back("--idle-421");

  std::array<int, 2> ready{};
  if (::pipe2(ready.data(), O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  std::string log = (dir_.path() / "server.log").string();
  pid_ = ::fork();
  if (pid_ == 0) {
    ::dup2(ready[1], 1);
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) ::dup2(fd, 2);
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(ready[1]);
  std::string got;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (got.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    pollfd p{ready[0], POLLIN, 0};
    if (::poll(&p, 1, 500) <= 0) continue;
    std::array<char, 256> buf{};
    ssize_t n = ::read(ready[0], buf.data(), buf.size());
    if (n <= 0) break;  // the server exited
    got.append(buf.data(), static_cast<std::size_t>(n));
  }
  ::close(ready[0]);
  if (got.starts_with("ready ")) return true;
  stop();
  return false;
}

TestSmtpServer::~TestSmtpServer() { stop(); }

void TestSmtpServer::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  for (int i = 0; i < 200; ++i) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

std::string TestSmtpServer::url(std::string_view userinfo, std::string_view query) const {
  std::string u = implicit_tls_ ? "smtps://" : "smtp://";
  if (!userinfo.empty()) u += std::string(userinfo) + "@";
  u += "127.0.0.1:" + std::to_string(port_);
  if (!query.empty()) u += "?" + std::string(query);
  return u;
}

std::vector<StoredMessage> TestSmtpServer::messages() const {
  std::vector<std::filesystem::path> metas;
  for (const auto& entry : std::filesystem::directory_iterator(store_))
    if (entry.path().extension() == ".json") metas.push_back(entry.path());
  std::sort(metas.begin(), metas.end());
  std::vector<StoredMessage> out;
  for (const auto& meta : metas) {
    auto j = nlohmann::json::parse(read_file(meta));
    StoredMessage m;
    auto eml = meta;
    m.data = read_file(eml.replace_extension(".eml"));
    m.mail_from = j.value("mail_from", "");
    m.rcpt_tos = j.value("rcpt_tos", std::vector<std::string>{});
    m.peer = j.value("peer", "");
    m.tls = j.value("tls", false);
    if (j.contains("login") && j["login"].is_string()) m.login = j["login"].get<std::string>();
    out.push_back(std::move(m));
  }
  return out;
}

bool TestSmtpServer::wait_for_messages(std::size_t n, std::chrono::seconds timeout) const {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (messages().size() >= n) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return messages().size() >= n;
}

bool dkimpy_verify(std::string_view message, const std::string& dns_name, const std::string& txt, std::string* error) {
  auto r = run_process({kPython, (kSupport / "dkim_verify.py").string(), dns_name, txt}, message);
  if (error) *error = r.err;
  return r.exit_code == 0;
}

nlohmann::json inspect_mime(std::string_view message) {
  auto r = run_process({kPython, (kSupport / "mime_inspect.py").string()}, message);
  if (r.exit_code != 0) throw std::runtime_error("mime_inspect.py failed: " + r.err);
  return nlohmann::json::parse(r.out);
}

}  // namespace herald::test

#include "support/imap_server.hpp"

#include <arpa/inet.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

#include "support/mail_tools.hpp"

namespace herald::test {
namespace {

namespace fs = std::filesystem;

std::string read_all(const fs::path& p) {
  std::ifstream in(p);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

bool accepts(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}

std::string user_name(uid_t uid) {
  if (auto* pw = ::getpwuid(uid)) return pw->pw_name;
  throw std::runtime_error("no user name for uid " + std::to_string(uid));
}

std::string group_name(gid_t gid) {
  if (auto* gr = ::getgrgid(gid)) return gr->gr_name;
  throw std::runtime_error("no group name for gid " + std::to_string(gid));
}

void chown_tree(const fs::path& root, uid_t uid, gid_t gid) {
  if (::chown(root.c_str(), uid, gid) != 0) throw std::runtime_error("chown " + root.string());
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (::chown(e.path().c_str(), uid, gid) != 0) throw std::runtime_error("chown " + e.path().string());
}

}  // namespace

TestImapServer::TestImapServer(std::string user, std::string password)
    : user_(std::move(user)), password_(std::move(password)) {
  const auto& d = dir_.path();
  // Dovecot's unprivileged processes must reach their sockets and the mailbox.
  fs::permissions(d, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec | fs::perms::others_read |
                         fs::perms::others_exec);
  mail_uid_ = ::getuid();
  mail_gid_ = ::getgid();
  if (mail_uid_ == 0) {
    auto* pw = ::getpwnam("dovecot");
    if (!pw) throw std::runtime_error("no `dovecot` user: apt-get install dovecot-imapd (scripts/setup)");
    mail_uid_ = pw->pw_uid;
    mail_gid_ = pw->pw_gid;
  }
  for (const char* sub : {"mail/new", "mail/cur", "mail/tmp", "home", "run", "state"}) fs::create_directories(d / sub);
  chown_tree(d / "mail", mail_uid_, mail_gid_);
  chown_tree(d / "home", mail_uid_, mail_gid_);
  make_test_certificate(d / "cert.pem", d / "key.pem");
  std::ofstream(d / "passwd") << fmt::format("{}:{{PLAIN}}{}:{}:{}::{}\n", user_, password_, mail_uid_, mail_gid_,
                                             (d / "home").string());
  for (int attempt = 0; attempt < 3; ++attempt)
    if (start()) return;
  throw std::runtime_error("dovecot did not start: " + read_all(d / "dovecot.log"));
}

TestImapServer::~TestImapServer() {
  if (dovecot_) {
    dovecot_->signal(SIGTERM);
    dovecot_->wait(std::chrono::seconds(30));
  }
}

bool TestImapServer::start() {
  const auto& d = dir_.path();
  port_ = free_port();
  const bool root = ::getuid() == 0;
  const auto self = user_name(::getuid()), self_group = group_name(::getgid());
  std::ofstream(d / "dovecot.conf") << fmt::format(
      R"(protocols = imap
listen = 127.0.0.1
base_dir = {dir}/run
state_dir = {dir}/state
log_path = {dir}/dovecot.log
info_log_path = {dir}/dovecot.log
ssl = required
ssl_cert = <{dir}/cert.pem
ssl_key = <{dir}/key.pem
ssl_dh = </usr/share/dovecot/dh.pem
auth_mechanisms = plain login
default_internal_user = {internal}
default_internal_group = {internal_group}
default_login_user = {login}
first_valid_uid = 1
mail_location = maildir:{dir}/mail
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {dir}/passwd
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {dir}/passwd
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
service stats {{
  unix_listener stats-reader {{
    user = {self}
  }}
  unix_listener stats-writer {{
    user = {self}
  }}
}}
)",
      fmt::arg("dir", d.string()), fmt::arg("port", port_), fmt::arg("self", self),
      fmt::arg("internal", root ? std::string("dovecot") : self),
      fmt::arg("internal_group", root ? std::string("dovecot") : self_group),
      fmt::arg("login", root ? std::string("dovenull") : self));
  dovecot_ = std::make_unique<ChildProcess>(
      std::vector<std::string>{"/usr/sbin/dovecot", "-F", "-c", (d / "dovecot.conf").string()},
      std::vector<std::string>{}, d / "dovecot.stdout");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    if (accepts(port_)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  dovecot_.reset();
  return false;
}

std::string TestImapServer::url() const {
  return fmt::format("imap://127.0.0.1:{}/INBOX?ca_file={}", port_, ca_file().string());
}

void TestImapServer::deliver(std::string_view raw) {
  const auto name = fmt::format("{}.M{}P{}.herald-test", std::time(nullptr), ++delivered_, ::getpid());
  const auto tmp = dir_.path() / "mail" / "tmp" / name;
  std::ofstream(tmp, std::ios::binary) << raw;
  if (::chown(tmp.c_str(), mail_uid_, mail_gid_) != 0) throw std::runtime_error("chown " + tmp.string());
  fs::rename(tmp, dir_.path() / "mail" / "new" / name);
}

}  // namespace herald::test

// A throwaway Dovecot IMAP server for the inbound mail tests: its own
// config, passwd-file and Maildir under a temporary directory, on a free
// port, STARTTLS with a fresh self-signed certificate. As root, Dovecot's
// login processes run as `dovenull` and the mailbox belongs to `dovecot`
// (Dovecot refuses root for both); as any other user, everything runs as
// that user.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "support/process.hpp"
#include "support/test_server.hpp"

namespace herald::test {

class TestImapServer {
 public:
  TestImapServer(std::string user = "bounces", std::string password = "mailbox-secret-1");
  ~TestImapServer();
  TestImapServer(const TestImapServer&) = delete;
  TestImapServer& operator=(const TestImapServer&) = delete;

  std::uint16_t port() const noexcept { return port_; }
  const std::string& user() const noexcept { return user_; }
  const std::string& password() const noexcept { return password_; }
  std::filesystem::path ca_file() const { return dir_.path() / "cert.pem"; }
  // imap://127.0.0.1:PORT/INBOX?ca_file=… (STARTTLS, this server's certificate trusted).
  std::string url() const;
  // Puts a message into INBOX as a delivery agent does (tmp/, then new/).
  void deliver(std::string_view raw);

 private:
  bool start();
  TempDir dir_;
  std::string user_, password_;
  uid_t mail_uid_ = 0;
  gid_t mail_gid_ = 0;
  std::uint16_t port_ = 0;
  std::unique_ptr<ChildProcess> dovecot_;
  int delivered_ = 0;
};

}  // namespace herald::test

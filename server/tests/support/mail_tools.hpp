// Real mail servers and independent checkers for the mail tests:
// python3-aiosmtpd (support/smtp_server.py) as the SMTP server, python3-dkim
// (support/dkim_verify.py) as the DKIM verifier, Python's email package
// (support/mime_inspect.py) as the MIME parser, and openssl for certificates.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/test_server.hpp"

namespace herald::test {

// A self-signed certificate for localhost and 127.0.0.1 (its own CA), made
// with the openssl command.
void make_test_certificate(const std::filesystem::path& cert, const std::filesystem::path& key);

struct SmtpServerOptions {
  bool starttls = false;          // offer STARTTLS with a fresh self-signed certificate
  bool implicit_tls = false;      // smtps: TLS from the first byte
  std::string auth;               // "user:password": AUTH required (over TLS only)
  std::string refuse_mechanisms;  // e.g. "PLAIN", to make the client use LOGIN
  bool pipelining = false;        // advertise PIPELINING
  std::uint64_t size = 0;         // SIZE limit (0: aiosmtpd's default, 32 MiB)
  double idle_timeout = 0;        // seconds before the server drops an idle client (0: 300)
  bool idle_421 = false;          // and says "421 … timeout" first, as Postfix does
  double slow = 3;                // seconds the slow… recipients wait
};

struct StoredMessage {
  std::string data;  // as received, dot-unstuffed
  std::string mail_from;
  std::vector<std::string> rcpt_tos;
  std::string peer;  // the client's address:port (one per connection)
  bool tls = false;
  std::string login;  // the authenticated user, if any
};

class TestSmtpServer {
 public:
  explicit TestSmtpServer(SmtpServerOptions options = {});
  ~TestSmtpServer();
  TestSmtpServer(const TestSmtpServer&) = delete;
  TestSmtpServer& operator=(const TestSmtpServer&) = delete;

  std::uint16_t port() const noexcept { return port_; }
  std::filesystem::path ca_file() const { return dir_.path() / "cert.pem"; }
  // smtp://127.0.0.1:PORT (smtps:// with implicit TLS) plus `query`.
  std::string url(std::string_view userinfo = {}, std::string_view query = {}) const;

  std::vector<StoredMessage> messages() const;
  // Waits (generously) until at least n messages are stored.
  bool wait_for_messages(std::size_t n, std::chrono::seconds timeout = std::chrono::seconds(60)) const;
  void stop();

 private:
  bool start(const SmtpServerOptions& options);
  TempDir dir_;
  std::filesystem::path store_;
  std::uint16_t port_ = 0;
  pid_t pid_ = -1;
  bool implicit_tls_ = false;
};

// python3-dkim's verdict on a signed message, the key's TXT record answering
// the query for `dns_name`. `error` gets its complaint.
bool dkimpy_verify(std::string_view message, const std::string& dns_name, const std::string& txt,
                   std::string* error = nullptr);

// The message as Python's email package reads it (see mime_inspect.py).
nlohmann::json inspect_mime(std::string_view message);

}  // namespace herald::test

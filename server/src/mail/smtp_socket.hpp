// A blocking TCP connection with optional TLS (OpenSSL over memory BIOs, so
// every read and write has a deadline and nothing raises SIGPIPE), read line
// by line. For one thread at a time; the SMTP client owns one.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

using SSL_CTX = struct ssl_ctx_st;
using SSL = struct ssl_st;

namespace herald::mail {

using Deadline = std::chrono::steady_clock::time_point;

// The connection failed: refused, reset, closed, timed out, or TLS failed.
class SmtpIoError : public std::runtime_error {
 public:
  enum class Kind { Network, Timeout, Closed, Tls };
  SmtpIoError(Kind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
  Kind kind() const noexcept { return kind_; }

 private:
  Kind kind_;
};

// One client TLS configuration (trust store, verification), shared by every
// connection of a pool. Thread-safe once built.
class TlsContext {
 public:
  // verify: check the certificate chain and the host name; ca_file: trust this
  // PEM bundle instead of the system's store.
  TlsContext(bool verify, const std::string& ca_file);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;
  SSL_CTX* get() const noexcept { return ctx_; }
  bool verify() const noexcept { return verify_; }

 private:
  SSL_CTX* ctx_ = nullptr;
  bool verify_;
};

class LineSocket {
 public:
  LineSocket() = default;
  ~LineSocket();
  LineSocket(const LineSocket&) = delete;
  LineSocket& operator=(const LineSocket&) = delete;

  // Tries each address of `host` until one connects before the deadline.
  void connect(const std::string& host, std::uint16_t port, Deadline deadline);
  // TLS handshake as a client; `host` is checked against the certificate when
  // the context verifies (as a DNS name or an IP address) and sent as SNI.
  void start_tls(const TlsContext& tls, const std::string& host, Deadline deadline);

  void write(std::string_view data, Deadline deadline);
  // One line without its CRLF (a bare LF ends a line too); at most 8 KiB.
  std::string read_line(Deadline deadline);
  // Bytes received but not yet read as lines (a server must send none after
  // its reply to STARTTLS).
  bool has_buffered() const noexcept { return read_pos_ < buffer_.size(); }
  void discard_buffered() noexcept;

  void close() noexcept;
  bool is_open() const noexcept { return fd_ >= 0; }
  bool tls() const noexcept { return ssl_ != nullptr; }
  std::string peer() const { return peer_; }

 private:
  std::size_t recv_raw(char* buf, std::size_t n, Deadline deadline);
  void send_raw(std::string_view data, Deadline deadline);
  void flush_tls(Deadline deadline);
  void fill(Deadline deadline);
  [[noreturn]] void fail(SmtpIoError::Kind kind, const std::string& what);

  int fd_ = -1;
  SSL* ssl_ = nullptr;
  std::string buffer_;
  std::size_t read_pos_ = 0;
  std::string peer_;
};

}  // namespace herald::mail

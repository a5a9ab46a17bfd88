#include "mail/smtp_socket.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace herald::mail {

namespace {

constexpr std::size_t kMaxLine = 8192;

int remaining_ms(Deadline deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  if (left.count() <= 0) return 0;
  return static_cast<int>(std::min<long long>(left.count(), 1'000'000));
}

std::string tls_error_text() {
  unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "TLS error";
  std::array<char, 256> buf{};
  ERR_error_string_n(e, buf.data(), buf.size());
  return buf.data();
}

bool is_ip_address(const std::string& host) {
  in6_addr a6{};
  in_addr a4{};
  return inet_pton(AF_INET, host.c_str(), &a4) == 1 || inet_pton(AF_INET6, host.c_str(), &a6) == 1;
}

// Waits until fd is ready for `events`; false on timeout.
bool wait_for(int fd, short events, Deadline deadline) {
  while (true) {
    pollfd p{fd, events, 0};
    int ms = remaining_ms(deadline);
    int r = ::poll(&p, 1, ms);
    if (r > 0) return true;
    if (r == 0) return false;
    if (errno != EINTR) return false;
  }
}

}  // namespace

// ---- TlsContext -------------------------------------------------------------

TlsContext::TlsContext(bool verify, const std::string& ca_file) : verify_(verify) {
  ctx_ = SSL_CTX_new(TLS_client_method());
  if (!ctx_) throw SmtpIoError(SmtpIoError::Kind::Tls, "cannot create a TLS context: " + tls_error_text());
  SSL_CTX_set_min_proto_version(ctx_, TLS1_2_VERSION);
  if (verify) {
    int ok = ca_file.empty() ? SSL_CTX_set_default_verify_paths(ctx_)
                             : SSL_CTX_load_verify_locations(ctx_, ca_file.c_str(), nullptr);
    if (ok != 1) {
      std::string why = tls_error_text();
      SSL_CTX_free(ctx_);
      throw SmtpIoError(SmtpIoError::Kind::Tls, ca_file.empty()
                                                    ? "cannot load the system's CA certificates: " + why
                                                    : fmt::format("cannot load ca_file {}: {}", ca_file, why));
    }
    SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
  } else {
    SSL_CTX_set_verify(ctx_, SSL_VERIFY_NONE, nullptr);
  }
}

TlsContext::~TlsContext() { SSL_CTX_free(ctx_); }

// ---- LineSocket -------------------------------------------------------------

LineSocket::~LineSocket() { close(); }

void LineSocket::close() noexcept {
  if (ssl_) {
    SSL_free(ssl_);  // also frees its BIOs
    ssl_ = nullptr;
  }
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  buffer_.clear();
  read_pos_ = 0;
}

void LineSocket::fail(SmtpIoError::Kind kind, const std::string& what) {
  close();
  throw SmtpIoError(kind, what);
}

void LineSocket::connect(const std::string& host, std::uint16_t port, Deadline deadline) {
  close();
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  std::string service = std::to_string(port);
  if (int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found); rc != 0)
    throw SmtpIoError(SmtpIoError::Kind::Network, fmt::format("cannot resolve {}: {}", host, gai_strerror(rc)));
  std::string last_error = "no address";
  for (addrinfo* ai = found; ai; ai = ai->ai_next) {
    int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) {
      last_error = std::strerror(errno);
      continue;
    }
    int rc = ::connect(fd, ai->ai_addr, ai->ai_addrlen);
    if (rc != 0 && errno == EINPROGRESS) {
      if (!wait_for(fd, POLLOUT, deadline)) {
        ::close(fd);
        ::freeaddrinfo(found);
        throw SmtpIoError(SmtpIoError::Kind::Timeout, fmt::format("connecting to {}:{} timed out", host, port));
      }
      int err = 0;
      socklen_t len = sizeof err;
      ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
      rc = err == 0 ? 0 : -1;
      errno = err;
    }
    if (rc != 0) {
      last_error = std::strerror(errno);
      ::close(fd);
      continue;
    }
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    fd_ = fd;
    peer_ = fmt::format("{}:{}", host, port);
    ::freeaddrinfo(found);
    return;
  }
  ::freeaddrinfo(found);
  throw SmtpIoError(SmtpIoError::Kind::Network, fmt::format("cannot connect to {}:{}: {}", host, port, last_error));
}

std::size_t LineSocket::recv_raw(char* buf, std::size_t n, Deadline deadline) {
  while (true) {
    ssize_t r = ::recv(fd_, buf, n, 0);
    if (r > 0) return static_cast<std::size_t>(r);
    if (r == 0) fail(SmtpIoError::Kind::Closed, "the server closed the connection");
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK)
      fail(SmtpIoError::Kind::Network, fmt::format("reading from {}: {}", peer_, std::strerror(errno)));
    if (!wait_for(fd_, POLLIN, deadline)) fail(SmtpIoError::Kind::Timeout, "the server did not answer in time");
  }
}

void LineSocket::send_raw(std::string_view data, Deadline deadline) {
  while (!data.empty()) {
    ssize_t w = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
    if (w > 0) {
      data.remove_prefix(static_cast<std::size_t>(w));
      continue;
    }
    if (w < 0 && errno == EINTR) continue;
    if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
      fail(errno == EPIPE || errno == ECONNRESET ? SmtpIoError::Kind::Closed : SmtpIoError::Kind::Network,
           fmt::format("writing to {}: {}", peer_, std::strerror(errno)));
    if (!wait_for(fd_, POLLOUT, deadline)) fail(SmtpIoError::Kind::Timeout, "the server did not take data in time");
  }
}

// Sends whatever TLS wrote into its outgoing memory BIO.
void LineSocket::flush_tls(Deadline deadline) {
  BIO* out = SSL_get_wbio(ssl_);
  std::array<char, 16384> chunk{};
  while (BIO_ctrl_pending(out) > 0) {
    int n = BIO_read(out, chunk.data(), static_cast<int>(chunk.size()));
    if (n <= 0) break;
    send_raw(std::string_view(chunk.data(), static_cast<std::size_t>(n)), deadline);
  }
}

void LineSocket::start_tls(const TlsContext& tls, const std::string& host, Deadline deadline) {
  if (!is_open()) throw SmtpIoError(SmtpIoError::Kind::Closed, "not connected");
  ssl_ = SSL_new(tls.get());
  if (!ssl_) fail(SmtpIoError::Kind::Tls, "cannot start TLS: " + tls_error_text());
  BIO* in = BIO_new(BIO_s_mem());
  BIO* out = BIO_new(BIO_s_mem());
  SSL_set_bio(ssl_, in, out);
  SSL_set_connect_state(ssl_);
  bool ip = is_ip_address(host);
  if (!ip) SSL_set_tlsext_host_name(ssl_, host.c_str());
  if (tls.verify()) {
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl_);
    if (ip)
      X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str());
    else
      SSL_set1_host(ssl_, host.c_str());
  }
  std::array<char, 16384> chunk{};
  while (true) {
    int r = SSL_do_handshake(ssl_);
    flush_tls(deadline);
    if (r == 1) return;
    int err = SSL_get_error(ssl_, r);
    if (err == SSL_ERROR_WANT_READ) {
      std::size_t n = recv_raw(chunk.data(), chunk.size(), deadline);
      BIO_write(SSL_get_rbio(ssl_), chunk.data(), static_cast<int>(n));
      continue;
    }
    long verify = SSL_get_verify_result(ssl_);
    std::string why =
        verify != X509_V_OK ? std::string("certificate: ") + X509_verify_cert_error_string(verify) : tls_error_text();
    fail(SmtpIoError::Kind::Tls, fmt::format("TLS handshake with {} failed: {}", peer_, why));
  }
}

void LineSocket::write(std::string_view data, Deadline deadline) {
  if (!is_open()) throw SmtpIoError(SmtpIoError::Kind::Closed, "not connected");
  if (!ssl_) {
    send_raw(data, deadline);
    return;
  }
  while (!data.empty()) {
    int n = SSL_write(ssl_, data.data(), static_cast<int>(std::min<std::size_t>(data.size(), 1 << 20)));
    if (n <= 0) fail(SmtpIoError::Kind::Tls, "TLS write failed: " + tls_error_text());
    data.remove_prefix(static_cast<std::size_t>(n));
    flush_tls(deadline);
  }
}

void LineSocket::fill(Deadline deadline) {
  if (read_pos_ > 0 && read_pos_ == buffer_.size()) {
    buffer_.clear();
    read_pos_ = 0;
  }
  // Not zeroed: only the bytes read are used (zeroing 16 KB cost a memset per
  // reply, two or three per message).
  std::array<char, 16384> chunk;  // NOLINT(cppcoreguidelines-pro-type-member-init)
  if (!ssl_) {
    std::size_t n = recv_raw(chunk.data(), chunk.size(), deadline);
    buffer_.append(chunk.data(), n);
    return;
  }
  while (true) {
    int n = SSL_read(ssl_, chunk.data(), static_cast<int>(chunk.size()));
    if (n > 0) {
      buffer_.append(chunk.data(), static_cast<std::size_t>(n));
      return;
    }
    int err = SSL_get_error(ssl_, n);
    if (err == SSL_ERROR_WANT_READ) {
      flush_tls(deadline);
      std::size_t got = recv_raw(chunk.data(), chunk.size(), deadline);
      BIO_write(SSL_get_rbio(ssl_), chunk.data(), static_cast<int>(got));
      continue;
    }
    if (err == SSL_ERROR_ZERO_RETURN) fail(SmtpIoError::Kind::Closed, "the server closed the TLS session");
    fail(SmtpIoError::Kind::Tls, "TLS read failed: " + tls_error_text());
  }
}

std::string LineSocket::read_line(Deadline deadline) {
  if (!is_open()) throw SmtpIoError(SmtpIoError::Kind::Closed, "not connected");
  while (true) {
    auto lf = buffer_.find('\n', read_pos_);
    if (lf != std::string::npos) {
      std::size_t end = lf;
      if (end > read_pos_ && buffer_[end - 1] == '\r') --end;
      std::string line = buffer_.substr(read_pos_, end - read_pos_);
      read_pos_ = lf + 1;
      return line;
    }
    if (buffer_.size() - read_pos_ > kMaxLine) fail(SmtpIoError::Kind::Network, "the server sent an over-long line");
    fill(deadline);
  }
}

void LineSocket::discard_buffered() noexcept {
  buffer_.clear();
  read_pos_ = 0;
}

}  // namespace herald::mail

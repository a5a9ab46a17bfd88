#include "support/http_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

#include "core/strings.hpp"

namespace herald::test {

std::optional<std::string> HttpResponse::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (iequals_ascii(k, name)) return v;
  }
  return std::nullopt;
}

HttpClient::HttpClient(std::uint16_t port, std::string host) : port_(port), host_(std::move(host)) {}
HttpClient::~HttpClient() { disconnect(); }

void HttpClient::disconnect() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  buffer_.clear();
}

void HttpClient::ensure_connected() {
  if (fd_ >= 0) return;
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port_);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    disconnect();
    throw std::runtime_error("connect failed: " + std::string(std::strerror(errno)));
  }
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  timeval tv{10, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

void HttpClient::send_raw(const std::string& bytes) {
  ensure_connected();
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    auto n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) throw std::runtime_error("send failed: " + std::string(std::strerror(errno)));
    sent += static_cast<std::size_t>(n);
  }
}

HttpResponse HttpClient::read_response(bool head) {
  auto fill = [&]() -> bool {
    char chunk[65536];
    auto n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  };
  std::size_t header_end;
  while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!fill()) throw std::runtime_error("connection closed before a response arrived");
  }
  HttpResponse resp;
  std::string_view head_text(buffer_.data(), header_end);
  auto lines = split(head_text, '\n');
  auto status_line = trim(lines.at(0));
  resp.status = std::stoi(std::string(status_line.substr(9, 3)));
  std::optional<std::size_t> length;
  bool chunked = false;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    auto line = trim(lines[i]);
    auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string name(trim(line.substr(0, colon)));
    std::string value(trim(line.substr(colon + 1)));
    if (iequals_ascii(name, "Content-Length")) length = std::stoul(value);
    if (iequals_ascii(name, "Transfer-Encoding") && iequals_ascii(value, "chunked")) chunked = true;
    if (iequals_ascii(name, "Connection") && iequals_ascii(value, "close")) resp.closed = true;
    resp.headers.emplace_back(std::move(name), std::move(value));
  }
  buffer_.erase(0, header_end + 4);
  if (chunked && !head) {
    resp.body = read_chunked(fill);
    if (resp.closed) disconnect();
    return resp;
  }
  std::size_t want = head ? 0 : length.value_or(0);
  if (!length && !head && resp.status != 204 && resp.status != 304) {
    while (fill()) {
    }
    want = buffer_.size();
    resp.closed = true;
  }
  while (buffer_.size() < want) {
    if (!fill()) throw std::runtime_error("connection closed mid-body");
  }
  resp.body = buffer_.substr(0, want);
  buffer_.erase(0, want);
  if (resp.closed) disconnect();
  return resp;
}

std::string HttpClient::read_chunked(const std::function<bool()>& fill) {
  std::string body;
  for (;;) {
    std::size_t eol;
    while ((eol = buffer_.find("\r\n")) == std::string::npos) {
      if (!fill()) throw std::runtime_error("connection closed mid-chunk");
    }
    std::size_t size = std::stoul(buffer_.substr(0, eol), nullptr, 16);
    buffer_.erase(0, eol + 2);
    while (buffer_.size() < size + 2) {
      if (!fill()) throw std::runtime_error("connection closed mid-chunk");
    }
    if (size == 0) {
      buffer_.erase(0, 2);  // no trailers are sent
      return body;
    }
    body.append(buffer_, 0, size);
    buffer_.erase(0, size + 2);
    ++chunks_;
  }
}

HttpResponse HttpClient::raw(const std::string& bytes) {
  send_raw(bytes);
  return read_response();
}

HttpResponse HttpClient::request(const std::string& method, const std::string& target, const std::string& body,
                                 const HeaderList& headers) {
  std::string req = method + " " + target + " HTTP/1.1\r\n";
  HeaderList all = defaults_;
  all.insert(all.end(), headers.begin(), headers.end());
  bool has_host = false;
  for (const auto& [k, v] : all) has_host = has_host || iequals_ascii(k, "Host");
  if (!has_host) req += "Host: " + host_ + "\r\n";
  for (const auto& [k, v] : all) req += k + ": " + v + "\r\n";
  if (!body.empty() || method == "POST" || method == "PATCH" || method == "PUT")
    req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  req += "\r\n" + body;
  send_raw(req);
  return read_response(method == "HEAD");
}

HttpResponse HttpClient::post_json(const std::string& target, const nlohmann::json& body, const HeaderList& headers) {
  HeaderList h = headers;
  h.emplace_back("Content-Type", "application/json");
  return request("POST", target, body.dump(), h);
}

bool HttpClient::server_closed(int timeout_ms) {
  if (fd_ < 0) return true;
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, timeout_ms) <= 0) return false;
  char c;
  auto n = ::recv(fd_, &c, 1, MSG_PEEK);
  return n == 0 || (n < 0 && errno == ECONNRESET);
}

}  // namespace herald::test

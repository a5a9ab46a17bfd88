// A small blocking HTTP/1.1 client for black-box tests: real sockets, raw
// bytes when a test needs to send something no well-behaved client would.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace herald::test {

struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool closed = false;  // the server closed the connection after this response

  std::optional<std::string> header(std::string_view name) const;
  nlohmann::json json() const { return nlohmann::json::parse(body); }
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

class HttpClient {
 public:
  explicit HttpClient(std::uint16_t port, std::string host_header = "127.0.0.1");
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  HttpResponse request(const std::string& method, const std::string& target, const std::string& body = {},
                       const HeaderList& headers = {});
  HttpResponse get(const std::string& target, const HeaderList& headers = {}) {
    return request("GET", target, {}, headers);
  }
  HttpResponse post_json(const std::string& target, const nlohmann::json& body, const HeaderList& headers = {});

  // Sends raw bytes (possibly in several writes) and reads one response.
  HttpResponse raw(const std::string& bytes);
  void send_raw(const std::string& bytes);
  HttpResponse read_response(bool head = false);
  // True when the server has closed the connection (read returns EOF).
  bool server_closed(int timeout_ms = 2000);
  // Headers sent with every request(), e.g. Authorization.
  void set_default_headers(HeaderList headers) { defaults_ = std::move(headers); }
  // Chunks of chunked (Transfer-Encoding) bodies read so far.
  std::size_t chunks_received() const noexcept { return chunks_; }

 private:
  void ensure_connected();
  void disconnect();
  std::string read_chunked(const std::function<bool()>& fill);

  std::uint16_t port_;
  std::string host_;
  int fd_ = -1;
  std::string buffer_;
  HeaderList defaults_;
  std::size_t chunks_ = 0;
};

}  // namespace herald::test

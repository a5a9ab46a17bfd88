#include "http/transport/wire.hpp"

#include <chrono>
#include <ctime>

#include <boost/beast/http/status.hpp>

namespace herald::http {
namespace {

// RFC 9110 IMF-fixdate, recomputed at most once per second per thread.
std::string_view http_date() {
  thread_local std::time_t cached_second = 0;
  thread_local char buf[40];
  thread_local std::size_t len = 0;
  std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    cached_second = now;
    std::tm tm{};
    gmtime_r(&now, &tm);
    len = std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  }
  return {buf, len};
}

}  // namespace

std::string serialize_response(const Response& resp, bool head_only, bool keep_alive, bool chunked) {
  std::string out = serialize_head(resp, head_only, keep_alive, chunked);
  bool bodyless = resp.status == 204 || resp.status == 304 || (resp.status >= 100 && resp.status < 200);
  if (!head_only && !bodyless && !resp.stream) out.append(resp.body);
  return out;
}

std::string serialize_head(const Response& resp, bool head_only, bool keep_alive, bool chunked) {
  (void)head_only;
  auto reason = boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(resp.status));
  std::string out;
  out.reserve(256 + resp.headers.entries().size() * 48);
  out.append("HTTP/1.1 ");
  out.append(std::to_string(resp.status));
  out.push_back(' ');
  out.append(reason.data(), reason.size());
  out.append("\r\nServer: herald\r\nDate: ");
  out.append(http_date());
  out.append("\r\n");
  for (const auto& [name, value] : resp.headers.entries()) {
    out.append(name);
    out.append(": ");
    out.append(value);
    out.append("\r\n");
  }
  if (!resp.content_type.empty()) {
    out.append("Content-Type: ");
    out.append(resp.content_type);
    out.append("\r\n");
  }
  bool bodyless = resp.status == 204 || resp.status == 304 || (resp.status >= 100 && resp.status < 200);
  if (resp.stream && !bodyless) {
    if (chunked) out.append("Transfer-Encoding: chunked\r\n");
  } else if (!bodyless) {
    out.append("Content-Length: ");
    out.append(std::to_string(resp.body.size()));
    out.append("\r\n");
  }
  if (!keep_alive) out.append("Connection: close\r\n");
  out.append("\r\n");
  return out;
}

}  // namespace herald::http

#include "http/framing.hpp"

#include <string>
#include <vector>

#include "core/strings.hpp"

namespace herald::http {
namespace {

Error bad_framing(std::string detail) { return Error(400, "Bad Request", std::move(detail), "bad-framing"); }

Error request_line_too_long() {
  return Error(414, "URI Too Long", "the request line is longer than " + std::to_string(kMaxRequestLine) + " bytes",
               "uri-too-long");
}

Error header_too_large(std::string detail) {
  return Error(431, "Request Header Fields Too Large", std::move(detail), "header-too-large");
}

// Every coding named by the Transfer-Encoding fields, in order, lower-cased;
// empty list elements (", ,") are skipped as RFC 9110 §5.6.1 allows.
std::vector<std::string> transfer_codings(const Headers& headers) {
  std::vector<std::string> out;
  for (const auto& [name, value] : headers.entries()) {
    if (!iequals_ascii(name, "Transfer-Encoding")) continue;
    for (auto element : split(value, ',')) {
      auto coding = trim(element);
      if (!coding.empty()) out.push_back(to_lower_ascii(coding));
    }
  }
  return out;
}

bool has_transfer_encoding(const Headers& headers) {
  for (const auto& [name, _] : headers.entries()) {
    if (iequals_ascii(name, "Transfer-Encoding")) return true;
  }
  return false;
}

}  // namespace

std::optional<Error> framing_problem(const Request& req) {
  if (request_line_length(req.method_text, req.target) > kMaxRequestLine) return request_line_too_long();
  if (req.headers.entries().size() > kMaxHeaderFields)
    return header_too_large("the request has more than " + std::to_string(kMaxHeaderFields) + " header fields");

  if (!has_transfer_encoding(req.headers)) return std::nullopt;
  if (req.version < 11) return bad_framing("Transfer-Encoding is not defined for HTTP/1.0");
  auto codings = transfer_codings(req.headers);
  if (codings.empty()) return bad_framing("Transfer-Encoding names no coding");
  if (codings.back() != "chunked")
    return bad_framing("the final transfer coding is '" + codings.back() +
                       "', not chunked, so the length of the body cannot be known");
  for (std::size_t i = 0; i + 1 < codings.size(); ++i) {
    if (codings[i] == "chunked") return bad_framing("the chunked transfer coding is applied more than once");
  }
  if (req.headers.contains("Content-Length"))
    return bad_framing("the request has both Content-Length and Transfer-Encoding");
  if (codings.size() > 1)  // every coding before the final chunked is another one
    return Error(501, "Not Implemented",
                 "the transfer coding '" + codings.front() + "' is not supported; send the body with chunked alone",
                 "unsupported-transfer-coding");
  return std::nullopt;
}

Error oversized_head(std::optional<std::size_t> request_line) {
  if (!request_line || *request_line > kMaxRequestLine) return request_line_too_long();
  return header_too_large("the request head is larger than " + std::to_string(kMaxHeaderBytes) + " bytes");
}

}  // namespace herald::http

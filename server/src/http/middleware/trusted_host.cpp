#include "http/middleware/trusted_host.hpp"

#include "core/strings.hpp"

namespace herald::http {

std::string host_without_port(std::string_view h) {
  h = trim(h);
  if (!h.empty() && h.front() == '[') {
    auto close = h.find(']');
    return to_lower_ascii(close == std::string_view::npos ? h : h.substr(0, close + 1));
  }
  auto colon = h.find(':');
  return to_lower_ascii(h.substr(0, colon));
}

TrustedHosts::TrustedHosts(const std::vector<std::string>& hosts) {
  for (const auto& h : hosts) {
    if (h == "*") allow_all_ = true;
    hosts_.push_back(host_without_port(h));
  }
}

bool TrustedHosts::allowed(std::string_view host_header) const noexcept {
  if (allow_all_) return true;
  if (host_header.empty()) return false;
  // Allocation-free fast path for the common exact match (no port, already lower-case).
  for (const auto& h : hosts_) {
    if (host_header.size() >= h.size() && iequals_ascii(host_header.substr(0, h.size()), h) &&
        (host_header.size() == h.size() || host_header[h.size()] == ':'))
      return true;
  }
  return false;
}

}  // namespace herald::http

// Host header allow-list (HERALD_TRUSTED_HOSTS); "*" allows every host.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace herald::http {

class TrustedHosts {
 public:
  explicit TrustedHosts(const std::vector<std::string>& hosts);
  // `host_header` as sent, possibly with a port ("localhost:8000", "[::1]:8000").
  bool allowed(std::string_view host_header) const noexcept;

 private:
  bool allow_all_ = false;
  std::vector<std::string> hosts_;  // lower-case, without ports
};

// "Example.COM:8080" -> "example.com"; "[::1]:80" -> "[::1]".
std::string host_without_port(std::string_view host_header);

}  // namespace herald::http

#include "http/middleware/client_ip.hpp"

#include <charconv>

#include "core/errors.hpp"
#include "core/strings.hpp"

namespace herald::http {

std::optional<std::uint32_t> parse_ipv4(std::string_view s) noexcept {
  std::uint32_t out = 0;
  int parts = 0;
  for (auto part : split(s, '.')) {
    unsigned v = 0;
    auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
    if (ec != std::errc() || p != part.data() + part.size() || part.empty() || v > 255) return std::nullopt;
    out = (out << 8) | v;
    ++parts;
  }
  if (parts != 4) return std::nullopt;
  return out;
}

TrustedProxies::TrustedProxies(const std::vector<std::string>& entries) {
  for (const auto& e : entries) {
    auto slash = e.find('/');
    if (slash == std::string::npos) {
      exact_.push_back(e);
      continue;
    }
    auto net = parse_ipv4(std::string_view(e).substr(0, slash));
    int bits = -1;
    auto tail = std::string_view(e).substr(slash + 1);
    std::from_chars(tail.data(), tail.data() + tail.size(), bits);
    if (!net || bits < 0 || bits > 32)
      throw ConfigError("HERALD_TRUSTED_PROXIES", "'" + e + "' is not an address or IPv4 CIDR block");
    std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
    v4_blocks_.push_back({*net & mask, mask});
  }
}

bool TrustedProxies::contains(std::string_view ip) const noexcept {
  for (const auto& e : exact_) {
    if (e == ip) return true;
  }
  if (v4_blocks_.empty()) return false;
  auto v4 = parse_ipv4(ip);
  if (!v4) return false;
  for (const auto& b : v4_blocks_) {
    if ((*v4 & b.mask) == b.network) return true;
  }
  return false;
}

std::string TrustedProxies::client_ip(std::string_view peer, std::optional<std::string_view> xff) const {
  if (!xff || !contains(peer)) return std::string(peer);
  auto hops = split(*xff, ',');
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    auto hop = trim(*it);
    if (hop.empty()) break;
    if (!contains(hop)) return std::string(hop);
  }
  return std::string(peer);
}

}  // namespace herald::http

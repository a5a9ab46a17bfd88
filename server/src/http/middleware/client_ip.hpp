// The client's address: the peer, or X-Forwarded-For when the peer is a
// trusted proxy (HERALD_TRUSTED_PROXIES: addresses or IPv4 CIDR blocks).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace herald::http {

class TrustedProxies {
 public:
  explicit TrustedProxies(const std::vector<std::string>& entries);
  bool contains(std::string_view ip) const noexcept;
  bool empty() const noexcept { return exact_.empty() && v4_blocks_.empty(); }

  // Walks X-Forwarded-For from the right, skipping trusted proxies.
  std::string client_ip(std::string_view peer, std::optional<std::string_view> forwarded_for) const;

 private:
  struct Block {
    std::uint32_t network;
    std::uint32_t mask;
  };
  std::vector<std::string> exact_;
  std::vector<Block> v4_blocks_;
};

std::optional<std::uint32_t> parse_ipv4(std::string_view s) noexcept;

}  // namespace herald::http

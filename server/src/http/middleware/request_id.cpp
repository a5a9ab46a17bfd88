#include "http/middleware/request_id.hpp"

#include <cstdint>
#include <random>

namespace herald::http {

bool is_sane_request_id(std::string_view id) noexcept {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

namespace {
// splitmix64: fast and well distributed; ids need uniqueness, not secrecy.
std::uint64_t next_random() noexcept {
  thread_local std::uint64_t state = [] {
    std::random_device rd;
    return (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
  }();
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}
}  // namespace

std::string generate_request_id() {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(32, '0');
  for (int half = 0; half < 2; ++half) {
    std::uint64_t v = next_random();
    for (int i = 0; i < 16; ++i) {
      out[half * 16 + i] = kDigits[v & 0xf];
      v >>= 4;
    }
  }
  return out;
}

std::string resolve_request_id(std::string_view client_value) {
  if (is_sane_request_id(client_value)) return std::string(client_value);
  return generate_request_id();
}

}  // namespace herald::http

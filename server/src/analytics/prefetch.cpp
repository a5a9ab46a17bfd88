#include "analytics/prefetch.hpp"

#include <algorithm>
#include <cctype>

namespace herald::analytics {
namespace {

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != std::tolower(static_cast<unsigned char>(prefix[i])))
      return false;
  return true;
}

// 17.0.0.0/8 as dotted quad text (an IPv4-mapped IPv6 address too).
bool apple_v4(std::string_view ip) {
  if (starts_with_ci(ip, "::ffff:")) ip.remove_prefix(7);
  if (!ip.starts_with("17.")) return false;
  return std::count(ip.begin(), ip.end(), '.') == 3;
}

}  // namespace

bool is_prefetch(std::string_view ua, std::string_view ip) {
  if (ua.find("GoogleImageProxy") != std::string_view::npos) return true;
  if (ua.find("YahooMailProxy") != std::string_view::npos) return true;
  if (ua == "Mozilla/5.0") return true;
  if (apple_v4(ip)) return true;
  if (starts_with_ci(ip, "2620:149:") || starts_with_ci(ip, "2a01:b740:")) return true;
  return false;
}

}  // namespace herald::analytics

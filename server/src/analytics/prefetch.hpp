// Opens that a mail provider's proxy made rather than a person, so "human
// opens" can be shown beside raw opens. Pure.
//
// - Apple Mail Privacy Protection (iOS 15 / macOS 12 and later) fetches
//   every image of a message when it arrives, through Apple's proxies: from
//   Apple's own network (17.0.0.0/8; IPv6 2620:149::/32 and 2a01:b740::/32)
//   and with a bare "Mozilla/5.0" user agent.
// - Gmail fetches images through Google's image proxy (…googleusercontent /
//   ggpht.com), whose user agent contains "GoogleImageProxy"; Yahoo's proxy
//   says "YahooMailProxy". These load when a person opens the message, but
//   from the proxy's address and maybe from its cache, so a repeated open may
//   not reach Herald at all and the first may be a preload: flagged too.
// Clicks are never flagged: a proxy does not follow links.
#pragma once

#include <string_view>

namespace herald::analytics {

bool is_prefetch(std::string_view user_agent, std::string_view ip);

}  // namespace herald::analytics

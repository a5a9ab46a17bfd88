#include "mail/tracking.hpp"

#include <sodium.h>

#include <array>
#include <stdexcept>
#include <unordered_map>

#include "core/crypto.hpp"
#include "core/strings.hpp"
#include "mail/html_scan.hpp"
#include "mail/html_text.hpp"

namespace herald::mail {

namespace {

constexpr std::uint8_t kVersion = 1;
constexpr std::size_t kMacBytes = 16;  // HMAC-SHA256 truncated to 128 bits

void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7F) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

// Reads a minimal (canonical) varint; nullopt on anything else.
std::optional<std::uint64_t> get_varint(std::string_view& in) {
  std::uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (in.empty()) return std::nullopt;
    auto b = static_cast<std::uint8_t>(in.front());
    in.remove_prefix(1);
    v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
    if ((b & 0x80) == 0) {
      if (b == 0 && shift > 0) return std::nullopt;  // a redundant trailing zero group
      return v;
    }
  }
  return std::nullopt;
}

bool is_http_url(std::string_view url) {
  return iequals_ascii(url.substr(0, 7), "http://") || iequals_ascii(url.substr(0, 8), "https://");
}

}  // namespace

// ---- tokens -----------------------------------------------------------------

struct TokenSigner::Keyed {
  crypto_auth_hmacsha256_state state;
};

TokenSigner::TokenSigner(std::string_view secret) {
  if (secret.size() < 32) throw std::invalid_argument("the tracking secret must be at least 32 bytes");
  std::string key = crypto::hmac_sha256(secret, "herald tracking token v1");
  auto keyed = std::make_shared<Keyed>();
  crypto_auth_hmacsha256_init(&keyed->state, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  sodium_memzero(key.data(), key.size());
  keyed_ = std::move(keyed);
}

void TokenSigner::mac_into(std::string_view payload, unsigned char* out) const {
  crypto_auth_hmacsha256_state state = keyed_->state;  // the key's state, copied: no re-keying per token
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(payload.data()), payload.size());
  crypto_auth_hmacsha256_final(&state, out);
}

std::string TokenSigner::mac(std::string_view payload) const {
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> full{};
  mac_into(payload, full.data());
  return std::string(reinterpret_cast<const char*>(full.data()), kMacBytes);
}

std::string TokenSigner::sign(const TrackingToken& token) const {
  if (token.campaign_id < 0 || token.lead_id < 0) throw std::invalid_argument("tracking ids are not negative");
  std::string payload;
  payload += static_cast<char>(kVersion);
  payload += static_cast<char>(token.kind);
  put_varint(payload, static_cast<std::uint64_t>(token.campaign_id));
  put_varint(payload, static_cast<std::uint64_t>(token.lead_id));
  if (token.kind == TokenKind::Click) put_varint(payload, token.link);
  payload += mac(payload);
  return crypto::base64url_encode(payload);
}

std::optional<TrackingToken> TokenSigner::verify(std::string_view token, TokenKind expected) const {
  // On the open pixel's and the click's path: no heap allocation — the
  // token is decoded, re-encoded and MACed in buffers on the stack.
  constexpr std::size_t kMaxToken = 96;
  if (token.size() > kMaxToken) return std::nullopt;
  std::array<unsigned char, kMaxToken> raw{};
  std::size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(raw.data(), raw.size(), token.data(), token.size(), nullptr, &len, &end,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      end != token.data() + token.size() || len < 2 + 2 + kMacBytes)
    return std::nullopt;
  // Re-encoding must give the same text: no second spelling of one token.
  std::array<char, kMaxToken + 2> again{};
  sodium_bin2base64(again.data(), again.size(), raw.data(), len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  if (std::string_view(again.data()) != token) return std::nullopt;
  std::string_view payload(reinterpret_cast<const char*>(raw.data()), len - kMacBytes);
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> full{};
  mac_into(payload, full.data());
  if (sodium_memcmp(raw.data() + payload.size(), full.data(), kMacBytes) != 0) return std::nullopt;
  if (static_cast<std::uint8_t>(payload[0]) != kVersion) return std::nullopt;
  if (static_cast<std::uint8_t>(payload[1]) != static_cast<std::uint8_t>(expected)) return std::nullopt;
  std::string_view rest = payload.substr(2);
  TrackingToken t;
  t.kind = expected;
  auto campaign = get_varint(rest);
  auto lead = get_varint(rest);
  if (!campaign || !lead || *campaign > INT64_MAX || *lead > INT64_MAX) return std::nullopt;
  t.campaign_id = static_cast<std::int64_t>(*campaign);
  t.lead_id = static_cast<std::int64_t>(*lead);
  if (expected == TokenKind::Click) {
    auto link = get_varint(rest);
    if (!link || *link > UINT32_MAX) return std::nullopt;
    t.link = static_cast<std::uint32_t>(*link);
  }
  if (!rest.empty()) return std::nullopt;
  return t;
}

// ---- HTML -------------------------------------------------------------------

RewrittenHtml rewrite_links(std::string_view html, const std::function<std::string(std::uint32_t)>& click_url,
                            const std::function<bool(std::string_view)>& keep) {
  RewrittenHtml out;
  out.html.reserve(html.size() + html.size() / 4);
  std::unordered_map<std::string, std::uint32_t> index_of;
  std::size_t copied = 0;
  std::size_t i = 0;
  while ((i = html.find('<', i)) != std::string_view::npos) {
    std::string_view rest = html.substr(i + 1);
    // Only <a …>, comments and raw-text elements need a closer look; the
    // scan steps over every other tag.
    bool anchor = rest.size() > 1 && (rest[0] == 'a' || rest[0] == 'A') &&
                  (rest[1] == ' ' || rest[1] == '\t' || rest[1] == '\n' || rest[1] == '\r' || rest[1] == '>');
    bool raw_text = iequals_ascii(rest.substr(0, 6), "script") || iequals_ascii(rest.substr(0, 5), "style");
    if (!anchor && !raw_text && !rest.starts_with("!--")) {
      ++i;
      continue;
    }
    auto m = html::read_markup(html, i);
    if (m.kind != html::Markup::Kind::Tag) {
      i = m.kind == html::Markup::Kind::Skip ? m.end : i + 1;
      continue;
    }
    i = m.end;
    const auto& tag = m.tag;
    if (!tag.closing && (tag.name == "script" || tag.name == "style")) {
      i = html::skip_raw_text(html, i, tag.name);
      continue;
    }
    if (tag.closing || tag.name != "a") continue;
    const auto* href = tag.attribute("href");
    if (!href || !href->has_value) continue;
    std::string url(trim(decode_entities(html::attribute_value(html, *href))));
    if (!is_http_url(url) || (keep && keep(url))) continue;
    auto [it, added] = index_of.try_emplace(url, static_cast<std::uint32_t>(out.links.size()));
    if (added) out.links.push_back(url);
    out.html.append(html.substr(copied, href->value_begin - copied));
    std::string target = click_url(it->second);
    if (href->quote == 0) {  // unquoted: quote the replacement
      out.html += '"';
      out.html += target;
      out.html += '"';
    } else {
      out.html += target;
    }
    copied = href->value_end;
  }
  out.html.append(html.substr(copied));
  return out;
}

std::string insert_open_pixel(std::string_view html, std::string_view pixel_url) {
  std::string pixel = "<img src=\"" + std::string(pixel_url) +
                      "\" width=\"1\" height=\"1\" alt=\"\" style=\"display:block;width:1px;height:1px;border:0\">";
  // The last </body>, case-insensitively.
  std::size_t at = std::string_view::npos;
  for (std::size_t p = html.find("</"); p != std::string_view::npos; p = html.find("</", p + 2))
    if (iequals_ascii(html.substr(p, 7), "</body>")) at = p;
  std::string out;
  out.reserve(html.size() + pixel.size());
  if (at == std::string_view::npos) {
    out.append(html);
    out += pixel;
  } else {
    out.append(html.substr(0, at));
    out += pixel;
    out.append(html.substr(at));
  }
  return out;
}

// ---- Tracker ----------------------------------------------------------------

Tracker::Tracker(const TokenSigner& signer, std::string public_url)
    : signer_(signer), public_url_(std::move(public_url)) {
  while (public_url_.ends_with('/')) public_url_.pop_back();
}

std::string Tracker::open_url(std::int64_t campaign_id, std::int64_t lead_id) const {
  return public_url_ + "/t/o/" + signer_.sign({TokenKind::Open, campaign_id, lead_id, 0});
}

std::string Tracker::click_url(std::int64_t campaign_id, std::int64_t lead_id, std::uint32_t link) const {
  return public_url_ + "/t/c/" + signer_.sign({TokenKind::Click, campaign_id, lead_id, link});
}

std::string Tracker::unsubscribe_url(std::int64_t campaign_id, std::int64_t lead_id) const {
  return public_url_ + "/u/" + signer_.sign({TokenKind::Unsubscribe, campaign_id, lead_id, 0});
}

RewrittenHtml Tracker::apply(std::string_view html, std::int64_t campaign_id, std::int64_t lead_id, bool track_opens,
                             bool track_clicks) const {
  RewrittenHtml out;
  if (track_clicks) {
    std::string own_u = public_url_ + "/u/";
    std::string own_t = public_url_ + "/t/";
    out = rewrite_links(
        html, [&](std::uint32_t index) { return click_url(campaign_id, lead_id, index); },
        [&](std::string_view url) { return url.starts_with(own_u) || url.starts_with(own_t); });
  } else {
    out.html = std::string(html);
  }
  if (track_opens) out.html = insert_open_pixel(out.html, open_url(campaign_id, lead_id));
  return out;
}

}  // namespace herald::mail

// Tracking: opaque HMAC-signed tokens for the open pixel, click redirects
// and unsubscribe links, and the HTML rewriting that puts them in a message.
// A token holds the campaign id, the lead id, its kind and (for a click) the
// link's index in the message — no address, name or URL. Pure.
//
// Clicks: rewrite_links returns the message's original URLs in index order.
// The campaign keeps that list (per campaign when every recipient gets the
// same links, which is the case unless a link holds a variable); a click then
// redirects only to links[index] of the token's campaign, never to a URL the
// request names, so the redirect cannot be pointed elsewhere.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace herald::mail {

enum class TokenKind : std::uint8_t { Open = 1, Click = 2, Unsubscribe = 3 };

struct TrackingToken {
  TokenKind kind = TokenKind::Open;
  std::int64_t campaign_id = 0;
  std::int64_t lead_id = 0;
  std::uint32_t link = 0;  // clicks only
  bool operator==(const TrackingToken&) const = default;
};

class TokenSigner {
 public:
  // `secret`: ≥ 32 bytes of installation secret; a key for tokens is derived
  // from it, so the same secret can serve other purposes.
  explicit TokenSigner(std::string_view secret);

  std::string sign(const TrackingToken& token) const;
  // nullopt for anything this signer did not issue: forged, altered, truncated,
  // padded, of another kind than `expected`.
  std::optional<TrackingToken> verify(std::string_view token, TokenKind expected) const;

 private:
  std::string mac(std::string_view payload) const;
  void mac_into(std::string_view payload, unsigned char* out) const;  // the full 32-byte HMAC-SHA256
  struct Keyed;                                                       // the HMAC state after the key, computed once
  std::shared_ptr<const Keyed> keyed_;
};

struct RewrittenHtml {
  std::string html;
  std::vector<std::string> links;  // the original URLs; a token's link index points here
};

// Replaces the href of every <a> whose target is http(s) with click_url(index)
// (one index per distinct URL, in order of appearance), leaving alone links
// for which `keep` answers true, and everything else (mailto:, anchors,
// comments, <style>, <script>). URLs are compared and returned with their
// character references decoded.
RewrittenHtml rewrite_links(std::string_view html, const std::function<std::string(std::uint32_t index)>& click_url,
                            const std::function<bool(std::string_view url)>& keep = {});

// The 1×1 open pixel, placed just before </body> (or at the end).
std::string insert_open_pixel(std::string_view html, std::string_view pixel_url);

// The URLs of a campaign's tracking, under HERALD_PUBLIC_URL.
class Tracker {
 public:
  Tracker(const TokenSigner& signer, std::string public_url);

  std::string open_url(std::int64_t campaign_id, std::int64_t lead_id) const;                       // …/t/o/TOKEN
  std::string click_url(std::int64_t campaign_id, std::int64_t lead_id, std::uint32_t link) const;  // …/t/c/TOKEN
  std::string unsubscribe_url(std::int64_t campaign_id, std::int64_t lead_id) const;                // …/u/TOKEN

  // Click tracking and/or the open pixel for one recipient's HTML. Links to
  // this Herald's own /u/ and /t/ paths are never rewritten.
  RewrittenHtml apply(std::string_view html, std::int64_t campaign_id, std::int64_t lead_id, bool track_opens,
                      bool track_clicks) const;

 private:
  const TokenSigner& signer_;
  std::string public_url_;
};

}  // namespace herald::mail

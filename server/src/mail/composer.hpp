// One campaign message from a compiled template and a lead, ready for a
// Transport: variables (the lead's fields plus unsubscribe_url,
// campaign_name, from_name, from_email), render, click and open tracking,
// MIME, DKIM. Pure apart from the Clock (Date, t=); safe from any number of
// threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "mail/dkim.hpp"
#include "mail/mime.hpp"
#include "mail/template.hpp"
#include "mail/tracking.hpp"
#include "mail/transport.hpp"

namespace herald::mail {

struct CampaignMail {
  std::int64_t campaign_id = 0;
  std::string campaign_name;
  const CompiledTemplate* content = nullptr;  // the template version the campaign sends
  Address from;
  std::optional<Address> reply_to;
  std::string bounce_address;      // envelope MAIL FROM; empty: the From address
  std::string unsubscribe_mailto;  // mailto: for List-Unsubscribe, optional
  bool track_opens = true;
  bool track_clicks = true;
  std::string message_id_tag = "herald";  // see make_message_id
};

struct ComposedMessage {
  OutgoingMessage message;
  std::vector<std::string> links;  // the original URLs, for click redirects (empty without click tracking)
};

class Composer {
 public:
  // `signer` may be null (no DKIM key for the sending domain).
  Composer(const Tracker& tracker, const DkimSigner* signer, const Clock& clock);

  // `lead` is the lead's public JSON (id, email, names, tags, custom_fields…).
  // Throws MimeError when the lead's address cannot be written (the
  // recipient then fails for good) and DkimError if signing fails.
  ComposedMessage compose(const CampaignMail& campaign, const nlohmann::json& lead) const;

 private:
  const Tracker& tracker_;
  const DkimSigner* signer_;
  const Clock& clock_;
};

}  // namespace herald::mail

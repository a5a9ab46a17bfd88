#include "mail/composer.hpp"

#include <stdexcept>

namespace herald::mail {

Composer::Composer(const Tracker& tracker, const DkimSigner* signer, const Clock& clock)
    : tracker_(tracker), signer_(signer), clock_(clock) {}

ComposedMessage Composer::compose(const CampaignMail& campaign, const nlohmann::json& lead) const {
  if (!campaign.content) throw std::invalid_argument("a campaign mail needs its compiled template");
  if (!lead.is_object() || !lead.contains("id") || !lead["id"].is_number_integer() || !lead.contains("email") ||
      !lead["email"].is_string())
    throw std::invalid_argument("a lead needs an integer id and an email");
  const auto lead_id = lead["id"].get<std::int64_t>();
  const auto& email = lead["email"].get_ref<const std::string&>();

  std::string unsubscribe = tracker_.unsubscribe_url(campaign.campaign_id, lead_id);
  auto vars = Variables::from_lead(lead);
  vars.set("unsubscribe_url", unsubscribe);
  vars.set("campaign_name", campaign.campaign_name);
  vars.set("from_name", campaign.from.name);
  vars.set("from_email", campaign.from.email);
  auto content = campaign.content->render(vars);
  auto tracked =
      tracker_.apply(content.html, campaign.campaign_id, lead_id, campaign.track_opens, campaign.track_clicks);

  std::string display;
  for (const char* field : {"first_name", "last_name"}) {
    if (lead.contains(field) && lead[field].is_string() && !lead[field].get_ref<const std::string&>().empty()) {
      if (!display.empty()) display += ' ';
      display += lead[field].get_ref<const std::string&>();
    }
  }

  auto now = clock_.wall();
  Message m;
  m.from = campaign.from;
  m.to = {display, email};
  m.reply_to = campaign.reply_to;
  m.subject = std::move(content.subject);
  m.text = std::move(content.text);
  m.html = std::move(tracked.html);
  m.message_id =
      make_message_id(campaign.campaign_id, lead_id, domain_of(campaign.from.email), campaign.message_id_tag);
  m.date = now;
  m.list_unsubscribe_url = unsubscribe;
  m.list_unsubscribe_mailto = campaign.unsubscribe_mailto;
  m.feedback_id = make_feedback_id(campaign.campaign_id, campaign.message_id_tag);

  ComposedMessage out;
  out.message.data = build_message(m);
  if (signer_) out.message.data.insert(0, signer_->sign(out.message.data, now));
  out.message.mail_from = campaign.bounce_address.empty() ? campaign.from.email : campaign.bounce_address;
  out.message.rcpt_to = email;
  out.message.message_id = m.message_id;
  out.links = std::move(tracked.links);
  return out;
}

}  // namespace herald::mail

#include "templates/test_mail.hpp"

#include "mail/mime.hpp"
#include "templates/service.hpp"

namespace herald::templates {

mail::OutgoingMessage compose_test_mail(std::int64_t template_id, const Rendered& content,
                                        const settings::Sender& sender, const std::string& to,
                                        const std::string& unsubscribe_url, const mail::DkimSigner* signer,
                                        std::chrono::system_clock::time_point now) {
  mail::Message m;
  m.from = {sender.from_name, sender.from_email};
  m.to = {"", to};
  if (!sender.reply_to.empty()) m.reply_to = mail::Address{"", sender.reply_to};
  m.subject = std::string(kTestSubjectPrefix) + content.subject;
  m.text = content.text;
  m.html = content.html;
  m.message_id = mail::random_message_id(mail::domain_of(sender.from_email));
  m.date = now;
  m.list_unsubscribe_url = unsubscribe_url;
  m.extra_headers.emplace_back("X-Herald-Test", "template/" + std::to_string(template_id));

  mail::OutgoingMessage out;
  out.data = mail::build_message(m);
  if (signer) out.data.insert(0, signer->sign(out.data, now));
  out.mail_from = sender.from_email;
  out.rcpt_to = to;
  out.message_id = m.message_id;
  return out;
}

}  // namespace herald::templates

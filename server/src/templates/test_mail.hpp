// A template's test message (POST /api/templates/{id}/test): the rendered
// content to one given address, marked as a test ("[Test] " before the
// subject, an X-Herald-Test header), from the default sender, with the
// preview's unsubscribe link (never a real lead's token) and DKIM-signed
// when the From domain has a key. Pure: no I/O.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "mail/dkim.hpp"
#include "mail/transport.hpp"
#include "settings/interface.hpp"

namespace herald::templates {

struct Rendered;

inline constexpr std::string_view kTestSubjectPrefix = "[Test] ";

// Throws mail::MimeError when an address cannot be written.
mail::OutgoingMessage compose_test_mail(std::int64_t template_id, const Rendered& content,
                                        const settings::Sender& sender, const std::string& to,
                                        const std::string& unsubscribe_url, const mail::DkimSigner* signer,
                                        std::chrono::system_clock::time_point now);

}  // namespace herald::templates

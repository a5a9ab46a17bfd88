#include "inbound/routes.hpp"

#include "http/endpoints.hpp"
#include "inbound/probe.hpp"

namespace herald::inbound {

http::Response Routes::test(http::Request& req) {
  const auto body = req.body.empty() ? nlohmann::json::object() : req.json();
  const auto status = probe(settings::inbound_mailbox_to_test(settings_.inbound_mailbox(), body));
  return http::Response::json(200, {{"ok", true}, {"messages", status.messages}, {"unseen", status.unseen}});
}

void add_endpoints(http::Endpoints& e, Routes& r) {
  e.add("inbound.test", http::bind(r, &Routes::test),
        {.summary = "Log in to an IMAP mailbox, select its folder and count its messages; fields left out of the "
                    "body (such as the password) are the stored inbound settings'. 502 names the failed step "
                    "(inbound-connect, inbound-tls, inbound-login, inbound-folder)",
         .tag = "settings",
         .request_body = http::object_schema({{"imap_url", "string"}, {"user", "string"}, {"password", "string"}}),
         .response = http::object_schema({{"ok", "boolean"}, {"messages", "integer"}, {"unseen", "integer"}})});
}

}  // namespace herald::inbound

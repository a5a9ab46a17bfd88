// The audit log's handlers the route table names, with their OpenAPI descriptions.
#include "http/endpoints.hpp"
#include "audit/routes.hpp"

namespace herald::audit {

void add_endpoints(http::Endpoints& e, Routes& r) {
  using http::object_schema;
  e.add("audit.list", http::bind(r, &Routes::list),
        {.summary = "Audit entries, newest first (cursor pagination; format=csv exports)",
         .tag = "admin",
         .response = {{"type", "object"}},
         .query = {{"user_id", "actor"},
                   {"action", "e.g. USER_UPDATED"},
                   {"resource", "e.g. user/42"},
                   {"from", "RFC 3339, inclusive"},
                   {"to", "RFC 3339, exclusive"},
                   {"cursor", "next_cursor"},
                   {"limit", "1-200"},
                   {"format", "json or csv"}}});
  e.add("audit.verify", http::bind(r, &Routes::verify),
        {.summary = "Walk the hash chain and report the first broken entry",
         .tag = "admin",
         .response = object_schema({{"valid", "boolean"}, {"checked", "integer"}, {"first_broken_id", "integer"}})});
}

}  // namespace herald::audit

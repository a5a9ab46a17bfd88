// The leads domain's handlers the route table names (leads, imports,
// suppressions, segments), with their OpenAPI descriptions.
#include "http/endpoints.hpp"
#include "leads/routes.hpp"

namespace herald::leads {
namespace {

using http::object_schema;
using Query = std::vector<std::pair<std::string, std::string>>;

const Query& filter_query() {
  static const Query q = {{"q", "search in email, first and last name, company"},
                          {"status", "any of (comma-separated)"},
                          {"tag", "has any of these tags"},
                          {"not_tag", "has none of these tags"},
                          {"owner_id", "user id, or none"},
                          {"country", "any of"},
                          {"source", "exact"},
                          {"created_from", "RFC 3339, inclusive"},
                          {"created_to", "RFC 3339, exclusive"},
                          {"score_min", "0-100"},
                          {"score_max", "0-100"},
                          {"cf.<field>", "custom field equals"},
                          {"segment_id", "also matches this saved segment"}};
  return q;
}

Query list_query() {
  auto q = filter_query();
  q.insert(q.end(), {{"sort",
                      "id, created_at, updated_at, email, first_name, last_name, company, "
                      "score, status, country; '-' for descending (default -id)"},
                     {"page", "from 1"},
                     {"page_size", "1-200"},
                     {"cursor", "next_cursor of the previous page (id order)"},
                     {"count",
                      "capped (default): total is exact for no filter, statuses, one tag or one owner, otherwise "
                      "it stops at 10000 (1000 with q) and total_is_lower_bound says so; exact: the whole count"}});
  return q;
}

void add_lead_endpoints(http::Endpoints& e, Routes& r) {
  using http::bind;
  const nlohmann::json lead = {{"type", "object"}};
  const auto lead_body = object_schema({{"email", "string"},
                                        {"first_name", "string"},
                                        {"last_name", "string"},
                                        {"company", "string"},
                                        {"title", "string"},
                                        {"phone", "string"},
                                        {"website", "string"},
                                        {"country", "string"},
                                        {"timezone", "string"},
                                        {"status", "string"},
                                        {"score", "integer"},
                                        {"owner_id", "integer"},
                                        {"tags", "array"},
                                        {"custom_fields", "object"},
                                        {"source", "string"}});
  auto list = object_schema({{"items", "array"},
                             {"total", "integer"},
                             {"total_is_lower_bound", "boolean"},
                             {"page", "integer"},
                             {"page_size", "integer"},
                             {"next_cursor", "integer"}});
  list["properties"]["total"]["description"] =
      "leads matching the filter; with total_is_lower_bound, at least this many (count=exact counts them all)";
  list["properties"]["total_is_lower_bound"]["description"] =
      "true when the count stopped at its cap: 10000, or 1000 with q (count=capped, a filter without a kept total)";
  list["properties"]["next_cursor"]["type"] = {"integer", "null"};
  e.add("leads.list", bind(r, &Routes::list),
        {.summary = "List, search and filter leads", .tag = "leads", .response = list, .query = list_query()},
        [&r](const http::Request& req) { return r.list_waits(req); });
  e.add(
      "leads.create", bind(r, &Routes::create),
      {.summary = "Create a lead", .tag = "leads", .request_body = lead_body, .response = lead, .success_status = 201});
  e.add("leads.get", bind(r, &Routes::get), {.summary = "One lead", .tag = "leads", .response = lead});
  e.add("leads.update", bind(r, &Routes::update),
        {.summary = "Change some fields of a lead (null clears; custom_fields merges)",
         .tag = "leads",
         .request_body = lead_body,
         .response = lead});
  e.add("leads.delete", bind(r, &Routes::remove),
        {.summary = "Delete a lead (permanently)", .tag = "leads", .success_status = 204});
  e.add("leads.bulk", bind(r, &Routes::bulk),
        {.summary = "Tag, untag, set status or owner of, or delete (lead:delete) leads by ids or filter",
         .tag = "leads",
         .request_body = object_schema({{"action", "string"},
                                        {"tag", "string"},
                                        {"status", "string"},
                                        {"owner_id", "integer"},
                                        {"ids", "array"},
                                        {"filter", "object"}}),
         .response = object_schema({{"action", "string"}, {"count", "integer"}})});
  e.add("leads.export", bind(r, &Routes::export_csv),
        {.summary = "Export the leads of a filter as CSV (streamed)",
         .tag = "leads",
         .response = {{"type", "string"}},
         .response_content_type = "text/csv",
         .query = filter_query()});
  e.add("leads.gdpr_export", bind(r, &Routes::gdpr_export),
        {.summary = "Everything held about one lead (GDPR access request)",
         .tag = "leads",
         .response = {{"type", "object"}}});
  e.add("leads.gdpr_erase", bind(r, &Routes::gdpr_erase),
        {.summary = "Erase a lead's personal data and suppress its address for good (GDPR)",
         .tag = "leads",
         .response = object_schema({{"id", "integer"}, {"erased", "boolean"}, {"suppression_hash", "string"}})});
}

void add_import_endpoints(http::Endpoints& e, Routes& r) {
  e.add_upload("leads.import", http::bind_sink(r, &Routes::open_import),
               {.summary = "Upload a CSV of leads (text/csv body or multipart file field); applied in the background",
                .tag = "leads",
                .response = object_schema({{"job_id", "string"}, {"status", "string"}}),
                .success_status = 202,
                .query = {{"mode", "create_only (default), upsert or update_only"},
                          {"tag", "tags to add to every imported lead"},
                          {"list", "a list name: tagged, and a segment of that name"},
                          {"mapping", "JSON object: CSV header -> lead field, cf.<key> or ignore"},
                          {"source", "source of created leads (default import)"},
                          {"filename", "name of the file, for the record"}}});
  e.add("leads.import_status", http::bind(r, &Routes::import_status),
        {.summary = "Progress and report of an import: status queued, running, retrying (with error and "
                    "next_attempt_at), completed or failed (with error)",
         .tag = "leads",
         .response = object_schema({{"job_id", "string"},
                                    {"status", "string"},
                                    {"rows", "integer"},
                                    {"created", "integer"},
                                    {"updated", "integer"},
                                    {"skipped", "integer"},
                                    {"failed", "integer"},
                                    {"percent", "integer"},
                                    {"errors", "array"},
                                    {"error", "string"},
                                    {"next_attempt_at", "string"},
                                    {"queue_job_id", "string"}})});
  e.add("leads.import_errors", http::bind(r, &Routes::import_errors),
        {.summary = "The import's per-row report as CSV (line, kind, reason)",
         .tag = "leads",
         .response = {{"type", "string"}},
         .response_content_type = "text/csv"});
}

void add_suppression_endpoints(http::Endpoints& e, Routes& r) {
  using http::bind;
  const nlohmann::json object = {{"type", "object"}};
  e.add("suppressions.list", bind(r, &Routes::list_suppressions),
        {.summary = "Addresses and domains never to be mailed",
         .tag = "leads",
         .response = object,
         .query = {{"kind", "email or domain"},
                   {"reason", "manual, unsubscribe, bounce, complaint, gdpr"},
                   {"q", "search in the value"},
                   {"page", "from 1"},
                   {"page_size", "1-200"}}});
  e.add("suppressions.create", bind(r, &Routes::create_suppression),
        {.summary = "Suppress an address or a domain",
         .tag = "leads",
         .request_body =
             object_schema({{"email", "string"}, {"domain", "string"}, {"reason", "string"}, {"note", "string"}}),
         .response = object,
         .success_status = 201});
  e.add("suppressions.get", bind(r, &Routes::get_suppression),
        {.summary = "One suppression", .tag = "leads", .response = object});
  e.add("suppressions.update", bind(r, &Routes::update_suppression),
        {.summary = "Change a suppression's reason or note",
         .tag = "leads",
         .request_body = object_schema({{"reason", "string"}, {"note", "string"}}),
         .response = object});
  e.add("suppressions.delete", bind(r, &Routes::delete_suppression),
        {.summary = "Lift a suppression", .tag = "leads", .success_status = 204});
}

void add_segment_endpoints(http::Endpoints& e, Routes& r) {
  using http::bind;
  const nlohmann::json segment = {{"type", "object"}};
  const auto segment_body = object_schema({{"name", "string"}, {"description", "string"}, {"filter", "object"}});
  e.add("segments.list", bind(r, &Routes::list_segments),
        {.summary = "Saved segments with live member counts",
         .tag = "segments",
         .response = {{"type", "object"}},
         .query = {{"page", "from 1"}, {"page_size", "1-200"}}});
  e.add("segments.create", bind(r, &Routes::create_segment),
        {.summary = "Save a filter as a segment",
         .tag = "segments",
         .request_body = segment_body,
         .response = segment,
         .success_status = 201});
  e.add("segments.get", bind(r, &Routes::get_segment),
        {.summary = "One segment and its member count", .tag = "segments", .response = segment});
  e.add("segments.update", bind(r, &Routes::update_segment),
        {.summary = "Rename a segment or change its filter",
         .tag = "segments",
         .request_body = segment_body,
         .response = segment});
  e.add("segments.delete", bind(r, &Routes::delete_segment),
        {.summary = "Delete a segment (its leads stay)", .tag = "segments", .success_status = 204});
}

}  // namespace

void add_endpoints(http::Endpoints& e, Routes& r) {
  add_lead_endpoints(e, r);
  add_import_endpoints(e, r);
  add_suppression_endpoints(e, r);
  add_segment_endpoints(e, r);
}

}  // namespace herald::leads

// Handlers for /api/leads/*, /api/segments/* and /api/leads/suppressions/*:
// parse and validate, call the service, serialise. The route table
// (api/routes.cpp) names their permissions and audit actions.
#pragma once

#include <memory>

#include "http/types.hpp"
#include "leads/imports.hpp"
#include "leads/privacy.hpp"
#include "leads/segments.hpp"
#include "leads/service.hpp"
#include "leads/suppressions.hpp"

namespace herald::http {
class Endpoints;
}  // namespace herald::http

namespace herald::leads {

class Routes {
 public:
  Routes(LeadService& leads, SegmentService& segments, SuppressionService& suppressions, PrivacyService& privacy,
         ImportService& imports)
      : leads_(leads), segments_(segments), suppressions_(suppressions), privacy_(privacy), imports_(imports) {}

  http::Response list(http::Request& req);
  http::Response get(http::Request& req);
  http::Response create(http::Request& req);
  http::Response update(http::Request& req);
  http::Response remove(http::Request& req);
  http::Response bulk(http::Request& req);
  http::Response export_csv(http::Request& req);
  http::Response gdpr_export(http::Request& req);
  http::Response gdpr_erase(http::Request& req);

  http::Response list_segments(http::Request& req);
  http::Response get_segment(http::Request& req);
  http::Response create_segment(http::Request& req);
  http::Response update_segment(http::Request& req);
  http::Response delete_segment(http::Request& req);

  http::Response list_suppressions(http::Request& req);
  http::Response get_suppression(http::Request& req);
  http::Response create_suppression(http::Request& req);
  http::Response update_suppression(http::Request& req);
  http::Response delete_suppression(http::Request& req);

  // POST /api/leads/import streams its body into this sink (raw CSV or multipart).
  std::unique_ptr<http::BodySink> open_import(http::Request& req);
  http::Response import_status(http::Request& req);
  http::Response import_errors(http::Request& req);

 private:
  LeadService& leads_;
  SegmentService& segments_;
  SuppressionService& suppressions_;
  PrivacyService& privacy_;
  ImportService& imports_;
};

// Adds these handlers, with their OpenAPI descriptions, under the names the
// route table (api/routes.cpp) uses (endpoints.cpp).
void add_endpoints(http::Endpoints& endpoints, Routes& routes);

}  // namespace herald::leads

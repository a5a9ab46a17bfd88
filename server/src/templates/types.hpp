// Templates as the API shows them, and the request bodies' parsers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace herald::templates {

// A template with its current content.
struct Template {
  std::int64_t id = 0;
  std::string name, subject, html;
  std::string text;             // as sent: the author's text, or generated from html
  bool text_generated = false;  // the author left text empty
  std::int64_t version = 0;
  std::string created_at, updated_at;
};
// {id, name, subject, html, text, text_generated, version, created_at, updated_at}
nlohmann::json to_json(const Template& t);

// POST /api/templates (everything but text required) and PATCH (any of them).
// text "" (or null) means "generate it from the HTML".
struct TemplateInput {
  std::optional<std::string> name, subject, html, text;
};
inline constexpr std::size_t kMaxName = 200;
inline constexpr std::size_t kMaxSubject = 998;
inline constexpr std::size_t kMaxBody = 512 * 1024;  // html and text, each
// Throws ValidationError naming each bad field (unknown fields included).
TemplateInput parse_template_input(const nlohmann::json& body, bool creating);

// POST /api/templates/{id}/preview {lead_id?}
struct PreviewRequest {
  std::optional<std::int64_t> lead_id;  // none: a sample lead
};
PreviewRequest parse_preview_request(const nlohmann::json& body);

// POST /api/templates/preview {subject, html, text?, lead_id?}: unsaved content.
struct DraftPreviewRequest {
  std::string subject, html, text;
  std::optional<std::int64_t> lead_id;
};
DraftPreviewRequest parse_draft_preview_request(const nlohmann::json& body);

// POST /api/templates/{id}/test {emails[1..10], lead_id?}: addresses checked
// and normalised like leads' (duplicates dropped), each bad one named
// "emails[i]".
struct TestRequest {
  std::vector<std::string> emails;
  std::optional<std::int64_t> lead_id;  // none: the preview's sample lead
};
inline constexpr std::size_t kMaxTestAddresses = 10;
TestRequest parse_test_request(const nlohmann::json& body);

}  // namespace herald::templates

// The templates domain's logic: list, create, edit (a new version on every
// content change), delete (pinned versions stay), preview for a lead, and the
// Catalog other domains read versions through. Every save validates the
// three parts with the mail core's Mustache checker: an unknown variable is a
// 422 naming the part, with line and column, never a blank in a sent message.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/errors.hpp"
#include "leads/interface.hpp"
#include "mail/template.hpp"
#include "mail/transport.hpp"
#include "settings/interface.hpp"
#include "storage/database.hpp"
#include "templates/interface.hpp"
#include "templates/store.hpp"
#include "templates/types.hpp"

namespace herald::templates {

// The parts of a TemplateError as field errors: field "subject", "html" or
// "text", message "line 3, column 7: unknown variable frist_name (did you mean first_name?)".
ValidationError to_validation_error(const mail::TemplateError& e);

// Compiles `source` (throws ValidationError with every issue).
mail::CompiledTemplate compile_checked(const mail::TemplateSource& source);

// The lead a preview without lead_id renders for (fixed values, custom.plan = "Pro").
nlohmann::json sample_lead();

struct Rendered {
  std::string subject, html, text;
};

// One address's outcome of a test send.
struct TestResult {
  std::string email;
  bool delivered = false;
  std::string detail;  // the server's reply, or what went wrong
};

struct PreviewContext {
  std::string public_url;  // the base of the preview's unsubscribe link
};

class TemplateService {
 public:
  TemplateService(storage::Database& db, const Clock& clock, leads::Leads& leads, const settings::Settings& settings,
                  mail::Transport& transport, PreviewContext context)
      : db_(db),
        clock_(clock),
        leads_(leads),
        settings_(settings),
        transport_(transport),
        context_(std::move(context)) {}

  std::pair<std::vector<Template>, std::int64_t> list(std::int64_t page, std::int64_t page_size, const std::string& q);
  Template get(std::int64_t id);
  Template create(const TemplateInput& in, std::optional<std::int64_t> created_by);
  // A new version when something changed; the same version otherwise.
  Template update(std::int64_t id, const TemplateInput& in);
  void remove(std::int64_t id);

  // The current version rendered for a lead (a sample lead when none).
  Rendered preview(std::int64_t id, std::optional<std::int64_t> lead_id);
  Rendered preview_draft(const DraftPreviewRequest& draft);
  // The current version rendered as preview() does, sent as a test (see
  // templates/test_mail.hpp) to each address through the mail transport
  // (SMTP or the outbox); waits on the network. Throws NotFound, a
  // ValidationError for lead_id, Conflict when no sender address is set.
  std::vector<TestResult> send_test(std::int64_t id, const TestRequest& request);

  std::optional<TemplateVersion> current(std::int64_t id) const;
  std::optional<TemplateVersion> version(std::int64_t id, std::int64_t version) const;
  void pin(std::int64_t id, std::int64_t version);

 private:
  Rendered render(const mail::TemplateSource& source, std::optional<std::int64_t> lead_id);
  std::string now() const;

  storage::Database& db_;
  const Clock& clock_;
  leads::Leads& leads_;
  const settings::Settings& settings_;
  mail::Transport& transport_;
  PreviewContext context_;
  Store store_;
};

// templates::Catalog over the service (what the module offers).
class ServiceCatalog final : public Catalog {
 public:
  explicit ServiceCatalog(TemplateService& service) : service_(service) {}
  std::optional<TemplateVersion> current(std::int64_t template_id) const override {
    return service_.current(template_id);
  }
  std::optional<TemplateVersion> version(std::int64_t template_id, std::int64_t version) const override {
    return service_.version(template_id, version);
  }
  void pin(std::int64_t template_id, std::int64_t version) override { service_.pin(template_id, version); }

 private:
  TemplateService& service_;
};

}  // namespace herald::templates

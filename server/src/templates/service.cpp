#include "templates/service.hpp"

#include <fmt/format.h>

#include "core/errors.hpp"
#include "core/time.hpp"
#include "mail/mime.hpp"
#include "templates/test_mail.hpp"

namespace herald::templates {
namespace {

constexpr int kMaxVersionRetries = 5;

}  // namespace

ValidationError to_validation_error(const mail::TemplateError& e) {
  ValidationError out;
  for (const auto& issue : e.issues()) {
    out.with_field(issue.part, fmt::format("line {}, column {}: {}", issue.line, issue.column, issue.message));
  }
  if (out.empty()) out.with_field("html", e.what());
  return out;
}

mail::CompiledTemplate compile_checked(const mail::TemplateSource& source) {
  try {
    return mail::CompiledTemplate::compile(source);
  } catch (const mail::TemplateError& e) {
    throw to_validation_error(e);
  }
}

nlohmann::json sample_lead() {
  return {{"id", 0},
          {"email", "ada.lovelace@example.com"},
          {"first_name", "Ada"},
          {"last_name", "Lovelace"},
          {"company", "Analytical Engines Ltd"},
          {"title", "Lead Engineer"},
          {"phone", "+44 20 7946 0000"},
          {"website", "https://example.com"},
          {"country", "GB"},
          {"timezone", "Europe/London"},
          {"status", "new"},
          {"score", 50},
          {"tags", nlohmann::json::array({"sample"})},
          {"custom_fields", {{"plan", "Pro"}}}};
}

std::string TemplateService::now() const { return rfc3339(clock_.wall()); }

std::pair<std::vector<Template>, std::int64_t> TemplateService::list(std::int64_t page, std::int64_t page_size,
                                                                     const std::string& q) {
  auto conn = db_.acquire();
  const auto offset = (page - 1) * page_size;
  if (q.empty()) return {store_.list(*conn, page_size, offset), store_.count(*conn)};
  const auto like = like_pattern(q);
  return {store_.search(*conn, like, page_size, offset), store_.search_count(*conn, like)};
}

Template TemplateService::get(std::int64_t id) {
  auto conn = db_.acquire();
  auto t = store_.get(*conn, id);
  if (!t) throw NotFound("no template " + std::to_string(id));
  return *t;
}

Template TemplateService::create(const TemplateInput& in, std::optional<std::int64_t> created_by) {
  Template t;
  t.name = in.name.value_or("");
  t.subject = in.subject.value_or("");
  t.html = in.html.value_or("");
  const auto compiled = compile_checked({t.subject, t.html, in.text.value_or("")});
  t.text = compiled.text_source();
  t.text_generated = in.text.value_or("").empty();
  auto conn = db_.acquire();
  storage::Transaction tx(*conn, storage::TxMode::Write);
  const auto at = now();
  t.id = store_.insert(*conn, t, created_by, at);
  tx.commit();
  t.version = 1;
  t.created_at = t.updated_at = at;
  return t;
}

Template TemplateService::update(std::int64_t id, const TemplateInput& in) {
  for (int attempt = 0; attempt < kMaxVersionRetries; ++attempt) {
    auto conn = db_.acquire();
    auto current = store_.get(*conn, id);
    if (!current) throw NotFound("no template " + std::to_string(id));
    Template next = *current;
    if (in.name) next.name = *in.name;
    if (in.subject) next.subject = *in.subject;
    if (in.html) next.html = *in.html;
    // The author's text stays theirs; a generated one follows the HTML.
    const std::string author_text = in.text ? *in.text : (current->text_generated ? "" : current->text);
    const auto compiled = compile_checked({next.subject, next.html, author_text});
    next.text = compiled.text_source();
    next.text_generated = author_text.empty();
    if (next.name == current->name && next.subject == current->subject && next.html == current->html &&
        next.text == current->text && next.text_generated == current->text_generated) {
      return *current;
    }
    next.version = current->version + 1;
    storage::Transaction tx(*conn, storage::TxMode::Write);
    const auto at = now();
    if (store_.add_version(*conn, next, current->version, at)) {
      tx.commit();
      next.updated_at = at;
      return next;
    }
  }
  throw Conflict("the template kept changing while it was saved; try again");
}

void TemplateService::remove(std::int64_t id) {
  auto conn = db_.acquire();
  storage::Transaction tx(*conn, storage::TxMode::Write);
  if (!store_.remove(*conn, id)) throw NotFound("no template " + std::to_string(id));
  tx.commit();
}

Rendered TemplateService::render(const mail::TemplateSource& source, std::optional<std::int64_t> lead_id) {
  const auto compiled = compile_checked(source);
  nlohmann::json lead;
  if (lead_id) {
    auto found = leads_.find(*lead_id);
    if (!found) throw ValidationError("lead_id", "no lead " + std::to_string(*lead_id));
    lead = leads::to_json(*found);
  } else {
    lead = sample_lead();
  }
  auto vars = mail::Variables::from_lead(lead);
  const auto sender = settings_.default_sender();
  vars.set("from_name", sender.from_name);
  vars.set("from_email", sender.from_email);
  vars.set("campaign_name", "Preview");
  vars.set("unsubscribe_url", context_.public_url + "/u/preview");
  auto out = compiled.render(vars);
  return {std::move(out.subject), std::move(out.html), std::move(out.text)};
}

Rendered TemplateService::preview(std::int64_t id, std::optional<std::int64_t> lead_id) {
  const auto t = get(id);
  return render({t.subject, t.html, t.text}, lead_id);
}

Rendered TemplateService::preview_draft(const DraftPreviewRequest& draft) {
  return render({draft.subject, draft.html, draft.text}, draft.lead_id);
}

std::vector<TestResult> TemplateService::send_test(std::int64_t id, const TestRequest& request) {
  const auto t = get(id);
  const auto sender = settings_.default_sender();
  if (sender.from_email.empty())
    throw Conflict("no sender address: set the default sender (from_email) in the settings first");
  const auto content = render({t.subject, t.html, t.text}, request.lead_id);
  const auto signer = settings_.signer_for(mail::domain_of(sender.from_email));
  const auto unsubscribe = context_.public_url + "/u/preview";
  std::vector<TestResult> out;
  for (const auto& email : request.emails) {
    TestResult r{email, false, ""};
    try {
      auto message = compose_test_mail(id, content, sender, email, unsubscribe, signer.get(), clock_.wall());
      auto result = transport_.send(message);
      r.delivered = result.accepted();
      r.detail = result.reply.empty() ? result.to_string() : result.reply;
    } catch (const mail::MimeError& e) {
      r.detail = e.what();
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::optional<TemplateVersion> TemplateService::current(std::int64_t id) const {
  auto conn = db_.acquire();
  auto t = store_.get(*conn, id);
  if (!t) return std::nullopt;
  return TemplateVersion{t->id, t->version, t->name, t->subject, t->html, t->text};
}

std::optional<TemplateVersion> TemplateService::version(std::int64_t id, std::int64_t version) const {
  auto conn = db_.acquire();
  return store_.version(*conn, id, version);
}

void TemplateService::pin(std::int64_t id, std::int64_t version) {
  auto conn = db_.acquire();
  if (!store_.pin(*conn, id, version)) {
    throw NotFound(fmt::format("no version {} of template {}", version, id));
  }
}

}  // namespace herald::templates

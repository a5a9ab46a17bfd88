#include "ai/service.hpp"

#include <fmt/format.h>

#include "ai/merge_tags.hpp"
#include "ai/sanitize.hpp"
#include "ai/sse.hpp"
#include "core/errors.hpp"
#include "core/log.hpp"
#include "core/strings.hpp"
#include "core/time.hpp"
#include "mail/template.hpp"

namespace herald::ai {
namespace {

using nlohmann::json;

// Providers that report no usage are charged an estimate: ~4 characters a token.
Usage estimate(const ChatRequest& request, const ChatCompletion& c) {
  std::size_t in = 0;
  for (const auto& m : request.messages) in += m.content.size();
  std::size_t out = c.content.size();
  for (const auto& t : c.tool_calls) out += t.arguments.size() + t.name.size();
  return {static_cast<std::int64_t>(in / 4 + 1), static_cast<std::int64_t>(out / 4 + 1)};
}

void add(Usage& total, const Usage& u) {
  total.prompt_tokens += u.prompt_tokens;
  total.completion_tokens += u.completion_tokens;
}

}  // namespace

DraftResult finish_draft(const Draft& raw) {
  DraftResult out;
  auto subject = remove_unknown_tags(raw.subject);
  auto html = remove_unknown_tags(sanitize_html(raw.html));
  out.removed_tags = subject.removed;
  out.removed_tags.insert(out.removed_tags.end(), html.removed.begin(), html.removed.end());
  mail::TemplateSource source{subject.text, html.text, ""};
  const auto issues = mail::CompiledTemplate::validate(source);
  if (!issues.empty()) {
    throw ProviderError(502, "The model's draft is not a valid template: " + issues.front().to_string(),
                        "provider-invalid-draft");
  }
  const auto compiled = mail::CompiledTemplate::compile(source);
  out.draft = {std::move(subject.text), std::move(html.text), compiled.text_source()};
  return out;
}

Service::Service(Store store, const Clock& clock, const settings::Settings& settings, leads::Leads& leads,
                 const templates::Catalog& catalog, const http::Endpoints& endpoints, ClientOptions options)
    : store_(store),
      clock_(clock),
      settings_(settings),
      leads_(leads),
      catalog_(catalog),
      tools_(endpoints),
      client_(options) {}

std::string Service::today() const { return rfc3339(clock_.wall()).substr(0, 10); }  // YYYY-MM-DD, UTC

ProviderSettings Service::provider() const {
  const auto p = settings_.ai_provider();
  ProviderSettings s{p.base_url, p.api_key, p.model};
  if (!s.configured()) throw ServiceUnavailable(std::string(kConfigureHint));
  return s;
}

void Service::check_budget(std::int64_t user_id) const {
  const auto budget = settings_.ai_provider().daily_token_budget;
  const auto used = store_.usage(user_id, today()).tokens;
  if (used < budget) return;
  const auto now = clock_.wall();
  const auto midnight = std::chrono::floor<std::chrono::days>(now) + std::chrono::days(1);
  const auto wait = std::chrono::duration_cast<std::chrono::seconds>(midnight - now).count() + 1;
  TooManyRequests e(
      fmt::format("You used {} of your {} AI tokens today (UTC); the budget renews at midnight UTC. "
                  "An administrator can raise it in Settings → AI (daily_token_budget).",
                  used, budget));
  e.with_header("Retry-After", std::to_string(wait));
  throw e;
}

ChatCompletion Service::call(const ProviderSettings& provider, const ChatRequest& request, const Caller& caller,
                             const DeltaSink& on_delta, const std::atomic<bool>* cancel) const {
  auto c = client_.complete(provider, request, on_delta, cancel);
  const auto usage = c.usage.value_or(estimate(request, c));
  c.usage = usage;
  store_.add_usage(caller.principal.user_id, today(), usage);
  return c;
}

DraftInput Service::draft_input(const DraftRequest& r, const Caller& caller) const {
  DraftInput in;
  in.brief = r.brief;
  in.tone = r.tone;
  in.length = r.length;
  if (r.lead_id) {
    if (!caller.principal.has("lead:read")) throw Forbidden("lead_id needs the permission lead:read");
    auto lead = leads_.find(*r.lead_id);
    if (!lead) throw ValidationError("lead_id", "names no lead");
    in.lead = lead_for_prompt(leads::to_json(*lead));
  }
  if (r.template_id) {
    if (!caller.principal.has("template:read")) throw Forbidden("template_id needs the permission template:read");
    auto t = catalog_.current(*r.template_id);
    if (!t) throw ValidationError("template_id", "names no template");
    in.base_template = json{{"subject", t->subject}, {"html", t->html}};
  }
  return in;
}

DraftResult Service::draft(const DraftInput& input, const Caller& caller, const DeltaSink& on_delta,
                           const std::atomic<bool>* cancel) const {
  const auto p = provider();
  check_budget(caller.principal.user_id);
  const auto request = draft_request(input);
  const auto c = call(p, request, caller, on_delta, cancel);
  Draft raw;
  try {
    raw = parse_draft(c.content);
  } catch (const MalformedResponse& e) {
    throw ProviderError(502, std::string("The model's answer is not a draft: ") + e.what(), "provider-invalid-draft");
  }
  auto out = finish_draft(raw);
  out.usage = *c.usage;
  if (!out.removed_tags.empty()) {
    log::info("ai: unknown merge tags removed from a draft",
              {{"count", static_cast<std::int64_t>(out.removed_tags.size())}});
  }
  return out;
}

std::pair<std::vector<SubjectCandidate>, Usage> Service::subject_lines(const SubjectLinesRequest& r,
                                                                       const Caller& caller) const {
  const auto p = provider();
  std::optional<json> base;
  if (r.template_id) {
    if (!caller.principal.has("template:read")) throw Forbidden("template_id needs the permission template:read");
    auto t = catalog_.current(*r.template_id);
    if (!t) throw ValidationError("template_id", "names no template");
    base = json{{"subject", t->subject}, {"html", t->html}};
  }
  check_budget(caller.principal.user_id);
  const auto request = subject_lines_request(r.brief, base, r.count);
  const auto c = call(p, request, caller, {}, nullptr);
  std::vector<std::string> lines;
  try {
    lines = parse_subject_lines(c.content, r.count);
  } catch (const MalformedResponse& e) {
    throw ProviderError(502, std::string("The model's answer holds no subject lines: ") + e.what(),
                        "provider-invalid-answer");
  }
  std::vector<SubjectCandidate> out;
  for (auto& line : lines) {
    auto cleaned = remove_unknown_tags(line).text;
    if (trim(cleaned).empty()) continue;
    SubjectCandidate cand{std::string(trim(cleaned)), nullptr};
    // The built-in analysis of each candidate (score, findings) joins here.
    if (subject_analysis_) cand.analysis = subject_analysis_(cand.subject);
    out.push_back(std::move(cand));
  }
  if (out.empty()) throw ProviderError(502, "The model's subject lines were all unusable", "provider-invalid-answer");
  return {std::move(out), *c.usage};
}

Usage Service::chat(const std::vector<ChatMessage>& messages, const Caller& caller, const ChatEvents& events,
                    const std::atomic<bool>* cancel) const {
  const auto p = provider();
  ChatRequest request;
  request.temperature = 0.2;
  request.max_tokens = 800;
  request.messages.push_back({"system", chat_system_prompt(), {}, {}});
  request.messages.insert(request.messages.end(), messages.begin(), messages.end());
  Usage total;
  for (int round = 1;; ++round) {
    check_budget(caller.principal.user_id);
    // The last round offers no tools, so the model must answer with what it has.
    request.tools = round < kMaxToolRounds ? Tools::definitions() : json::array();
    const auto c =
        call(p, request, caller, events.delta ? DeltaSink(events.delta) : DeltaSink([](std::string_view) {}), cancel);
    add(total, *c.usage);
    if (c.tool_calls.empty()) return total;
    request.messages.push_back({"assistant", c.content, c.tool_calls, {}});
    for (const auto& tc : c.tool_calls) {
      auto outcome = tools_.run(tc, caller.principal, caller.request_id);
      if (events.tool) events.tool(outcome);
      request.messages.push_back({"tool", data_block("Result of " + tc.name, outcome.result), {}, tc.id});
    }
  }
}

}  // namespace herald::ai

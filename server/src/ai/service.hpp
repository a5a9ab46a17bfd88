// The ai domain's logic for the provider half: drafts, subject lines and the
// chat assistant, with the provider from settings (Settings → AI, else
// HERALD_AI_*), a per-user daily token budget and usage recorded per call.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ai/prompts.hpp"
#include "ai/provider.hpp"
#include "ai/store.hpp"
#include "ai/tools.hpp"
#include "ai/types.hpp"
#include "core/clock.hpp"
#include "http/principal.hpp"
#include "leads/interface.hpp"
#include "settings/interface.hpp"
#include "templates/interface.hpp"

namespace herald::ai {

// What the 503 says when no provider is configured.
inline constexpr std::string_view kConfigureHint =
    "No AI provider is configured. Set HERALD_AI_BASE_URL and HERALD_AI_MODEL (and HERALD_AI_API_KEY if the "
    "provider needs one), or an administrator sets them in Settings → AI (PATCH /api/settings {\"ai\": {base_url, "
    "model, api_key}}). Any OpenAI-compatible chat-completions endpoint works: OpenAI, Ollama, vLLM, llama.cpp's "
    "server. The built-in tools (analyze, score-leads, send-times) work without one.";

// Who asks, for permissions, usage and logs.
struct Caller {
  const http::Principal& principal;
  std::string request_id;
};

struct DraftResult {
  Draft draft;
  Usage usage;
  std::vector<std::string> removed_tags;  // unknown merge tags taken out of the model's draft
};

struct SubjectCandidate {
  std::string subject;
  nlohmann::json analysis;  // filled by the subject-line hook (the built-in analysis), null otherwise
};

struct ChatEvents {
  std::function<void(std::string_view text)> delta;
  std::function<void(const ToolOutcome& tool)> tool;
};

class Service {
 public:
  Service(Store store, const Clock& clock, const settings::Settings& settings, leads::Leads& leads,
          const templates::Catalog& catalog, const http::Endpoints& endpoints, ClientOptions options = {});

  // The provider in effect; throws ServiceUnavailable(kConfigureHint) when there is none.
  ProviderSettings provider() const;
  // Throws TooManyRequests (Retry-After: until UTC midnight) when the user's tokens today reached the budget.
  void check_budget(std::int64_t user_id) const;

  // Throws ValidationError for a lead or template that does not exist, Forbidden without their read permission.
  DraftInput draft_input(const DraftRequest& request, const Caller& caller) const;
  // A draft (streamed to `on_delta` while the model writes when set), merge tags checked, HTML sanitised.
  DraftResult draft(const DraftInput& input, const Caller& caller, const DeltaSink& on_delta = {},
                    const std::atomic<bool>* cancel = nullptr) const;

  std::pair<std::vector<SubjectCandidate>, Usage> subject_lines(const SubjectLinesRequest& request,
                                                                const Caller& caller) const;
  // Where the built-in analysis of each candidate plugs in (the advisor module's analyzer, at composition).
  void set_subject_analysis(std::function<nlohmann::json(const std::string& subject)> analyze) {
    subject_analysis_ = std::move(analyze);
  }

  // Runs the assistant over `messages`, calling tools as the caller, at most kMaxToolRounds rounds.
  Usage chat(const std::vector<ChatMessage>& messages, const Caller& caller, const ChatEvents& events,
             const std::atomic<bool>* cancel = nullptr) const;

  static constexpr int kMaxToolRounds = 5;

 private:
  ChatCompletion call(const ProviderSettings& provider, const ChatRequest& request, const Caller& caller,
                      const DeltaSink& on_delta, const std::atomic<bool>* cancel) const;
  std::string today() const;

  mutable Store store_;
  const Clock& clock_;
  const settings::Settings& settings_;
  leads::Leads& leads_;
  const templates::Catalog& catalog_;
  Tools tools_;
  ProviderClient client_;
  std::function<nlohmann::json(const std::string&)> subject_analysis_;
};

// Turns the model's draft text into a checked draft: unknown merge tags out,
// HTML sanitised, the text part generated. Throws ProviderError(502) when it
// still is not a valid template.
DraftResult finish_draft(const Draft& raw);

}  // namespace herald::ai

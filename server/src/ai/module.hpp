// The ai module's provider half: drafts, subject lines and the chat
// assistant through any OpenAI-compatible chat-completions provider
// (ai/provider.hpp), configured in Settings → AI or HERALD_AI_*.
// Needs settings::Settings (the provider and budget), leads::Leads (a
// draft's recipient), templates::Catalog (a draft's starting point) and the
// process's endpoints (the chat's read-only tools run existing handlers as
// the signed-in user). See docs/architecture.md, "AI assistant".
#pragma once

#include "ai/event_stream.hpp"
#include "ai/routes.hpp"
#include "ai/service.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "leads/interface.hpp"
#include "module/module.hpp"
#include "settings/interface.hpp"
#include "storage/database.hpp"
#include "templates/interface.hpp"

namespace herald::ai {

struct Deps {
  storage::Database& db;
  const Clock& clock;
  const Config& config;
  const settings::Settings& settings;
  leads::Leads& leads;
  const templates::Catalog& catalog;
  const http::Endpoints& endpoints;  // complete once the composition is; read only when a tool runs
};

class Module final : public herald::Module {
 public:
  explicit Module(Deps deps);
  void contribute(Contributions& contributions) override;

  // For the composition: where the built-in analysis joins each subject-line candidate.
  Service& service() noexcept { return service_; }

 private:
  Service service_;
  EventStreams streams_;  // destroyed first: waits for streams still running
  Routes routes_;
};

}  // namespace herald::ai

// The AI assistant's built-in tools, which need no AI provider: the message
// check (POST /api/ai/analyze). See docs/architecture.md, "AI assistant —
// built-in tools". The provider-backed tools live in the ai module, which
// uses advisor/analysis.hpp for the analysis of its subject lines.
#pragma once

#include "advisor/routes.hpp"
#include "module/module.hpp"

namespace herald::advisor {

struct Deps {};

class Module final : public herald::Module {
 public:
  explicit Module(Deps deps);
  void contribute(Contributions& contributions) override;

 private:
  Routes routes_;
};

}  // namespace herald::advisor

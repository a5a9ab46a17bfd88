// The audit module: the hash-chained log, the observer that records every
// state-changing request and permission denial, and the admin endpoints.
// Offers audit::Trail (audit/interface.hpp).
#pragma once

#include "audit/auditor.hpp"
#include "audit/log.hpp"
#include "audit/routes.hpp"
#include "core/clock.hpp"
#include "module/module.hpp"
#include "storage/database.hpp"

namespace herald::audit {

struct Deps {
  storage::Database& db;
  const Clock& clock;
};

class Module final : public herald::Module {
 public:
  explicit Module(Deps deps) : log_(deps.db, deps.clock), auditor_(log_), routes_(log_) {}
  // The endpoints, and the request observer.
  void contribute(Contributions& contributions) override;

  Trail& trail() noexcept { return log_; }

 private:
  AuditLog log_;
  RequestAuditor auditor_;
  Routes routes_;
};

}  // namespace herald::audit

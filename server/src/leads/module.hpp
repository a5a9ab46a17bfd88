// The leads module: leads, tags, segments, the suppression list, CSV imports
// and exports, GDPR requests. Offers leads::Leads (leads/interface.hpp) to
// later modules; contributes its endpoints, the `leads.import` job and the
// imports' reconciler.
#pragma once

#include "audit/interface.hpp"
#include "auth/interface.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "jobs/queue.hpp"
#include "leads/directory.hpp"
#include "leads/importer.hpp"
#include "leads/imports.hpp"
#include "leads/privacy.hpp"
#include "leads/routes.hpp"
#include "leads/runner.hpp"
#include "leads/segments.hpp"
#include "leads/service.hpp"
#include "leads/suppressions.hpp"
#include "module/module.hpp"
#include "storage/database.hpp"

namespace herald::leads {

struct Deps {
  storage::Database& db;
  const Clock& clock;
  const Config& config;
  jobs::JobQueue& queue;  // an upload becomes a `leads.import` job
  audit::Trail& audit;    // GDPR history, status changes
  auth::Users& users;     // owners
  ImporterSettings importer = {};
  std::size_t import_chunk_size = kChunkSize;
  // Count every segment's members at start (an API process: SegmentWarmer).
  bool warm_segments = false;
};

class Module final : public herald::Module {
 public:
  explicit Module(Deps deps);
  // The endpoints, the `leads.import` job and the imports' reconciler.
  void contribute(Contributions& contributions) override;

  Leads& leads() noexcept { return directory_; }
  // For `herald import-leads`, which stores and applies a file in-process.
  ImportService& imports() noexcept { return imports_; }
  Importer& importer() noexcept { return importer_; }
  SegmentService& segments() noexcept { return segments_; }
  LeadService& service() noexcept { return leads_; }

 private:
  LeadService leads_;
  SegmentService segments_;
  SuppressionService suppressions_;
  PrivacyService privacy_;
  Importer importer_;
  QueueImportRunner runner_;
  ImportService imports_;
  Directory directory_;
  Routes routes_;
  bool warm_segments_;
  SegmentWarmer warmer_;
};

}  // namespace herald::leads

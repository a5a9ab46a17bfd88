// The campaigns domain's logic behind the API: create, edit, list, delete,
// and the actions send, pause, resume, cancel and test. Plain C++; throws
// core/errors.hpp.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "campaigns/interface.hpp"
#include "campaigns/pipeline.hpp"
#include "campaigns/recipient_store.hpp"
#include "campaigns/sender.hpp"
#include "campaigns/store.hpp"
#include "campaigns/tracking.hpp"
#include "core/clock.hpp"
#include "leads/interface.hpp"
#include "settings/interface.hpp"
#include "storage/database.hpp"
#include "templates/interface.hpp"

namespace herald::campaigns {

struct CampaignView {
  Campaign campaign;
  Stats stats;
  double rate_per_minute = 0;
};
nlohmann::json to_json(const CampaignView& v);

struct SendAnswer {
  std::int64_t id = 0;
  Status status = Status::Sending;
  std::int64_t emails_queued = 0;
};

struct TestResult {
  std::string email;
  bool delivered = false;
  std::string detail;
};

struct Timeline {
  std::vector<std::pair<std::string, std::int64_t>> per_minute;  // RFC 3339 minute → messages sent
};

class CampaignService final : public Campaigns {
 public:
  CampaignService(storage::Database& db, const Clock& clock, leads::Leads& leads, templates::Catalog& catalog,
                  settings::Settings& settings, Pipeline& pipeline, Sender& sender, ZoneDirectory& zones,
                  const EventWriter& events);

  std::pair<std::vector<CampaignView>, std::int64_t> list(std::optional<Status> status, std::int64_t page,
                                                          std::int64_t page_size);
  CampaignView get(std::int64_t id);
  CampaignView create(const CampaignFields& fields, std::optional<std::int64_t> actor);
  CampaignView update(std::int64_t id, const CampaignFields& fields);
  void remove(std::int64_t id);

  SendAnswer send(std::int64_t id);
  CampaignView pause(std::int64_t id);
  CampaignView resume(std::int64_t id);
  CampaignView cancel(std::int64_t id);
  std::vector<TestResult> test(std::int64_t id, const std::vector<std::string>& emails);

  std::pair<std::vector<Recipient>, std::int64_t> recipients(std::int64_t id, std::optional<RecipientState> state,
                                                             std::int64_t page, std::int64_t page_size);
  Timeline timeline(std::int64_t id, std::int64_t minutes);
  // Campaigns per status, for the dashboard.
  std::vector<std::pair<std::string, std::int64_t>> summary();
  std::int64_t active_count() override;
  std::uint64_t tracking_events_dropped() const override;

 private:
  Campaign load(std::int64_t id);
  CampaignView view(Campaign c, bool cached);
  void check_references(const Campaign& c);
  std::int64_t count_audience(const leads::Audience& audience);
  std::int64_t now_ms() const;

  storage::Database& db_;
  const Clock& clock_;
  leads::Leads& leads_;
  templates::Catalog& catalog_;
  settings::Settings& settings_;
  Pipeline& pipeline_;
  Sender& sender_;
  ZoneDirectory& zones_;
  const EventWriter& events_;
  CampaignStore campaigns_;
  RecipientStore recipients_;
  std::mutex stats_mutex_;
  std::map<std::int64_t, std::pair<Stats, std::chrono::steady_clock::time_point>> stats_cache_;
};

}  // namespace herald::campaigns

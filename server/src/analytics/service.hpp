// The reports, answered from the roll-ups (never from the raw events): the
// overview of a period against the one before, a campaign's funnel, links
// and time series, and a metric's time series in a time zone.
#pragma once

#include <optional>
#include <string>

#include "analytics/store.hpp"
#include "analytics/types.hpp"
#include "campaigns/interface.hpp"
#include "core/clock.hpp"
#include "core/timezone.hpp"
#include "leads/interface.hpp"
#include "storage/database.hpp"

namespace herald::analytics {

struct SeriesQuery {
  std::string metric;
  Interval interval = Interval::Day;
  std::string tz = "UTC";
  Period period;
  std::optional<std::int64_t> campaign_id;
};

class AnalyticsService {
 public:
  AnalyticsService(storage::Database& db, const Clock& clock, leads::Leads& leads, campaigns::Activity& campaigns,
                   ZoneDirectory& zones);

  Overview overview(const Period& p);
  // NotFound when the campaign does not exist.
  CampaignReport campaign(std::int64_t id, Interval interval, const std::string& tz);
  // ValidationError("tz") for an unknown zone; NotFound for an unknown campaign.
  Series timeseries(const SeriesQuery& q);

  const Clock& clock() const noexcept { return clock_; }

 private:
  std::shared_ptr<const Zone> zone(const std::string& name);

  storage::Database& db_;
  const Clock& clock_;
  leads::Leads& leads_;
  campaigns::Activity& campaigns_;
  ZoneDirectory& zones_;
  Store store_;
};

}  // namespace herald::analytics

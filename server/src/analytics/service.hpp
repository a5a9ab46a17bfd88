// The reports, answered from the roll-ups (never from the raw events): the
// overview of a period against the one before, a campaign's funnel, links
// and time series, and a metric's time series in a time zone. What they read
// from the roll-ups is kept per process while the roll-up's watermark, read
// on every request, is unchanged (AnswerCache); lead totals, active campaigns
// and campaign names are read on every request.
#pragma once

#include <optional>
#include <string>

#include "analytics/answer_cache.hpp"
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
  // Answers served from the per-process cache so far (for tests and figures).
  std::int64_t cache_hits() const;

  // The roll-up part of a campaign report (all but its name).
  struct CampaignRollup {
    Counts funnel;
    std::vector<LinkClicks> top_links;
    std::vector<Point> sent, opened, clicked;
  };

 private:
  std::shared_ptr<const Zone> zone(const std::string& name);

  storage::Database& db_;
  const Clock& clock_;
  leads::Leads& leads_;
  campaigns::Activity& campaigns_;
  ZoneDirectory& zones_;
  Store store_;
  AnswerCache<std::pair<Counts, Counts>> overviews_;
  AnswerCache<std::vector<Point>> series_;
  AnswerCache<CampaignRollup> campaigns_cache_;
};

}  // namespace herald::analytics

// The reports, answered from the roll-ups (never from the raw events): the
// overview of a period against the one before, a campaign's funnel, links
// and time series, and a metric's time series in a time zone. What they read
// from the roll-ups is kept per process while the roll-up's watermark, read
// on every request, is unchanged (AnswerCache); the overview and time series
// sum a per-process copy of the campaign's hourly rows (HourMirror), brought
// up to that watermark by reading the rows changed since; lead totals,
// active campaigns and campaign names are read on every request.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "analytics/answer_cache.hpp"
#include "analytics/hours.hpp"
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

// Each campaign's hourly roll-up rows (campaign 0: all), kept per process as
// an HourTable stamped with the watermark it is up to date with. A request
// that read watermark W gets the table at W or later: when the kept stamp is
// older, the rows whose stamp (the watermark of the batch that last changed
// them) is past it are read in one statement and applied, one refresh per
// campaign at a time. Exact with any number of processes: only roll-up
// batches write analytics_hourly, each stamps the rows it changes with the
// watermark it moves to in the same transaction, and W is read before the
// rows. Past `max_hours` in all, the other campaigns' tables are dropped.
class HourMirror {
 public:
  explicit HourMirror(std::size_t max_hours) : max_hours_(max_hours) {}
  std::shared_ptr<const HourTable> at(storage::Connection& c, const Store& store, std::int64_t campaign,
                                      std::int64_t watermark);
  // Rows read so far (for tests and figures): a refresh reads only what changed.
  std::int64_t rows_read() const;

 private:
  struct Entry {
    std::mutex refresh;  // one refresh of this campaign at a time
    std::int64_t stamp = -1;
    std::shared_ptr<const HourTable> table = std::make_shared<const HourTable>();
  };
  mutable std::mutex mutex_;
  std::size_t max_hours_;
  std::int64_t rows_read_ = 0;
  std::map<std::int64_t, std::shared_ptr<Entry>> entries_;
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
  // Hourly rows read into the per-process copy so far (for tests and figures).
  std::int64_t hour_rows_read() const { return hours_.rows_read(); }

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
  HourMirror hours_;
  AnswerCache<std::pair<Counts, Counts>> overviews_;
  AnswerCache<std::vector<Point>> series_;
  AnswerCache<CampaignRollup> campaigns_cache_;
};

}  // namespace herald::analytics

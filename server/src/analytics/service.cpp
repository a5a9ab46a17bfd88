#include "analytics/service.hpp"

#include "analytics/series.hpp"
#include "core/errors.hpp"

namespace herald::analytics {
namespace {

constexpr std::int64_t kTopLinks = 10;
// Up to this many days with a bound off a UTC midnight are read day by day.
constexpr std::size_t kFewEdgeDays = 4;
// A campaign's own series: at most this many points (the latest).
constexpr std::size_t kMaxCampaignPoints = 2000;
// What the answer caches keep at most: overviews and campaign reports by
// count, series by points (~60 bytes each: ~12 MB).
constexpr std::size_t kMaxOverviews = 1024;
constexpr std::size_t kMaxSeriesPoints = 200'000;
constexpr std::size_t kMaxCampaignReports = 64;
// The copies of campaigns' hourly rows: at most this many hours in all
// (96 bytes each, a prefix sum of 12 counters: ~48 MB; a year of one campaign is 8,760).
constexpr std::size_t kMaxMirroredHours = 500'000;

std::int64_t ticks(TimePoint t) { return t.time_since_epoch().count(); }

// Sums of the runs of hours between `bounds` (range_sums): daily rows, and
// hourly ones only for the partial days at the bounds.
std::vector<Counts> sums(const Store& store, storage::Connection& c, std::int64_t campaign,
                         const std::vector<std::int64_t>& bounds) {
  if (bounds.size() < 2) return {};
  const auto reads = reads_for(bounds);
  const auto days = store.days(c, campaign, reads.first_day, reads.last_day);
  Store::Rows hours;
  if (reads.needs_hours()) {
    const auto edges = edge_days(bounds);
    if (edges.size() <= kFewEdgeDays) {
      // An overview's or a funnel's period: the whole days of its bounds
      // (≤ 24 rows each, ascending), not the edge hours of every day between.
      for (const auto d : edges) {
        auto rows = store.hours(c, campaign, {d * 24, d * 24 + 24});
        hours.insert(hours.end(), rows.begin(), rows.end());
      }
    } else {
      hours = store.edge_hours(c, campaign, reads.hours, reads.below, reads.from);
    }
  }
  return range_sums(bounds, reads, days, hours);
}

Counts total(const Store& store, storage::Connection& c, std::int64_t campaign, HourRange h) {
  if (h.last <= h.first) return {};
  return sums(store, c, campaign, {h.first, h.last}).front();
}

std::vector<Point> day_points(const std::vector<Bucket>& b, const std::vector<Counts>& sums, std::string_view metric) {
  std::vector<Point> out;
  out.reserve(b.size());
  for (std::size_t i = 0; i < b.size() && i < sums.size(); ++i) out.push_back({b[i].t, metric_of(sums[i], metric)});
  return out;
}

}  // namespace

AnalyticsService::AnalyticsService(storage::Database& db, const Clock& clock, leads::Leads& leads,
                                   campaigns::Activity& campaigns, ZoneDirectory& zones)
    : db_(db),
      clock_(clock),
      leads_(leads),
      campaigns_(campaigns),
      zones_(zones),
      hours_(kMaxMirroredHours),
      overviews_(kMaxOverviews),
      series_(kMaxSeriesPoints),
      campaigns_cache_(kMaxCampaignReports) {}

std::int64_t AnalyticsService::cache_hits() const {
  return overviews_.hits() + series_.hits() + campaigns_cache_.hits();
}

std::int64_t HourMirror::rows_read() const {
  std::lock_guard lock(mutex_);
  return rows_read_;
}

std::shared_ptr<const HourTable> HourMirror::at(storage::Connection& c, const Store& store, std::int64_t campaign,
                                                std::int64_t watermark) {
  std::shared_ptr<Entry> e;
  {
    std::lock_guard lock(mutex_);
    auto& slot = entries_[campaign];
    if (!slot) slot = std::make_shared<Entry>();
    e = slot;
    if (e->stamp >= watermark) return e->table;
  }
  // Whoever waited here while another request refreshed finds it done.
  std::lock_guard refresh(e->refresh);
  std::int64_t since = 0;
  std::shared_ptr<const HourTable> base;
  {
    std::lock_guard lock(mutex_);
    if (e->stamp >= watermark) return e->table;
    since = e->stamp;
    base = e->table;
  }
  const auto rows = store.hours_changed(c, campaign, since);
  auto next = rows.empty() ? base : std::make_shared<const HourTable>(base->with(rows));
  std::lock_guard lock(mutex_);
  rows_read_ += static_cast<std::int64_t>(rows.size());
  e->stamp = watermark;
  e->table = next;
  std::size_t total = 0;
  for (const auto& [id, entry] : entries_) total += entry->table->hours();
  if (total > max_hours_) {
    // Over the bound: keep this campaign only (the others load again when asked).
    for (auto it = entries_.begin(); it != entries_.end();)
      it = it->first == campaign ? std::next(it) : entries_.erase(it);
  }
  return next;
}

std::shared_ptr<const Zone> AnalyticsService::zone(const std::string& name) {
  auto z = zones_.find(name);
  if (!z) throw ValidationError("tz", "must be an IANA time zone name such as UTC or America/New_York");
  return z;
}

Overview AnalyticsService::overview(const Period& p) {
  Overview o;
  o.period = p;
  o.previous = previous_of(p);
  {
    auto conn = db_.acquire();
    // The stamp first: what is read after it is at least as new.
    const auto stamp = store_.watermark(*conn);
    const auto key = std::to_string(ticks(p.from)) + "/" + std::to_string(ticks(p.to));
    const auto kept = overviews_.get_or_compute(
        stamp, key,
        [&] {
          const auto table = hours_.at(*conn, store_, 0, stamp);
          return std::make_shared<const std::pair<Counts, Counts>>(table->sum(hours_of(o.period)),
                                                                   table->sum(hours_of(o.previous)));
        },
        [](const auto&) { return std::size_t{1}; });
    o.current = kept->first;
    o.before = kept->second;
  }
  const auto lead_totals = leads_.totals(o.previous.from, o.period.from, o.period.to);
  o.leads_total = lead_totals.total;
  o.leads_new = lead_totals.created;
  o.previous_leads_new = lead_totals.created_before;
  o.campaigns_active = campaigns_.active_count();
  return o;
}

CampaignReport AnalyticsService::campaign(std::int64_t id, Interval interval, const std::string& tz) {
  auto name = campaigns_.name(id);
  if (!name) throw NotFound("campaign " + std::to_string(id) + " does not exist");
  auto z = zone(tz);
  CampaignReport r;
  r.campaign_id = id;
  r.name = *name;
  r.sent = r.opened = r.clicked = Series{"", interval, tz, {}};
  r.sent.metric = "sent";
  r.opened.metric = "opened";
  r.clicked.metric = "clicked";
  auto conn = db_.acquire();
  const auto stamp = store_.watermark(*conn);
  const auto key = std::to_string(id) + "/" + std::string(to_string(interval)) + "/" + tz;
  const auto compute = [&] {
    auto fresh = std::make_shared<CampaignRollup>();
    fresh->top_links = store_.top_links(*conn, id, kTopLinks);
    if (auto span = store_.span(*conn, id)) {
      fresh->funnel = total(store_, *conn, id, *span);
      const Period p{TimePoint(std::chrono::milliseconds(span->first * kHourMs)),
                     TimePoint(std::chrono::milliseconds(span->last * kHourMs))};
      auto b = buckets(interval, *z, p);
      if (b.size() > kMaxCampaignPoints) b.erase(b.begin(), b.end() - static_cast<std::ptrdiff_t>(kMaxCampaignPoints));
      if (interval == Interval::Day) {
        const auto per_day = sums(store_, *conn, id, bounds_of(b));
        fresh->sent = day_points(b, per_day, "sent");
        fresh->opened = day_points(b, per_day, "opened");
        fresh->clicked = day_points(b, per_day, "clicked");
      } else {
        const auto rows = store_.hours(*conn, id, hours_of(b));
        fresh->sent = points(b, rows, "sent");
        fresh->opened = points(b, rows, "opened");
        fresh->clicked = points(b, rows, "clicked");
      }
    }
    return std::shared_ptr<const CampaignRollup>(std::move(fresh));
  };
  const auto kept = campaigns_cache_.get_or_compute(stamp, key, compute, [](const auto&) { return std::size_t{1}; });
  r.funnel = kept->funnel;
  r.top_links = kept->top_links;
  r.sent.points = kept->sent;
  r.opened.points = kept->opened;
  r.clicked.points = kept->clicked;
  return r;
}

Series AnalyticsService::timeseries(const SeriesQuery& q) {
  auto z = zone(q.tz);
  const int metric = metric_index(q.metric);
  if (metric < 0) throw ValidationError("metric", "is not a metric");
  if (q.campaign_id && !campaigns_.name(*q.campaign_id))
    throw NotFound("campaign " + std::to_string(*q.campaign_id) + " does not exist");
  Series s{q.metric, q.interval, q.tz, {}};
  const auto campaign = q.campaign_id.value_or(0);
  auto conn = db_.acquire();
  const auto stamp = store_.watermark(*conn);
  const auto key = q.metric + "/" + std::string(to_string(q.interval)) + "/" + q.tz + "/" +
                   std::to_string(ticks(q.period.from)) + "/" + std::to_string(ticks(q.period.to)) + "/" +
                   std::to_string(campaign);
  const auto compute = [&] {
    const auto b = buckets(q.interval, *z, q.period);
    auto out = std::make_shared<std::vector<Point>>();
    // Each bucket is a run of whole UTC hours (bounds_of: an hour belongs to
    // the bucket its start falls in), summed from the copy of the campaign's
    // hours: two look-ups a bucket, whatever the zone or interval.
    const auto bounds = bounds_of(b);
    if (bounds.size() >= 2) {
      const auto table = hours_.at(*conn, store_, campaign, stamp);
      out->reserve(b.size());
      for (std::size_t i = 0; i < b.size(); ++i) out->push_back({b[i].t, table->sum(bounds[i], bounds[i + 1], metric)});
    }
    return std::shared_ptr<const std::vector<Point>>(std::move(out));
  };
  s.points = *series_.get_or_compute(stamp, key, compute, [](const auto& p) { return p.size() + 1; });
  return s;
}

}  // namespace herald::analytics

// The roll-up's arithmetic, pure: a batch of the event log (in id order)
// becomes additions to the per-(campaign, hour) counts, the clicks per link,
// and the (campaign, lead, kind) pairs that may be counted once — which the
// store decides (analytics_firsts) before count_first adds them.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "analytics/types.hpp"
#include "campaigns/interface.hpp"

namespace herald::analytics {

std::int64_t hour_of(std::int64_t epoch_ms);

// A unique count waiting for the store's word that it is the first:
// kind open, human_open, click, unsubscribe, reply, bounce (a hard bounce
// reported by mail) or link:<url>.
struct FirstCandidate {
  std::int64_t campaign_id = 0, lead_id = 0;
  std::string kind;
  std::int64_t hour = 0;
};

struct LinkDelta {
  std::int64_t clicks = 0, unique_clicks = 0;
};

struct Fold {
  std::map<std::pair<std::int64_t, std::int64_t>, Counts> hours;    // (campaign, hour)
  std::map<std::pair<std::int64_t, std::string>, LinkDelta> links;  // (campaign, url)
  std::vector<FirstCandidate> firsts;                               // the first of each key in the batch
  std::int64_t last_id = 0;                                         // the batch's last event
};

// Raw counts and the candidates, each key's first event (in id order) only.
Fold fold(const std::vector<campaigns::ActivityEvent>& events);
// Adds a candidate the store found new.
void count_first(Fold& f, const FirstCandidate& c);
// Adds campaign 0's rows: each hour's sums over every campaign.
void add_totals(Fold& f);
// The hours' additions summed per (campaign, UTC day = hour / 24), empty ones left out.
std::map<std::pair<std::int64_t, std::int64_t>, Counts> days_of(const Fold& f);

}  // namespace herald::analytics
